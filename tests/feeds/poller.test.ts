import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedReader, ReadReport } from '../../src/feeds/feed-reader.js';
import { createFeedStore } from '../../src/feeds/feed-store.js';
import { backoffMs, createPoller } from '../../src/feeds/poller.js';
import { openStore } from '../../src/notices/store.js';
import { silentLogger, tempDir } from '../notices/helpers.js';
import { rssFeed, type FixtureItem } from '../support/feed-fixtures.js';
import { startFeedsHarness, subscriber, waitUntil, type FeedsHarness } from './harness.js';

const report = (over: Partial<ReadReport> = {}): ReadReport => ({ status: 'read', baseline: false, title: 'T', siteUrl: null, etag: null, lastModified: null, items: 0, keys: undefined, added: 0, updated: 0, failed: [], ...over });
const news = (n: number): FixtureItem => ({ id: `n${n}`, title: `新闻${n}：数据安全审查`, link: `https://news.example/${n}`, date: `2026-11-0${n}T00:00:00Z`, html: `<p>第${n}条新闻的正文，讲述数据安全审查的进展。</p>` });

describe('backoffMs', () => {
  it('doubles the interval with each consecutive failure, up to the cap, and honours Retry-After', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000))).toEqual([2000, 4000, 8000, 16_000]);
    expect(backoffMs(12, 1800_000, 6 * 3600_000)).toBe(6 * 3600_000);
    expect(backoffMs(1, 1000, 60_000, 120)).toBe(120_000);
    expect(backoffMs(1, 1000, 60_000, 10 ** 9)).toBe(24 * 3600_000);
  });
});

describe('the poller', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function schedule() {
    const t = tempDir('poller-');
    const notices = openStore(join(t.dir, 'bot.db'));
    const store = createFeedStore(notices.db);
    cleanups.push(() => {
      notices.close();
      t.cleanup();
    });
    return store;
  }

  it('reads each feed every interval with jitter, a few at a time', async () => {
    const store = schedule();
    for (let i = 0; i < 6; i++) store.add(`https://feeds.example/${i}`, 'config');
    let inFlight = 0;
    let most = 0;
    const reads: number[] = [];
    const reader: Pick<FeedReader, 'readFeed'> = {
      async readFeed(feed) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        reads.push(feed.id);
        return report();
      },
    };
    let random = 0;
    const poller = createPoller({ store, reader, logger: silentLogger, intervalMs: 10_000, concurrency: 2, random: () => random });
    cleanups.push(() => poller.stop());
    const started = Date.now();
    poller.start();
    await waitUntil(() => reads.length === 6);
    expect(most).toBe(2);
    // random() = 0 is the earliest jitter: 0.9 × the interval.
    for (const feed of store.list()) {
      expect(feed.nextPollAt - started).toBeGreaterThanOrEqual(9000);
      expect(feed.nextPollAt - Date.now()).toBeLessThanOrEqual(9000);
    }
    random = 1;
    await poller.readNow(1);
    expect(store.get(1)!.nextPollAt - Date.now()).toBeGreaterThan(10_900);
    expect(reads).toHaveLength(7);
  });

  it('backs a failing feed off (recorded with its error) while the others go on', async () => {
    const store = schedule();
    const good = store.add('https://feeds.example/good', 'config').feed;
    const bad = store.add('https://feeds.example/bad', 'config').feed;
    const reads = new Map<number, number>();
    const reader: Pick<FeedReader, 'readFeed'> = {
      async readFeed(feed) {
        reads.set(feed.id, (reads.get(feed.id) ?? 0) + 1);
        if (feed.id === bad.id) throw new Error('HTTP 500 Internal Server Error');
        return report();
      },
    };
    const poller = createPoller({ store, reader, logger: silentLogger, intervalMs: 100, jitter: 0 });
    cleanups.push(() => poller.stop());
    poller.start();
    await new Promise((r) => setTimeout(r, 1000));
    await poller.stop();
    // In 1 s at 100 ms: the good feed about 10 reads; the bad one after 0, 200, 600 ms (backoff 2×, 4×, 8×).
    expect(reads.get(good.id)).toBeGreaterThanOrEqual(4);
    expect(reads.get(bad.id)).toBeGreaterThanOrEqual(2);
    expect(reads.get(bad.id)).toBeLessThanOrEqual(4);
    expect(store.get(bad.id)).toMatchObject({ lastError: 'HTTP 500 Internal Server Error' });
    expect(store.get(bad.id)!.failures).toBe(reads.get(bad.id));
    expect(store.get(good.id)).toMatchObject({ failures: 0, lastError: null });
    expect(store.counts()).toMatchObject({ feeds: 2, failing: 1 });
  });

  it('stops promptly, abandoning a read in flight', async () => {
    const store = schedule();
    store.add('https://feeds.example/slow', 'config');
    let aborted = false;
    const reader: Pick<FeedReader, 'readFeed'> = {
      readFeed: (_feed, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('abandoned'));
          });
        }),
    };
    const poller = createPoller({ store, reader, logger: silentLogger, intervalMs: 1000 });
    poller.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await poller.stop();
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
    // Stopping is not a failure of the feed.
    expect(store.list()[0]).toMatchObject({ failures: 0 });
  });
});

