import type { Link } from '../corpus/article.js';
import { isEnglishQuestion } from '../search/query/english-chinese.js';
import { asksAboutArticle, asksForArticles, smallTalkOf, withoutPublicationWords } from '../search/query/question-intent.js';
import { heldSpellingsOf } from '../search/query/rank-passages.js';
import type { RankingOptions, SearchHit, SearchIndex } from '../search/search-index.js';
import type { AnalyzedQuery, Tokenizer } from '../search/tokenizer.js';
import { buildSnippet, SNIPPET_CHARS, type WordWeights } from './snippet.js';
import type { Answer, AnswerOptions, AnswerResult, ArticleInfo } from './types.js';

/** Longest question we search: longer text is cut (the bot tells the user). */
export const MAX_QUERY_CHARS = 500;
/** Links shown with a reading list: the items that match the question. */
const MAX_LINKS = 3;
/** Articles described for a question about an article itself. */
const MAX_ARTICLE_INFO = 3;
/** Articles listed for a question that asks for articles to read. */
const MAX_RELATED_ARTICLES = 5;

export interface AnswerSettings {
  /**
   * A passage is relevant when it and its article hold at least this share of the question's
   * informative words (weighted by IDF; see RankingOptions.passageShare). Below it, "not
   * found" is the honest answer. This is the share for a small corpus (≤ 1,000 passages)…
   */
  minCoverage: number;
  /**
   * …and this for a large one (≥ 100,000 passages), in between on a log scale: the more
   * passages, the likelier some share a question's words by chance.
   */
  minCoverageLarge: number;
  /** …and the passage itself (with its heading and title) at least this share. */
  minPassageCoverage: number;
  /**
   * How far below minCoverage a passage may still be shown when it holds the question's
   * most telling word and three of its words (see isRelevant).
   */
  paraphraseAllowance: number;
  /** How many ranked passages are considered for paging. */
  maxResults: number;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = { minCoverage: 0.5, minCoverageLarge: 0.6, minPassageCoverage: 0.3, paraphraseAllowance: 0.1, maxResults: 30 };

/** The coverage a passage needs in a corpus of `passages` (see AnswerSettings.minCoverageLarge). */
export function minCoverageFor(settings: AnswerSettings, passages: number): number {
  const position = Math.min(1, Math.max(0, Math.log10(Math.max(1, passages) / 1000) / 2));
  return settings.minCoverage + (settings.minCoverageLarge - settings.minCoverage) * position;
}

/** Links of a reading list whose titles hold the most of the matched words, best first. */
function linksOf(links: Link[] | undefined, matched: readonly string[], tokenizer: Tokenizer): { links?: Link[] } {
  if (!links?.length || !matched.length) return {};
  const ranked = links
    .map((link) => {
      const title = tokenizer.normalize(link.text);
      return { link, found: matched.filter((word) => title.includes(word)).reduce((sum, word) => sum + word.length, 0) };
    })
    .filter((r) => r.found > 0)
    .sort((a, b) => b.found - a.found)
    .slice(0, MAX_LINKS);
  return ranked.length ? { links: ranked.map((r) => r.link) } : {};
}

/**
 * The front matter of the article a question about "this article" means: the one the chat
 * is limited to, else those the rest of the question finds, else the only one there is.
 */
function articleInfoFor(index: SearchIndex, hits: readonly SearchHit[], articleId: string | undefined): ArticleInfo[] {
  const only = index.articleCount === 1 ? index.articles().map((a) => a.id) : [];
  return infoOf(index, articleId ? [articleId] : hits.length ? articlesOf(hits) : only, MAX_ARTICLE_INFO);
}

/** The articles of the hits, in the order of their best passage. */
function articlesOf(hits: readonly SearchHit[]): string[] {
  return [...new Set(hits.map((hit) => hit.passage.articleId))];
}

function infoOf(index: SearchIndex, ids: readonly string[], max: number): ArticleInfo[] {
  return ids.slice(0, max).flatMap((id): ArticleInfo[] => {
    const article = index.article(id);
    return article ? [{ title: article.title, url: article.url, source: article.source, date: article.date }] : [];
  });
}

export type Answerer = (query: string, options?: AnswerOptions) => Answer;

/**
 * Whether a passage answers enough of the question to be shown. Enough of its weighted words
 * (with its article's help); or a little less, when the passage itself holds the question's
 * most telling word and at least three of its words — a paraphrase, not a chance overlap.
 * An English question needs one of its own words as written (a name, an identifier, an
 * English word) in the passage, its heading or its title: dictionary translations of common
 * words alone ("best season to visit" → 最好 时期 访问) meet by chance in a large corpus.
 */
function isRelevant(hit: SearchHit, settings: AnswerSettings, minCoverage: number, english: boolean): boolean {
  if (hit.passageCoverage < settings.minPassageCoverage) return false;
  if (english && !hit.query.words.some((word) => hit.matched.includes(word.term))) return false;
  if (hit.coverage >= minCoverage) return true;
  if (hit.coverage < minCoverage - settings.paraphraseAllowance) return false;
  const words = hit.query.words;
  const held = words.filter((word) => heldSpellingsOf(word).some((s) => hit.matched.includes(s)));
  const top = words.reduce((best, word) => (word.weight > (best?.weight ?? -1) ? word : best), words[0]);
  return held.length >= 3 && top !== undefined && held.includes(top);
}

/** Each spelling of each question word, with the word it spells and the weight it earns (for snippets). */
export function snippetWeightsOf(query: AnalyzedQuery): WordWeights {
  const weights = new Map<string, { group: number; weight: number }>();
  query.words.forEach((word, group) => {
    for (const spelling of heldSpellingsOf(word)) if (!weights.has(spelling)) weights.set(spelling, { group, weight: word.weight });
    // A near-synonym weighs in the snippet as in the ranking: a share of its word.
    for (const spelling of word.related ?? []) if (!weights.has(spelling)) weights.set(spelling, { group, weight: word.weight * (query.relatedCredit ?? 0) });
  });
  return weights;
}

/** Question → cited passages, best first, with snippets and highlights. Pure over the index. */
export function createAnswerer(
  index: SearchIndex,
  tokenizer: Tokenizer,
  settings: AnswerSettings = DEFAULT_ANSWER_SETTINGS,
  ranking?: RankingOptions,
): Answerer {
  return (query, options = {}) => {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(1, options.limit ?? 3);
    const analyzed = tokenizer.analyzeQuery(query.slice(0, MAX_QUERY_CHARS));
    const smallTalk = smallTalkOf(analyzed.normalized);
    if (smallTalk) return { query, results: [], total: 0, smallTalk };
    const wantsArticles = asksForArticles(analyzed.normalized);
    const searchOptions = { limit: settings.maxResults, candidates: settings.maxResults, wantsArticles, ...(options.articleId ? { articleId: options.articleId } : {}), ...(ranking ? { ranking } : {}) };
    // "这篇文章是谁翻译的": the front matter says what it can; passages may say more (译自《外交事务》).
    const aboutArticle = asksAboutArticle(analyzed.normalized);
    const searched = aboutArticle ? withoutPublicationWords(analyzed) : analyzed;
    const minCoverage = minCoverageFor(settings, index.passageCount);
    const english = isEnglishQuestion(analyzed.normalized);
    const hits = index.search(searched, searchOptions).filter((hit) => isRelevant(hit, settings, minCoverage, english));
    const articleInfo = offset === 0 && aboutArticle ? { articleInfo: articleInfoFor(index, hits, options.articleId) } : {};
    const results = hits.slice(offset, offset + limit).map((hit): AnswerResult => {
      const article = index.article(hit.passage.articleId);
      const snippet = buildSnippet(hit.passage.text, hit.matched, SNIPPET_CHARS, hit.normalizedText, snippetWeightsOf(hit.query));
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
        ...linksOf(hit.passage.readingList, hit.matched, tokenizer),
      };
    });
    if (hits.length) {
      // "…的文章有哪些": the articles themselves, as well as the passages that show why.
      const relatedArticles = offset === 0 && wantsArticles ? infoOf(index, articlesOf(hits), MAX_RELATED_ARTICLES) : [];
      return { query, results, total: hits.length, ...articleInfo, ...(relatedArticles.length ? { relatedArticles } : {}) };
    }
    if (articleInfo.articleInfo) return { query, results, total: 0, ...articleInfo };
    const absent = index.absentWords(analyzed);
    return { query, results, total: 0, ...(absent.length ? { absent } : {}) };
  };
}
