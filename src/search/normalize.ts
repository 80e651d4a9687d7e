import * as OpenCC from 'opencc-js';

// Taiwan phrases included (晶片 → 芯片, 軟體 → 软件): readers write both.
const toSimplified = OpenCC.Converter({ from: 'twp', to: 'cn' });

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
  return toSimplified(folded).toLowerCase();
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
    out.push(n.length === 1 ? toSimplified(n) : ch.toLowerCase());
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

/** Where a phrase occurs in a text; Latin phrases only on word boundaries. */
export function findPhrase(text: string, phrase: string): number {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return -1;
    const before = text[at - 1] ?? ' ';
    const after = text[at + phrase.length] ?? ' ';
    const latinStart = /^[a-z0-9]/.test(phrase);
    const latinEnd = /[a-z0-9]$/.test(phrase);
    if (!(latinStart && /[a-z0-9]/.test(before)) && !(latinEnd && /[a-z0-9]/.test(after))) return at;
    from = at + 1;
  }
}
