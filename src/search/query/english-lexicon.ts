import { fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

// English words and phrases → Chinese words, from ECDICT (an English–Chinese dictionary of
// 770,000 entries, MIT; its CSV ships inside the `ecdict` package: nothing is downloaded).
// CC-CEDICT is a Chinese–English dictionary: read backwards it knows 设备 as "equipment"
// and 尝试 as "to try", so "device" and "attempt" missed them; ECDICT is written the other way.
// The file is 66 MB and sorted by lower-cased headword: it is searched on disk, by binary
// search over its line starts (3 MB), not held in memory.

/** Translations offered per entry, in the dictionary's order (its main senses first). */
const MAX_WORDS_PER_ENTRY = 12;

export interface EnglishLexicon {
  /** Chinese words for an English word or phrase (any case), main senses first; [] when unknown. */
  translate(english: string): string[];
}

/** The column of ECDICT's CSV that holds an entry's Chinese (its headword is the first). */
const TRANSLATION = 3;

/** A CSV line's first field, quoted or not. */
export function headwordOf(line: string): string {
  if (!line.startsWith('"')) {
    const comma = line.indexOf(',');
    return comma < 0 ? line : line.slice(0, comma);
  }
  return csvFields(line)[0] ?? '';
}

/** One CSV line → its fields ("" quotes a quote inside a quoted field). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
    } else {
      const end = line.indexOf(',', i);
      fields.push(line.slice(i, end < 0 ? line.length : end));
    }
    const comma = line.indexOf(',', i);
    i = comma < 0 ? line.length + 1 : comma + 1;
  }
  return fields;
}

/**
 * An entry's translation → its Chinese words: one line per part of speech or field
 * (`vt. 创造, 建造` / `[计] 隐藏的` / `[网络] 胡德；兜帽`; the CSV writes its line breaks as
 * `\\n`), words between commas, notes in brackets dropped ((使)联合 → 联合), and so are an
 * adjective's 的 and a 使 or 被 before a verb (隐藏的 → 隐藏, 被劫持 → 劫持). Web-mined senses
 * ([网络]) come last: they are the noisiest.
 */
export function chineseWordsOf(translation: string): string[] {
  const lines = translation.split('\\n');
  const ordered = [...lines.filter((l) => !l.startsWith('[网络]')), ...lines.filter((l) => l.startsWith('[网络]'))];
  const words: string[] = [];
  for (const line of ordered) {
    const body = line.replace(/^\s*(?:[a-z]+\.\s*)+/i, '').replace(/^\s*\[[^\]]*\]\s*/, '');
    for (const piece of body.split(/[,，;；、]/)) {
      const word = piece
        .replace(/（[^）]*）|\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, '')
        .trim()
        .replace(/^(?:使|被)(?=[\u4e00-\u9fff]{2})/, '')
        .replace(/(?<=[\u4e00-\u9fff]{2})的$/, '');
      if (/^[\u4e00-\u9fff]{2,8}$/.test(word) && !words.includes(word)) words.push(word);
    }
  }
  return words.slice(0, MAX_WORDS_PER_ENTRY);
}

/** Forms a word's dictionary entry may be under: itself, then without an inflection. */
export function baseFormsOf(word: string): string[] {
  const forms = [word];
  const add = (form: string) => form.length >= 2 && !forms.includes(form) && forms.push(form);
  if (word.endsWith('ies')) add(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) add(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) add(word.slice(0, -1));
  if (word.endsWith('ied')) add(`${word.slice(0, -3)}y`);
  if (word.endsWith('ed')) {
    add(word.slice(0, -2));
    add(word.slice(0, -1));
    if (/(.)\1ed$/.test(word)) add(word.slice(0, -3));
  }
  if (word.endsWith('ing')) {
    add(word.slice(0, -3));
    add(`${word.slice(0, -3)}e`);
    if (/(.)\1ing$/.test(word)) add(word.slice(0, -4));
  }
  return forms;
}

/** A lexicon over an ECDICT CSV file (sorted by lower-cased headword). */
export function openEnglishLexicon(file: string): EnglishLexicon {
  const handle = openSync(file, 'r');
  const size = fstatSync(handle).size;
  // Where each entry's line starts (the header's line is not one), in one pass over the file.
  const starts: number[] = [];
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (let offset = 0; offset < size; ) {
    const read = readSync(handle, chunk, 0, chunk.length, offset);
    if (read <= 0) break;
    for (let at = chunk.indexOf(10); at >= 0 && at < read; at = chunk.indexOf(10, at + 1)) if (offset + at + 1 < size) starts.push(offset + at + 1);
    offset += read;
  }
  const lineStarts = Uint32Array.from(starts);
  const lineBuffer = Buffer.allocUnsafe(1 << 16);
  const lineAt = (i: number): string => {
    const start = lineStarts[i]!;
    const end = i + 1 < lineStarts.length ? lineStarts[i + 1]! - 1 : size;
    const length = Math.min(end - start, lineBuffer.length);
    readSync(handle, lineBuffer, 0, length, start);
    return lineBuffer.toString('utf8', 0, length).replace(/\r$/, '');
  };
  // The binary search reads only each probed line's first field (its headword).
  const keyOf = (line: string) => headwordOf(line).toLowerCase();
  // The first line whose key is ≥ the wanted one.
  const lowerBound = (key: string): number => {
    let lo = 0;
    let hi = lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(lineAt(mid)) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const entry = (key: string): string[] => {
    const words: string[] = [];
    for (let i = lowerBound(key); i < lineStarts.length; i++) {
      const line = lineAt(i);
      if (keyOf(line) !== key) break;
      for (const word of chineseWordsOf(csvFields(line)[TRANSLATION] ?? '')) if (!words.includes(word)) words.push(word);
    }
    return words;
  };
  return {
    translate(english) {
      const key = english.toLowerCase().trim();
      if (!key) return [];
      if (key.includes(' ')) return entry(key);
      for (const form of baseFormsOf(key)) {
        const words = entry(form);
        if (words.length) return words;
      }
      return [];
    },
  };
}

let shared: EnglishLexicon | undefined;

/** The lexicon that ships with the `ecdict` package, opened once. */
export function englishLexicon(): EnglishLexicon {
  if (!shared) {
    const require = createRequire(import.meta.url);
    shared = openEnglishLexicon(require.resolve('ecdict/assets/ecdict.csv'));
  }
  return shared;
}
