import type { Link } from '../corpus/article.js';
import type { SmallTalk } from '../search/query/question-intent.js';

/** One cited passage of an answer. */
export interface AnswerResult {
  passageId: string;
  articleId: string;
  articleTitle: string;
  url: string;
  heading: string;
  /** 1-based position of the paragraph within its section. */
  paragraph: number;
  /** The full paragraph. */
  text: string;
  /** The paragraph cropped around the match (~200 characters), with `…` where cut. */
  snippet: string;
  /** [start, end) character ranges of matched words within `snippet`. */
  highlights: Array<[number, number]>;
  score: number;
  /** When the passage is a list of links to other articles: the items the question matched. */
  links?: Link[];
}

export interface Answer {
  query: string;
  results: AnswerResult[];
  /** How many relevant passages exist in all (for paging). */
  total: number;
  /** When nothing is found: the question's words that no article mentions, normalised. */
  absent?: string[];
  /**
   * Set when the question asks about an article itself (author, where and when published,
   * link): what the front matter says of the articles it most likely means, shown before
   * any passages (the text may say more: who translated it, from where).
   */
  articleInfo?: ArticleInfo[];
  /** When the question asks for articles to read: the articles the relevant passages are from, best first. */
  relatedArticles?: ArticleInfo[];
  /** Set when the whole message is a greeting or a thank-you, not a question. */
  smallTalk?: SmallTalk;
}

export interface ArticleInfo {
  title: string;
  url: string;
  source: string | undefined;
  date: string | undefined;
}

export interface AnswerOptions {
  /** Passages to skip (paging). Default 0. */
  offset?: number;
  /** Passages to return. Default 3. */
  limit?: number;
  /** Restrict to one article. */
  articleId?: string;
}
