import { EDITORS_NOTE_HEADING, LEAD_HEADING, type Article } from '../corpus/article.js';
import { keywordsOf } from '../search/tokenizer.js';

const MAX_SUMMARY = 150;
const SENTENCE = /[^。！？!?]+[。！？!?]?/g;

/**
 * One or two sentences that say what an article is about: the lead's sentences that carry
 * most of the article's own key words (jieba TF-IDF over the whole text), in reading order.
 */
export function summarizeArticle(article: Article): string {
  const lead = article.sections.filter((s) => s.heading === LEAD_HEADING).flatMap((s) => s.paragraphs);
  const body = article.sections.filter((s) => s.heading !== EDITORS_NOTE_HEADING).flatMap((s) => s.paragraphs);
  const source = (lead.length ? lead : body).slice(0, 4);
  const sentences = source.flatMap((p) => p.match(SENTENCE) ?? []).map((s) => s.trim()).filter((s) => s.length >= 8);
  if (!sentences.length) return '';
  const keywords = keywordsOf(body.join('\n').slice(0, 20_000), 20);
  const score = (sentence: string) => keywords.reduce((sum, k) => (sentence.includes(k.word) ? sum + k.weight : sum), 0) / Math.sqrt(sentence.length);
  const ranked = sentences.map((text, index) => ({ text, index, score: score(text) })).sort((a, b) => b.score - a.score);
  const chosen: typeof ranked = [];
  let length = 0;
  for (const candidate of ranked) {
    if (chosen.length === 2) break;
    if (length + candidate.text.length > MAX_SUMMARY && chosen.length) continue;
    chosen.push(candidate);
    length += candidate.text.length;
  }
  const text = chosen.sort((a, b) => a.index - b.index).map((c) => c.text).join('');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
