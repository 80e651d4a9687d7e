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
  const ranges: Array<[number, number]> = [];
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
      ranges.push([start, end]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

/**
 * The window start (of `size` chars) that covers the most matched characters. Matches are
 * sorted and do not overlap, so candidate windows move one way: two pointers keep this
 * linear (comparing every match with every other took seconds on a long paragraph).
 */
function bestWindowStart(length: number, matches: Array<[number, number]>, size: number): number {
  let best = 0;
  let bestScore = -1;
  let first = 0;
  let next = 0;
  let covered = 0;
  for (const [start] of matches) {
    const from = Math.max(0, Math.min(start - Math.floor(size / 5), length - size));
    while (next < matches.length && (matches[next]?.[1] ?? 0) <= from + size) {
      const [s, e] = matches[next] ?? [0, 0];
      covered += e - s;
      next++;
    }
    while (first < next && (matches[first]?.[0] ?? 0) < from) {
      const [s, e] = matches[first] ?? [0, 0];
      covered -= e - s;
      first++;
    }
    if (covered > bestScore) {
      bestScore = covered;
      best = from;
    }
  }
  return best;
}

/**
 * Crops a paragraph to about `size` characters around its matches, preferring sentence
 * boundaries, and returns where the matched words are in the cropped text.
 */
export function buildSnippet(text: string, words: readonly string[], size = SNIPPET_CHARS, normalizedText?: string): Snippet {
  const matches = findMatches(text, words, normalizedText);
  if (text.length <= size) return { text, highlights: matches };

  let start = bestWindowStart(text.length, matches, size);
  let end = Math.min(text.length, start + size);
  // Moving the window to a boundary must not drop the matches it was chosen for.
  const inWindow = matches.filter(([s, e]) => s >= start && e <= end);
  const firstMatchEnd = inWindow[0]?.[1] ?? start;
  const firstMatchStart = inWindow[0]?.[0] ?? end;
  // Start at the beginning of the sentence the window opens in, if that costs little; else
  // at the next sentence, before the first match.
  let boundary = -1;
  for (let i = start; i > 0 && start - i < size / 4 && i + size >= firstMatchEnd; i--) {
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
