import type { AnalyzedQuery } from '../search/tokenizer.js';

/**
 * What a question asks about, as a key: its informative words after the tokenizer's
 * normalisation (繁→简, full-width, case), question words and particles dropped, each
 * spelling of a glossary name folded to one, sorted. 光刻机是什么？, 什么是光刻機 and
 * "光刻机 是啥" share a key, so the log can count them as one question. A question with no
 * informative word at all (？？, 🙂, 什么) gets the empty key: it asks nothing an article could answer.
 */
export function questionTopic(analyzed: AnalyzedQuery): string {
  const words = new Set(analyzed.words.map((w) => [w.term, ...w.aliases].sort()[0] ?? w.term));
  return [...words].sort().join(' ');
}