describe('broken feeds', () => {
  let h: FeedsHarness;
  afterEach(async () => h?.close());

  it('harm no other: a 500, a timeout, invalid XML and a 20 MB body fail alone, recorded, while a good feed is read and noticed', async () => {
    h = await startFeedsHarness({ fetch: { timeoutMs: 500, maxBytes: 1024 * 1024 }, poller: { intervalMs: 400, jitter: 0 } });
    subscriber(h.store, 1);
    h.server.set('/error', { status: 500, body: 'Internal Server Error' });
    h.server.set('/slow', { hang: true });
    h.server.set('/invalid', { body: '<rss version="2.0"><channel><title>坏的</title><item><title>未闭合', type: 'application/rss+xml' });
    h.server.set('/huge', { streamBytes: 20 * 1024 * 1024, type: 'application/rss+xml' });
    h.server.set('/good', { body: rssFeed('好的', 'https://news.example/', [news(1)]), type: 'application/rss+xml' });
    const ids = Object.fromEntries(['/error', '/slow', '/invalid', '/huge', '/good'].map((path) => [path, h.feeds.store.add(h.server.url(path), 'config').feed.id]));
    const started = Date.now();
    h.feeds.start();
    await waitUntil(() => ['/error', '/slow', '/invalid', '/huge'].every((p) => h.feeds.store.get(ids[p]!)!.failures >= 1) && h.feeds.store.get(ids['/good']!)!.firstReadAt !== null);
    expect(Date.now() - started).toBeLessThan(3000);
    const errorOf = (path: string) => h.feeds.store.get(ids[path]!)!.lastError;
    expect(errorOf('/error')).toContain('HTTP 500');
    expect(errorOf('/slow')).toContain('no complete answer within 0.5 s');
    expect(errorOf('/invalid')).toMatch(/cannot be read|not a feed/);
    expect(errorOf('/huge')).toContain('over 1 MB');
    expect(h.server.streamed.get('/huge')!.finished).toBe(false);
    expect(h.feeds.stats()).toMatchObject({ feeds: 5, feedsFailing: 4 });

    // The good feed goes on being read, and its new item is noticed.
    h.server.set('/good', { body: rssFeed('好的', 'https://news.example/', [news(1), news(2)]), type: 'application/rss+xml' });
    await waitUntil(() => h.notices().length === 1, 5000);
    expect(h.notices()).toEqual([{ chatId: 1, title: '新闻2：数据安全审查' }]);
    expect(h.feeds.store.get(ids['/good']!)).toMatchObject({ failures: 0, lastError: null });
    // The broken ones back off: each failure doubles the wait.
    const error = h.feeds.store.get(ids['/error']!)!;
    expect(error.nextPollAt - Date.parse(error.lastErrorAt!)).toBeGreaterThanOrEqual(2 * 400 * 2 ** (error.failures - 1) - 50);
  });
});
