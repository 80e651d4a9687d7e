/** Letters, digits and CJK characters: what a reader reads, without spaces and punctuation. */
export function contentLength(text: string): number {
  return text.replace(/[^\p{L}\p{N}]+/gu, '').length;
}

/**
 * How long a line reads: a CJK character counts one, and so does a whole Latin word or
 * identifier (Microsoft, CNNVD-202501-1299, 8.0.311). A Chinese line spends a character
 * where an English one spends a word, so a limit on characters alone would cut short every
 * title that names a product.
 */
export function readingLength(text: string): number {
  const words = text.match(/[\p{Script=Latin}\p{N}]+(?:[-_.:/][\p{Script=Latin}\p{N}]+)*/gu)?.length ?? 0;
  return words + text.replace(/[\p{Script=Latin}\p{N}]+|[^\p{L}]+/gu, '').length;
}
