import type { SearchIndex } from '../search/search-index.js';
import type { Tokenizer } from '../search/tokenizer.js';
import { buildSnippet, SNIPPET_CHARS } from './snippet.js';
import type { Answer, AnswerOptions, AnswerResult } from './types.js';

/** Longest question we search: longer text is cut (the bot tells the user). */
export const MAX_QUERY_CHARS = 500;

export interface AnswerSettings {
  /**
   * A passage is relevant when it holds at least this share of the question's informative
   * words (weighted by IDF). Below it, "not found" is the honest answer.
   */
  minCoverage: number;
  /** How many ranked passages are considered for paging. */
  maxResults: number;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = { minCoverage: 0.5, maxResults: 30 };

export type Answerer = (query: string, options?: AnswerOptions) => Answer;

/** Question → cited passages, best first, with snippets and highlights. Pure over the index. */
export function createAnswerer(
  index: SearchIndex,
  tokenizer: Tokenizer,
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
): Answerer {
  return (query, options = {}) => {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(1, options.limit ?? 3);
    const analyzed = tokenizer.analyzeQuery(query.slice(0, MAX_QUERY_CHARS));
    const searchOptions = { limit: settings.maxResults, candidates: settings.maxResults, ...(options.articleId ? { articleId: options.articleId } : {}) };
    const hits = index.search(analyzed, searchOptions).filter((hit) => hit.coverage >= settings.minCoverage);
    const results = hits.slice(offset, offset + limit).map((hit): AnswerResult => {
      const article = index.article(hit.passage.articleId);
      const snippet = buildSnippet(hit.passage.text, hit.matched, SNIPPET_CHARS, hit.normalizedText);
      return {
        passageId: hit.passage.id,
        articleId: hit.passage.articleId,
        articleTitle: article?.title ?? '',
        url: article?.url ?? '',
        heading: hit.passage.heading,
        paragraph: hit.passage.paragraphIndex + 1,
        text: hit.passage.text,
        snippet: snippet.text,
        highlights: snippet.highlights,
        score: Math.round(hit.score * 1000) / 1000,
      };
    });
    return { query, results, total: hits.length };
  };
}
