import { normalizeCharwise } from '../search/normalize.js';

export interface Snippet {
  text: string;
  /** [start, end) ranges within `text` of matched words, sorted, not overlapping. */
  highlights: Array<[number, number]>;
}

export const SNIPPET_CHARS = 200;
const ELLIPSIS = '…';
// A line break ends a list item as a full stop ends a sentence.
const SENTENCE_END = /[。！？!?；;\n]/;

/**
 * Finds where the given (normalised) words occur in an original text. Matching is done on
 * a per-character normalisation so offsets point into the original (full-width, traditional
 * and upper-case forms all match).
 */
export function findMatches(text: string, words: readonly string[], normalizedText?: string): Array<[number, number]> {
  return findWordMatches(text, words, normalizedText).map(({ start, end }): [number, number] => [start, end]);
}

/** A match of one of the words: where it is in the original text, and which word it is. */
export interface WordMatch {
  start: number;
  end: number;
  word: string;
}

/** findMatches, telling which word each range is (for weighing the words a window holds). */
export function findWordMatches(text: string, words: readonly string[], normalizedText?: string): WordMatch[] {
  // A caller that already normalised the text with every position kept saves the work.
  const direct = normalizedText !== undefined && normalizedText.length === text.length;
  const pieces = direct ? undefined : normalizeCharwise(text);
  // normalized string and, for each of its characters, the original index it came from
  let normalized = direct ? normalizedText : '';
  const origin: number[] = [];
  pieces?.forEach((piece, i) => {
    for (let k = 0; k < piece.length; k++) origin.push(i);
    normalized += piece;
  });
  const originOf = (at: number) => (direct ? at : (origin[at] ?? 0));
  const ranges: WordMatch[] = [];
  const taken = new Uint8Array(text.length);
  const ordered = [...new Set(words.filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  for (const word of ordered) {
    let from = 0;
    for (;;) {
      const at = normalized.indexOf(word, from);
      if (at < 0) break;
      from = at + 1;
      const start = originOf(at);
      const lastOrigin = originOf(at + word.length - 1);
      const end = lastOrigin + (!direct && pieces?.[lastOrigin] === '' ? 1 : (text.codePointAt(lastOrigin) ?? 0) > 0xffff ? 2 : 1);
      // Latin words only count on word boundaries ("ai" inside "said" is no match).
      if (/^[a-z0-9]/.test(word) && /[a-z0-9]/i.test(text[start - 1] ?? '')) continue;
      if (/[a-z0-9]$/.test(word) && /[a-z0-9]/i.test(text[end] ?? '')) continue;
      let free = true;
      for (let i = start; i < end; i++) if (taken[i]) free = false;
      if (!free) continue;
      for (let i = start; i < end; i++) taken[i] = 1;
      ranges.push({ start, end, word });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * What a matched word is worth in a snippet: the question word it spells (several spellings
 * of one word count once) and that word's weight, as the ranking weighs it.
 */
export type WordWeights = ReadonlyMap<string, { group: number; weight: number }>;

/**
 * The window start (of `size` chars) that holds the most weight of distinct question words:
 * a window with the rare name and the answer beats one where a common word repeats. Matches
 * are sorted and do not overlap, so candidate windows move one way and two pointers keep
 * this linear.
 */
function bestWindowStart(length: number, matches: readonly WordMatch[], size: number, weights: WordWeights | undefined): number {
  const groupOf = (m: WordMatch) => weights?.get(m.word)?.group ?? -1;
  const weightOf = (m: WordMatch) => weights?.get(m.word)?.weight ?? m.end - m.start;
  const inWindow = new Map<number | string, number>();
  let value = 0;
  // Without weights every match counts by its length (each occurrence its own "word").
  const keyOf = (m: WordMatch, i: number) => (weights ? groupOf(m) : `#${i}`);
  const enter = (m: WordMatch, i: number) => {
    const key = keyOf(m, i);
    const n = inWindow.get(key) ?? 0;
    if (n === 0) value += weightOf(m);
    inWindow.set(key, n + 1);
  };
  const leave = (m: WordMatch, i: number) => {
    const key = keyOf(m, i);
    const n = (inWindow.get(key) ?? 0) - 1;
    if (n === 0) value -= weightOf(m);
    inWindow.set(key, n);
  };
  let best = 0;
  let bestValue = -1;
  let first = 0;
  let next = 0;
  for (const { start } of matches) {
    const from = Math.max(0, Math.min(start - Math.floor(size / 5), length - size));
    while (next < matches.length && (matches[next]?.end ?? 0) <= from + size) {
      enter(matches[next]!, next);
      next++;
    }
    while (first < next && (matches[first]?.start ?? 0) < from) {
      leave(matches[first]!, first);
      first++;
    }
    if (value > bestValue + 1e-9) {
      bestValue = value;
      best = from;
    }
  }
  return best;
}

/**
 * Crops a paragraph to about `size` characters around its matches, preferring sentence
 * boundaries, and returns where the matched words are in the cropped text.
 */
export function buildSnippet(text: string, words: readonly string[], size = SNIPPET_CHARS, normalizedText?: string, weights?: WordWeights): Snippet {
  const found = findWordMatches(text, words, normalizedText);
  const matches = found.map(({ start, end }): [number, number] => [start, end]);
  if (text.length <= size) return { text, highlights: matches };

  let start = bestWindowStart(text.length, found, size, weights);
  let end = Math.min(text.length, start + size);
  // Moving the window to a boundary must not drop the matches it was chosen for.
  const inWindow = matches.filter(([s, e]) => s >= start && e <= end);
  const firstMatchStart = inWindow[0]?.[0] ?? end;
  const lastMatchInWindow = inWindow[inWindow.length - 1]?.[1] ?? start;
  // Start at the beginning of the sentence the window opens in, if that costs little and
  // keeps every match the window was chosen for; else at the next sentence, before the first match.
  let boundary = -1;
  for (let i = start; i > 0 && start - i < size / 4 && i + size >= lastMatchInWindow; i--) {
    if (SENTENCE_END.test(text[i - 1] ?? '')) {
      boundary = i;
      break;
    }
  }
  for (let i = start + 1; boundary < 0 && start > 0 && i - start < size / 4 && i <= firstMatchStart; i++) {
    if (SENTENCE_END.test(text[i - 1] ?? '')) boundary = i;
  }
  if (boundary >= 0) {
    start = boundary;
    end = Math.min(text.length, start + size);
  }
  let lastMatchEnd = start;
  for (const [s, e] of matches) if (s >= start && e <= end && e > lastMatchEnd) lastMatchEnd = e;
  // End on a sentence boundary when one falls in the last third of the window.
  for (let i = end; i > start + (size * 2) / 3 && i >= lastMatchEnd; i--) {
    if (SENTENCE_END.test(text[i - 1] ?? '')) {
      end = i;
      break;
    }
  }
  // Never split a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(text[start] ?? '')) start++;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;

  const lead = start > 0 ? ELLIPSIS : '';
  const tail = end < text.length ? ELLIPSIS : '';
  const shift = lead.length - start;
  const highlights = matches
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s + shift, e + shift]);
  return { text: lead + text.slice(start, end) + tail, highlights };
}
