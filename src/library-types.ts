import type { Article } from './corpus/article.js';
import type { Answer, AnswerOptions } from './answer/types.js';

/** A paragraph shown with its neighbours ("上下文"). */
export interface PassageContext {
  article: Article;
  heading: string;
  sectionIndex: number;
  /** The target paragraph and up to `radius` neighbours on each side within its section. */
  paragraphs: Array<{ paragraphIndex: number; text: string; isTarget: boolean }>;
}

export type UpsertOutcome = 'added' | 'replaced' | 'unchanged';

/**
 * The corpus and its index kept in step: what the bot, the CLI and the notifier ask.
 * Everything here is synchronous and in memory.
 */
export interface Library {
  answer(query: string, options?: AnswerOptions): Answer;
  /** Articles, newest first. */
  articles(): Article[];
  article(id: string): Article | undefined;
  /** The headings an article's sections are cited under (a source's own line as the lead), in order. */
  sectionHeadings(articleId: string): string[];
  passageContext(passageId: string, radius?: number): PassageContext | undefined;
  /** A few questions drawn from the corpus, for /start and empty inline queries. */
  exampleQuestions(count: number): string[];
  /** Whether an article is relevant to a subscriber's keywords (same tokenizer and index). */
  matchesKeywords(articleId: string, keywords: string): boolean;
  upsert(article: Article): UpsertOutcome;
  remove(articleId: string): boolean;
}
