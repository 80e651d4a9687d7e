import { TelegramError } from 'telegraf';
import { redactToken, type Logger } from '../logger.js';
import { formatNotice } from './notice.js';
import type { DueDelivery, NoticeStore } from './store.js';

/** The one Bot API call the sender makes (telegraf's `telegram.callApi` fits). */
export type CallApi = (method: 'sendMessage', payload: Record<string, unknown>, options: { signal: AbortSignal }) => Promise<{ message_id: number }>;

export interface SendLimits {
  /** Messages per second over all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Minimum milliseconds between two messages to one chat (Telegram: 1 s). */
  perChatIntervalMs: number;
  /** Messages per minute to one group (Telegram: 20). */
  perGroupPerMinute: number;
}

/**
 * Telegram's published limits (30/s overall, 1/s per chat, 20/min per group) less a little
 * headroom: they are measured where requests arrive, after network jitter.
 */
export const TELEGRAM_LIMITS: SendLimits = { globalPerSecond: 29, perChatIntervalMs: 1050, perGroupPerMinute: 19 };
export const NO_LIMITS: SendLimits = { globalPerSecond: Infinity, perChatIntervalMs: 0, perGroupPerMinute: Infinity };

export interface SenderOptions {
  store: NoticeStore;
  callApi: CallApi;
  logger: Logger;
  limits?: SendLimits;
  /** A send that takes longer is abandoned and retried. */
  timeoutMs?: number;
  maxAttempts?: number;
  now?: () => number;
}

export interface NoticeSender {
  start(): void;
  /** Finishes the message in flight, then stops. */
  stop(): Promise<void>;
  /** New deliveries were queued: look now. */
  kick(): void;
  /** Resolves when nothing is due now or later (tests, benchmarks). */
  drain(timeoutMs?: number): Promise<void>;
}

const isGroup = (d: DueDelivery) => d.chatId < 0 || d.chatType === 'group' || d.chatType === 'supergroup';

/**
 * Sends queued notices from the SQLite outbox, one at a time, within Telegram's limits.
 *
 * Crash safety: a delivery is committed as 'sending' just before its HTTP call and as
 * 'sent' (with the message id) just after. After a crash, only deliveries still in
 * 'sending' are uncertain; they are sent again (a lost notice is worse than a repeated
 * one). With one message in flight at a time, a crash can repeat at most one notice, and
 * only when it lands inside that one HTTP call; a crash anywhere else loses and repeats
 * nothing.
 */
