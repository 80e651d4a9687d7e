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

/** Sliding one-minute window of questions per user. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): (userId: number) => boolean {
  const windows = new Map<number, number[]>();
  return (userId) => {
    const t = now();
    const recent = (windows.get(userId) ?? []).filter((at) => t - at < 60_000);
    const allowed = recent.length < perMinute;
    if (allowed) recent.push(t);
    windows.set(userId, recent);
    if (windows.size > 50_000) windows.clear();
    return allowed;
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
