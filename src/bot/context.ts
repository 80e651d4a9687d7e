import { TelegramError, type Context } from 'telegraf';
import type { Config } from '../config.js';
import type { Library } from '../library-types.js';
import type { Logger } from '../logger.js';
import type { AnswerFeedback } from './feedback.js';
import { langOf, MESSAGES, type Lang, type Messages } from './messages.js';
import type { QueryMemory } from './state.js';

/** A chat's subscription as the bot shows it. */
export interface SubscriptionView {
  keywords: string | null;
  since: string;
}

/** What the subscription commands need from the notices store. */
export interface Subscriptions {
  subscribe(chat: { id: number; type: string; language: Lang }, keywords: string | null): void;
  unsubscribe(chatId: number): boolean;
  subscription(chatId: number): SubscriptionView | undefined;
  stats(): Record<string, number>;
}

export type UploadResult = { ok: true; title: string; outcome: string } | { ok: false; reason: string };

/** Everything the feature composers share. */
export interface BotDeps {
  config: Pick<Config, 'adminIds' | 'questionsPerMinute'>;
  library: Library;
  logger: Logger;
  queries: QueryMemory;
  /** Article a chat's next question is limited to (set by the notice's "ask about this article" button). */
  scopes: Map<number, string>;
  subscriptions?: Subscriptions | undefined;
  onArticleUpload?: ((fileName: string, bytes: Uint8Array) => Promise<UploadResult>) | undefined;
  /** Logs questions and gives answers their 👍/👎 buttons (absent: nothing is logged). */
  feedback?: AnswerFeedback | undefined;
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
