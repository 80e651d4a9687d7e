import * as OpenCC from 'opencc-js';

// Traditional characters (發現 → 发现), and with them Taiwan phrases (晶片 → 芯片, 軟體 → 软件,
// 檔案 → 文件): readers write both. The phrase table is for traditional text only: over
// simplified text it rewrites mainland words too (文件 → 文档, 程序 → 进程), so a traditional
// 檔案 (→ 文件) would no longer meet the articles' 文件. A text with no traditional character
// is left as it is.
const charactersToSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const phrasesToSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });

function toSimplified(text: string): string {
  return charactersToSimplified(text) === text ? text : phrasesToSimplified(text);
}

/** A Taiwan phrase the table rewrote, and the same phrase simplified character by character. */
export interface PhraseReading {
  rewritten: string;
  literal: string;
}

// The phrase table's entries (Taiwan phrase → mainland phrase), simplified, where the two
// readings differ: read once, the first time a traditional question needs them.
let phraseEntries: PhraseReading[] | undefined;
function taiwanPhrases(): PhraseReading[] {
  if (phraseEntries) return phraseEntries;
  const [phrases] = OpenCC.Locale.from.twp[0] ?? [];
  const pairs = typeof phrases === 'string' ? phrases.split('|').map((entry) => entry.split(' ')) : [...(phrases ?? [])];
  phraseEntries = pairs.flatMap(([taiwan, mainland]) => {
    if (!taiwan || !mainland) return [];
    const literal = charactersToSimplified(taiwan);
    const rewritten = charactersToSimplified(mainland);
    return literal === rewritten ? [] : [{ rewritten, literal }];
  });
  return phraseEntries;
}

/**
 * The rewrites the phrase table made in a traditional text, with the character-by-character
 * reading of each: the table turns Taiwan words into mainland ones (軟體 → 软件) but also
 * words both sides use in another sense (執行 → 运行, where a mainland article says 执行).
 */
export function phraseReadingsOf(text: string): PhraseReading[] {
  const folded = text.normalize('NFKC');
  const simplified = charactersToSimplified(folded);
  if (simplified === folded) return [];
  return taiwanPhrases().filter(({ literal }) => simplified.includes(literal));
}

/**
 * The one text normalisation used for indexing and querying: NFKC (folds full-width
 * letters, digits and punctuation), traditional → simplified, Latin lower-cased, and
 * zero-width / control characters removed.
 */
export function normalizeText(text: string): string {
  const folded = text
    .normalize('NFKC')
    .replace(/[\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
  return arabicDates(toSimplified(folded)).toLowerCase();
}

const CHINESE_DIGIT: Readonly<Record<string, string>> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
const digitOf = (ch: string) => CHINESE_DIGIT[ch] ?? ch;

/**
 * Chinese numerals in dates, where the Arabic form has the same length (so positions are
 * kept): 八十年代 → 80年代, 一九八七年 → 1987年, 十九世纪 → 19世纪, 二十世纪 → 20世纪. Articles
 * mostly write the Arabic form, readers often the Chinese one.
 */
function arabicDates(text: string): string {
  if (!/[〇零一二三四五六七八九]/.test(text)) return text;
  return text
    .replace(/(?<![一二三四五六七八九十百千万几])([一二三四五六七八九])十年代/g, (_, d: string) => `${digitOf(d)}0年代`)
    .replace(/(?<![〇零一二三四五六七八九十百千万])([〇零一二三四五六七八九]{4})年/g, (_, ds: string) => `${[...ds].map(digitOf).join('')}年`)
    .replace(/(?<![一二三四五六七八九十])十([一二三四五六七八九])世纪/g, (_, d: string) => `1${digitOf(d)}世纪`)
    .replace(/(?<![一二三四五六七八九十])二十世纪/g, '20世纪');
}

/**
 * Per-character normalisation that keeps offsets: `result[i]` is the normalised form of
 * `text[i]` alone (so it can be used to find matches in the original text). Surrogate
 * pairs keep their two slots (the second one empty).
 */
export function normalizeCharwise(text: string): string[] {
  // Fast path: when normalising the whole text keeps every position, read it off directly.
  const whole = normalizeText(text);
  if (whole.length === text.length && !/[\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/.test(text)) {
    const out: string[] = [];
    for (let i = 0; i < whole.length; i++) out.push(whole[i] ?? '');
    return out;
  }
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      out.push(text.slice(i, i + 2), '');
      i++;
      continue;
    }
    const ch = text[i] ?? '';
    const n = ch.normalize('NFKC').toLowerCase();
    out.push(n.length === 1 ? charactersToSimplified(n) : ch.toLowerCase());
  }
  return out;
}

const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/** A token worth indexing: has a letter, a digit or a CJK character. */
export function isWordToken(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

/**
 * Where a phrase occurs in a text; Latin phrases only on word boundaries. With `whole`, a
 * compound counts as one word: "pan" is not found in "pan-os", nor "0108" in "cve-2025-0108".
 */
export function findPhrase(text: string, phrase: string, whole = false): number {
  const isWordChar = (ch: string | undefined) => ch !== undefined && /[a-z0-9]/.test(ch);
  const joins = (ch: string | undefined, next: string | undefined) => whole && ch !== undefined && /[-_./]/.test(ch) && isWordChar(next);
  const latinStart = /^[a-z0-9]/.test(phrase);
  const latinEnd = /[a-z0-9]$/.test(phrase);
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return -1;
    const end = at + phrase.length;
    const startsInside = latinStart && (isWordChar(text[at - 1]) || joins(text[at - 1], text[at - 2]));
    const endsInside = latinEnd && (isWordChar(text[end]) || joins(text[end], text[end + 1]));
    if (!startsInside && !endsInside) return at;
    from = at + 1;
  }
}
