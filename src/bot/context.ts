import { TelegramError, type Context } from 'telegraf';
import type { Config } from '../config.js';
import type { FeedsControl } from '../feeds/feeds-service.js';
import type { Library } from '../library-types.js';
import type { Logger } from '../logger.js';
import type { AnswerFeedback } from './feedback.js';
import { langOf, MESSAGES, type Lang, type Messages } from './messages.js';
import type { QueryMemory, RateLimiter } from './state.js';

/** A chat's subscription as the bot shows it. */
export interface SubscriptionView {
  keywords: string | null;
  since: string;
  /** Accounts or feeds followed by name. */
  sources?: string[];
}

/** What the subscription commands need from the notices store. */
export interface Subscriptions {
  subscribe(chat: { id: number; type: string; language: Lang }, keywords: string | null): void;
  unsubscribe(chatId: number): boolean;
  subscription(chatId: number): SubscriptionView | undefined;
  stats(): Record<string, number>;
  /** Follows a source by name, subscribing the chat if need be. */
  followSource?(chat: { id: number; type: string; language: Lang }, source: string): { isNew: boolean; isKnown: boolean };
  /** Stops following a source; a chat left with no keywords and no sources is unsubscribed (not switched to everything). */
  unfollowSource?(chatId: number, source: string): boolean;
  /** The sources articles come from (accounts, feeds), for hints. */
  knownSources?(): string[];
}

export type UploadResult =
  | { ok: true; title: string; outcome: string }
  | { ok: false; exists: true }
  | { ok: false; exists?: false; reason: string };

/** Validates, saves and indexes an uploaded article; an existing name is replaced only when asked. */
export type ArticleUploadHandler = (name: string, bytes: Uint8Array, options: { replace: boolean }) => Promise<UploadResult>;

/** Everything the feature composers share. */
export interface BotDeps {
  config: Pick<Config, 'adminIds' | 'questionsPerMinute'>;
  library: Library;
  logger: Logger;
  queries: QueryMemory;
  /**
   * Article a reader's next question in a chat is limited to (set by the notice's "ask about
   * this article" button), keyed by scopeKey: one member's press never limits another's question.
   */
  scopes: Map<string, string>;
  /** One limit per reader over questions, inline queries and button presses. */
  limiter: RateLimiter;
  subscriptions?: Subscriptions | undefined;
  onArticleUpload?: ArticleUploadHandler | undefined;
  /** Feeds and links, for admins. */
  feeds?: FeedsControl | undefined;
  /** Logs questions and gives answers their 👍/👎 buttons (absent: nothing is logged). */
  feedback?: AnswerFeedback | undefined;
}

/**
 * Who a request comes from, for limits and scopes. A message sent "as a channel" or by an
 * anonymous admin carries one shared user id (136817688 / GroupAnonymousBot): its sender
 * chat is the reader.
 */
export function readerKeyOf(ctx: Context): number | undefined {
  const message = ctx.message ?? ctx.editedMessage;
  return message?.sender_chat?.id ?? ctx.from?.id;
}

/** Key of a reader's scope in a chat. */
export function scopeKey(chatId: number, readerKey: number | undefined): string {
  return `${chatId}:${readerKey ?? ''}`;
}

export function messagesFor(ctx: Context): { lang: Lang; m: Messages } {
  const lang = langOf(ctx.from?.language_code);
  return { lang, m: MESSAGES[lang] };
}

export const HTML_OPTIONS = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/**
 * telegraf never retries a send that got 429; for interactive replies one short wait is
 * worth it (the user is waiting), a long one is not.
 */
export async function withRetry<T>(send: () => Promise<T>, maxWaitSeconds = 5): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const retryAfter = error instanceof TelegramError ? error.response.parameters?.retry_after : undefined;
    if (error instanceof TelegramError && error.code === 429 && retryAfter !== undefined && retryAfter <= maxWaitSeconds) {
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      return send();
    }
    throw error;
  }
}

/** "message is not modified" is Telegram's way of saying the edit was already done. */
export function isNotModified(error: unknown): boolean {
  return error instanceof TelegramError && error.code === 400 && /not modified/i.test(error.description);
}
