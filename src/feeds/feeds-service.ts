/**
 * Feeds as the app and the bot see them: the store, the reader and the poller put together,
 * and the few things admins do (list, add, remove, OPML in and out, send a link).
 */
import type Database from 'better-sqlite3';
import type { Config } from '../config.js';
import type { Article } from '../corpus/article.js';
import { createSafeFetcher, type SafeFetcher } from '../fetch/safe-fetch.js';
import type { UpsertOutcome } from '../library-types.js';
import type { Logger } from '../logger.js';
import type { SourceFilter } from '../notices/notifier.js';
import { sourceKey, type SourceSubscriptions } from '../notices/source-subscriptions.js';
import { createFeedReader, type LinkResult, type ReadReport } from './feed-reader.js';
import { createFeedStore, type FeedRecord, type FeedStore } from './feed-store.js';
import { feedsFromOpml, feedsToOpml } from './opml.js';
import { createPoller, type Poller, type PollerOptions } from './poller.js';

export type AddFeedResult =
  | { ok: true; feed: FeedRecord; status: 'added' | 'restored'; title: string | undefined; items: number }
  | { ok: false; reason: string; feed?: FeedRecord };

export type AddLinkResult = ({ ok: true } & LinkResult) | { ok: false; reason: string };

export interface ImportResult {
  added: number;
  restored: number;
  existing: number;
  /** Entries that are not http(s) feed URLs. */
  skipped: string[];
}

/** What admins do with feeds (the bot's /feeds, /addfeed, /removefeed, OPML, links). */
export interface FeedsControl {
  list(): FeedRecord[];
  /** Checks the URL is a feed, adds it, and starts its first read; `onFirstRead` hears how it went. */
  add(url: string, onFirstRead?: (outcome: { report?: ReadReport; error?: string }) => void): Promise<AddFeedResult>;
  /** By number (`3`, `#3`) or URL. */
  remove(ref: string): FeedRecord | undefined;
  importOpml(text: string): ImportResult;
  exportOpml(): string;
  addLink(url: string): Promise<AddLinkResult>;
}

export interface FeedsService {
  store: FeedStore;
  control: FeedsControl;
  /** Finishes items a crash interrupted; call once the notifier has caught up. */
  resumePending(): number;
  start(): void;
  stop(): Promise<void>;
  /** Reads one feed now, recording the outcome as a scheduled read would. */
  readNow(feedId: number): Promise<{ report?: ReadReport; error?: string } | undefined>;
  stats(): { feeds: number; feedsFailing: number; feedItems: number };
}

export interface FeedsServiceDeps {
  config: Pick<Config, 'corpusDir' | 'feeds' | 'feedIntervalSeconds' | 'fetchAllowPrivate' | 'fetchTimeoutSeconds' | 'fetchMaxBytes'>;
  db: Database.Database;
  ingest: (article: Article) => UpsertOutcome;
  markQuiet: (article: Article) => void;
  logger: Logger;
  fetcher?: SafeFetcher;
  poller?: Partial<Omit<PollerOptions, 'store' | 'reader' | 'logger'>>;
}

const isHttpUrl = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

export function createFeedsService(deps: FeedsServiceDeps): FeedsService {
  const { config, logger } = deps;
  const store = createFeedStore(deps.db);
  const fetcher = deps.fetcher ?? createSafeFetcher({ allowPrivate: config.fetchAllowPrivate, timeoutMs: config.fetchTimeoutSeconds * 1000, maxBytes: config.fetchMaxBytes });
  const reader = createFeedReader({ store, fetcher, corpusDir: config.corpusDir, ingest: deps.ingest, markQuiet: deps.markQuiet, logger });
  const poller: Poller = createPoller({ store, reader, logger, intervalMs: config.feedIntervalSeconds * 1000, ...deps.poller });
  const links = new AbortController();

  const synced = store.syncConfigured(config.feeds);
  if (synced.added.length || synced.dropped.length) logger.info({ added: synced.added, dropped: synced.dropped }, 'feeds from FEEDS');

  const control: FeedsControl = {
    list: () => store.list(),
    async add(url, onFirstRead) {
      const trimmed = url.trim();
      if (!isHttpUrl(trimmed)) return { ok: false, reason: `not an http(s) URL: ${trimmed.slice(0, 100)}` };
      const existing = store.byUrl(trimmed);
      if (existing && !existing.removedAt) return { ok: false, reason: 'already read', feed: existing };
      let probe;
      try {
        probe = await reader.probeFeed(trimmed);
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      // The URL given, or the feed the given page announces.
      const known = probe.url !== trimmed ? store.byUrl(probe.url) : undefined;
      if (known && !known.removedAt) return { ok: false, reason: 'already read', feed: known };
      const { feed, status } = store.add(probe.url, 'admin');
      if (status === 'exists') return { ok: false, reason: 'already read', feed };
      logger.info({ feed: feed.url, status }, 'feed added');
      void poller.readNow(feed.id, probe.response).then((outcome) => outcome && onFirstRead?.(outcome));
      return { ok: true, feed, status, title: probe.feed.title, items: probe.feed.items.length };
    },
    remove(ref) {
      const id = /^#?\d+$/.test(ref.trim()) ? Number(ref.trim().replace('#', '')) : undefined;
      const feed = id !== undefined ? store.get(id) : isHttpUrl(ref.trim()) ? store.byUrl(ref.trim()) : undefined;
      const removed = feed && store.remove(feed.id);
      if (removed) logger.info({ feed: removed.url }, 'feed removed');
      return removed;
    },
    importOpml(text) {
      const { feeds, skipped } = feedsFromOpml(text);
      const result: ImportResult = { added: 0, restored: 0, existing: 0, skipped };
      for (const feed of feeds) {
        const { status } = store.add(feed.url, 'opml', feed.title);
        result[status === 'exists' ? 'existing' : status]++;
      }
      poller.kick();
      return result;
    },
    exportOpml: () => feedsToOpml(store.list().map((feed) => ({ url: feed.url, title: feed.title ?? undefined, siteUrl: feed.siteUrl ?? undefined }))),
    async addLink(url) {
      if (!isHttpUrl(url.trim())) return { ok: false, reason: `not an http(s) URL: ${url.slice(0, 100)}` };
      try {
        return { ok: true, ...(await reader.addLink(url.trim(), links.signal)) };
      } catch (error) {
        if (!(error instanceof Error) || !['FetchError', 'ExtractError', 'ArticleError'].includes(error.name)) throw error;
        return { ok: false, reason: error.message };
      }
    },
  };

  return {
    store,
    control,
    resumePending: () => reader.resumePending(),
    start: () => poller.start(),
    readNow: (feedId) => poller.readNow(feedId),
    async stop() {
      links.abort();
      await poller.stop();
    },
    stats() {
      const counts = store.counts();
      return { feeds: counts.feeds, feedsFailing: counts.failing, feedItems: counts.items };
    },
  };
}

/** Which sources an article comes from, for subscriptions by source: its own, and its feeds' titles. */
export function createSourceFilter(subscriptions: Pick<SourceSubscriptions, 'followed'>, store: Pick<FeedStore, 'feedTitlesOf'>): SourceFilter {
  return {
    followed: () => subscriptions.followed(),
    sourcesOf: (article) => new Set([article.source, ...store.feedTitlesOf(article.id)].filter((s): s is string => Boolean(s)).map(sourceKey).filter(Boolean)),
  };
}