export function createNoticeSender(options: SenderOptions): NoticeSender {
  const { store, logger } = options;
  const limits = options.limits ?? TELEGRAM_LIMITS;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const now = options.now ?? Date.now;

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let pausedUntil = 0;
  let nextSlot = 0;
  const recentSends: number[] = [];
  const lastSentToChat = new Map<number, number>();
  const groupSends = new Map<number, number[]>();
  let idleWaiters: Array<() => void> = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, Math.max(0, ms));
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  /** Milliseconds until a message to this chat is within every limit. */
  function waitFor(delivery: DueDelivery, t: number): number {
    let wait = pausedUntil - t;
    if (Number.isFinite(limits.globalPerSecond)) {
      while (recentSends.length && t - recentSends[0]! >= 1000) recentSends.shift();
      if (recentSends.length >= limits.globalPerSecond) wait = Math.max(wait, recentSends[0]! + 1000 - t);
      // Evenly spaced rather than in bursts (gentler on Telegram's flood control), on an
      // ideal timeline so that timer lateness does not add up and lower the rate.
      wait = Math.max(wait, nextSlot - t);
    }
    const last = lastSentToChat.get(delivery.chatId);
    if (last !== undefined) wait = Math.max(wait, last + limits.perChatIntervalMs - t);
    if (isGroup(delivery) && Number.isFinite(limits.perGroupPerMinute)) {
      const sends = (groupSends.get(delivery.chatId) ?? []).filter((at) => t - at < 60_000);
      groupSends.set(delivery.chatId, sends);
      if (sends.length >= limits.perGroupPerMinute) wait = Math.max(wait, sends[0]! + 60_000 - t);
    }
    return wait;
  }

  function noteSent(delivery: DueDelivery, t: number): void {
    if (Number.isFinite(limits.globalPerSecond)) {
      recentSends.push(t);
      nextSlot = Math.max(nextSlot, t - 1000 / limits.globalPerSecond) + 1000 / limits.globalPerSecond;
    }
    lastSentToChat.set(delivery.chatId, t);
    if (isGroup(delivery)) groupSends.set(delivery.chatId, [...(groupSends.get(delivery.chatId) ?? []), t]);
    if (lastSentToChat.size > 100_000) lastSentToChat.clear();
  }

  function backoffMs(attempts: number): number {
    const base = Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
    return base / 2 + Math.random() * (base / 2);
  }

  async function send(delivery: DueDelivery): Promise<void> {
    const message = formatNotice(delivery.article, delivery.language);
    store.markSending(delivery.id);
    const t = now();
    noteSent(delivery, t);
    try {
      const result = await options.callApi(
        'sendMessage',
        {
          chat_id: delivery.chatId,
          text: message.html,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          reply_markup: { inline_keyboard: message.keyboard },
        },
        { signal: AbortSignal.timeout(timeoutMs) },
      );
      store.markSent(delivery.id, result.message_id);
    } catch (error) {
      handleFailure(delivery, error);
    }
  }

  function handleFailure(delivery: DueDelivery, error: unknown): void {
    const attempts = delivery.attempts + 1;
    const description = redactToken(error instanceof TelegramError ? `${error.code} ${error.description}` : String(error));
    if (error instanceof TelegramError) {
      const parameters = error.response.parameters;
      if (error.code === 429) {
        // Flood control: everyone waits, and this attempt does not count against the message.
        const retryAfterMs = (parameters?.retry_after ?? 5) * 1000;
        pausedUntil = Math.max(pausedUntil, now() + retryAfterMs);
        store.markRetry(delivery.id, now() + retryAfterMs, description, false);
        logger.warn({ chat: delivery.chatId, retryAfterS: retryAfterMs / 1000 }, 'rate limited by Telegram; pausing sends');
        return;
      }
      if (error.code === 403) {
        store.markFailed(delivery.id, description);
        store.unsubscribe(delivery.chatId);
        logger.info({ chat: delivery.chatId, reason: error.description }, 'chat blocked the bot or is gone; unsubscribed');
        return;
      }
      if (error.code === 400 && parameters?.migrate_to_chat_id) {
        store.migrateChat(delivery.chatId, parameters.migrate_to_chat_id);
        logger.info({ from: delivery.chatId, to: parameters.migrate_to_chat_id }, 'group became a supergroup; subscription moved');
        return;
      }
      if (error.code >= 400 && error.code < 500) {
        store.markFailed(delivery.id, description);
        logger.warn({ chat: delivery.chatId, article: delivery.articleId, error: description }, 'notice rejected; not retrying');
        return;
      }
    }
    // 5xx, network errors, timeouts: back off and try again, up to a limit.
    if (attempts >= maxAttempts) {
      store.markFailed(delivery.id, description);
      logger.error({ chat: delivery.chatId, article: delivery.articleId, attempts, error: description }, 'notice failed for good');
    } else {
      store.markRetry(delivery.id, now() + backoffMs(attempts), description, true);
      logger.warn({ chat: delivery.chatId, attempts, error: description }, 'notice send failed; will retry');
    }
  }

  async function run(): Promise<void> {
    const recovered = store.recoverInFlight();
    if (recovered) logger.warn({ deliveries: recovered }, 'resending notices whose send was interrupted by a crash');
    while (running) {
      const t = now();
      // Chats that must wait are skipped so one slow group does not hold up everyone.
      const waiting = new Set<number>();
      let next: DueDelivery | undefined;
      let soonest = Infinity;
      for (let round = 0; round < 3 && !next; round++) {
        const due = store.nextDue(t, waiting, 50);
        if (!due.length) break;
        for (const delivery of due) {
          const wait = waitFor(delivery, t);
          if (wait <= 0) {
            next = delivery;
            break;
          }
          soonest = Math.min(soonest, wait);
          waiting.add(delivery.chatId);
        }
      }
      if (next) {
        await send(next);
        continue;
      }
      const wakeAt = store.nextWakeAt();
      if (wakeAt === undefined && soonest === Infinity) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      const untilDue = wakeAt === undefined ? Infinity : wakeAt - t;
      await sleep(Math.min(soonest, Math.max(untilDue, 5), 60_000));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run().catch((error: unknown) => {
        logger.fatal({ err: String(error) }, 'notice sender stopped');
      });
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
    kick() {
      wake?.();
    },
    drain(timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`notices not drained within ${timeoutMs} ms: ${JSON.stringify(store.counts())}`)), timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        wake?.();
      });
    },
  };
}
