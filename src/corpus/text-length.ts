/** Letters, digits and CJK characters: what a reader reads, without spaces and punctuation. */
export function contentLength(text: string): number {
  return text.replace(/[^\p{L}\p{N}]+/gu, '').length;
}
