import { createHash } from 'node:crypto';

/** Questions recent answers were built from, so paging buttons can rebuild them (LRU). */
export interface QueryMemory {
  remember(query: string, articleId?: string): string;
  recall(key: string): { query: string; articleId?: string } | undefined;
}

export function createQueryMemory(capacity = 10_000): QueryMemory {
  const entries = new Map<string, { query: string; articleId?: string }>();
  return {
    remember(query, articleId) {
      const key = createHash('sha1').update(`${articleId ?? ''}\u0000${query}`).digest('base64url').slice(0, 10);
      entries.delete(key);
      entries.set(key, articleId ? { query, articleId } : { query });
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      return key;
    },
    recall(key) {
      const entry = entries.get(key);
      if (entry) {
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry;
    },
  };
}

/** What the limiter says of one more request from a reader. */
export type LimitVerdict = 'allow' | 'warn' | 'quiet';

export interface RateLimiter {
  /**
   * Counts one request: 'allow' under the limit; the first request over it in a window is
   * 'warn' (say "slow down" once), the rest 'quiet' (answer nothing) until the window frees.
   */
  check(readerKey: number): LimitVerdict;
  readonly size: number;
}

/**
 * Sliding one-minute window of requests (questions, inline queries, button presses) per
 * reader. Past `capacity` readers the least recently seen are forgotten, never everyone.
 */
export function createRateLimiter(perMinute: number, now: () => number = Date.now, capacity = 50_000): RateLimiter {
  const windows = new Map<number, { times: number[]; warned: boolean }>();
  return {
    check(readerKey) {
      const t = now();
      const entry = windows.get(readerKey) ?? { times: [], warned: false };
      // Most recently seen last: Map order is insertion order.
      windows.delete(readerKey);
      windows.set(readerKey, entry);
      while (entry.times.length && t - (entry.times[0] ?? 0) >= 60_000) entry.times.shift();
      if (windows.size > capacity) windows.delete(windows.keys().next().value as number);
      if (entry.times.length < perMinute) {
        entry.times.push(t);
        entry.warned = false;
        return 'allow';
      }
      if (entry.warned) return 'quiet';
      entry.warned = true;
      return 'warn';
    },
    get size() {
      return windows.size;
    },
  };
}

/** Remembers recent update ids: telegraf redelivers a batch after a crash. */
export function createUpdateDeduper(capacity = 2_000): (updateId: number) => boolean {
  const seen = new Set<number>();
  return (updateId) => {
    if (seen.has(updateId)) return false;
    seen.add(updateId);
    if (seen.size > capacity) seen.delete(seen.values().next().value as number);
    return true;
  };
}
