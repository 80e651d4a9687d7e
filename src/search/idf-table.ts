// jieba's IDF table: 260,000 lines of "word value". As a Map it costs ~25 MB of heap (the
// table, a string per word, a boxed number per value) and half a second of every start-up.
// Here the file's text stays one string; an open-addressing hash table of line numbers finds
// a word's line, compared in place, so a lookup allocates nothing.

export interface IdfTable {
  get(word: string): number | undefined;
  /** The value at quantile `q` (0–1) of all values, or undefined for an empty table. */
  quantile(q: number): number | undefined;
  readonly size: number;
  /** The mean over all well-formed lines (0 for none), as jieba takes it for a word it does not list. */
  readonly mean: number;
}

/** FNV-1a over UTF-16 units of `text[start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Reads jieba's idf.utf8 text (one "word value" a line; malformed lines are skipped). */
export function parseIdfTable(text: string): IdfTable {
  const starts: number[] = [];
  const ends: number[] = [];
  const values: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const space = text.lastIndexOf(' ', lineEnd - 1);
    if (space > lineStart) {
      const value = Number(text.slice(space + 1, lineEnd));
      if (Number.isFinite(value)) {
        starts.push(lineStart);
        ends.push(space);
        values.push(value);
      }
    }
    lineStart = lineEnd + 1;
  }
  const count = values.length;
  const wordStart = Uint32Array.from(starts);
  const wordEnd = Uint32Array.from(ends);
  const wordValue = Float64Array.from(values);
  // Twice as many slots as words (at least 2): short probe runs. Slot holds entry + 1; 0 is empty.
  let capacity = 2;
  while (capacity < count * 2) capacity *= 2;
  const slots = new Uint32Array(capacity);
  const mask = capacity - 1;
  const lengthOf = (entry: number) => wordEnd[entry]! - wordStart[entry]!;
  const sameWord = (entry: number, word: string) => lengthOf(entry) === word.length && text.startsWith(word, wordStart[entry]!);
  const sameEntries = (a: number, b: number) => {
    if (lengthOf(a) !== lengthOf(b)) return false;
    for (let i = 0; i < lengthOf(a); i++) if (text.charCodeAt(wordStart[a]! + i) !== text.charCodeAt(wordStart[b]! + i)) return false;
    return true;
  };
  for (let entry = 0; entry < count; entry++) {
    let slot = hashOf(text, wordStart[entry]!, wordEnd[entry]!) & mask;
    while (slots[slot] !== 0) {
      // A word listed twice: the later line wins, as it would in a Map.
      if (sameEntries(slots[slot]! - 1, entry)) break;
      slot = (slot + 1) & mask;
    }
    slots[slot] = entry + 1;
  }

  let sum = 0;
  for (const value of wordValue) sum += value;
  return {
    size: count,
    mean: count ? sum / count : 0,
    get(word) {
      let slot = hashOf(word, 0, word.length) & mask;
      for (;;) {
        const held = slots[slot]!;
        if (held === 0) return undefined;
        if (sameWord(held - 1, word)) return wordValue[held - 1];
        slot = (slot + 1) & mask;
      }
    },
    // Asked a couple of times at start-up: sorted then, not kept.
    quantile(q) {
      if (!count) return undefined;
      const sorted = Float64Array.from(wordValue).sort();
      return sorted[Math.min(count - 1, Math.max(0, Math.floor(count * q)))];
    },
  };
}
