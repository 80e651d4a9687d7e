/**
 * Reads each feed every interval (with jitter, so feeds added together drift apart), a few
 * at a time; a feed that fails backs off on its own (2×, 4×, … the interval, at most 6 hours,
 * longer if the server asks with Retry-After) while the others go on. The schedule lives in
 * SQLite, so a restart neither hammers nor forgets.
 */
import { FetchError, type FetchResponse } from '../fetch/safe-fetch.js';
import type { Logger } from '../logger.js';
import type { FeedReader, ReadReport } from './feed-reader.js';
import type { FeedRecord, FeedStore } from './feed-store.js';

export interface PollerOptions {
  store: FeedStore;
  reader: Pick<FeedReader, 'readFeed'>;
  logger: Logger;
  intervalMs: number;
  /** ± share of the interval (default 0.1). */
  jitter?: number;
  /** Feeds read at once (default 4). */
  concurrency?: number;
  /** The longest backoff (default 6 hours, or the interval if longer). */
  maxBackoffMs?: number;
  /** How often to look for feeds added from outside (the CLI) (default 60 s, or the interval if shorter). */
  checkEveryMs?: number;
  /** Called after every read, with what it found (for the admin who added a feed, and for tests). */
  onRead?: (feed: FeedRecord, outcome: { report?: ReadReport; error?: string }) => void;
  now?: () => number;
  random?: () => number;
}

export interface Poller {
  start(): void;
  /** Stops scheduling, abandons reads in flight, and waits for them to end. */
  stop(): Promise<void>;
  /** Reads one feed now (with a response already fetched, for a feed just added); resolves when done. */
  readNow(feedId: number, response?: FetchResponse): Promise<{ report?: ReadReport; error?: string } | undefined>;
  /** Looks for due feeds now. */
  kick(): void;
}

/** How long to wait after the n-th consecutive failure. */
export function backoffMs(failures: number, intervalMs: number, maxBackoffMs: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(intervalMs * 2 ** Math.min(failures, 20), maxBackoffMs);
  const asked = retryAfterSeconds !== undefined ? Math.min(retryAfterSeconds * 1000, 24 * 3600_000) : 0;
  return Math.max(exponential, asked);
}

export function createPoller(options: PollerOptions): Poller {
  const { store, reader, logger, intervalMs } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const jitter = options.jitter ?? 0.1;
  const concurrency = options.concurrency ?? 4;
  const maxBackoffMs = Math.max(options.maxBackoffMs ?? 6 * 3600_000, intervalMs);
  const checkEveryMs = Math.min(options.checkEveryMs ?? 60_000, intervalMs);
  const running = new Map<number, Promise<{ report?: ReadReport; error?: string }>>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;

  const withJitter = (ms: number) => Math.round(ms * (1 - jitter + 2 * jitter * random()));

  async function read(feed: FeedRecord, response?: FetchResponse): Promise<{ report?: ReadReport; error?: string }> {
    try {
      const report = await reader.readFeed(feed, { ...(response ? { response } : {}), signal: abort.signal });
      const next = now() + withJitter(intervalMs);
      if (report.status === 'unchanged') store.recordUnchanged(feed.id, next);
      else store.recordRead(feed.id, { title: report.title, siteUrl: report.siteUrl, etag: report.etag, lastModified: report.lastModified, nextPollAt: next, baselineKeys: report.keys });
      options.onRead?.(feed, { report });
      return { report };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (stopped) return { error: message };
      const failures = store.recordFailure(feed.id, message);
      const retryAfter = error instanceof FetchError ? error.details.retryAfterSeconds : undefined;
      const wait = withJitter(backoffMs(failures, intervalMs, maxBackoffMs, retryAfter));
      store.scheduleRetry(feed.id, now() + wait);
      logger.warn({ feed: feed.url, failures, retryInS: Math.round(wait / 1000), err: message }, 'feed read failed; backing off');
      options.onRead?.(feed, { error: message });
      return { error: message };
    }
  }

  function launch(feed: FeedRecord, response?: FetchResponse): Promise<{ report?: ReadReport; error?: string }> {
    const existing = running.get(feed.id);
    if (existing) return existing;
    const promise = read(feed, response).finally(() => {
      running.delete(feed.id);
      schedule(0);
    });
    running.set(feed.id, promise);
    return promise;
  }

  function tick(): void {
    timer = undefined;
    if (stopped) return;
    try {
      for (const feed of store.due(now())) {
        if (running.size >= concurrency) break;
        if (!running.has(feed.id)) void launch(feed);
      }
    } catch (error) {
      logger.error({ err: String(error) }, 'feed schedule could not be read');
    }
    schedule();
  }

  /** Wakes at the next due feed, or within checkEveryMs to notice feeds added from outside. */
  function schedule(delay?: number): void {
    if (stopped || !started) return;
    let wait = delay;
    if (wait === undefined) {
      // Feeds being read are not waited for: their end reschedules. At capacity, neither are the others.
      const waiting = running.size >= concurrency ? [] : store.list().filter((feed) => !running.has(feed.id));
      const next = Math.min(...waiting.map((feed) => feed.nextPollAt));
      wait = Math.min(checkEveryMs, Number.isFinite(next) ? Math.max(0, next - now()) : checkEveryMs);
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, Math.max(wait, 10));
    timer.unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await Promise.allSettled([...running.values()]);
    },
    async readNow(feedId, response) {
      const feed = store.get(feedId);
      if (!feed || feed.removedAt || stopped) return undefined;
      return launch(feed, response);
    },
    kick: () => schedule(0),
  };
}
