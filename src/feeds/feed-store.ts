/**
 * Feeds, their health, and every item read from them, in the bot's SQLite database (tables
 * from the notices store's migrations). An item is written here, with the article bytes it
 * becomes, *before* its file is written and indexed ('pending'), and marked 'done' after: a
 * crash in between is finished at the next start, so an item is never lost and never added
 * twice.
 */
import type Database from 'better-sqlite3';

export type FeedOrigin = 'config' | 'admin' | 'opml';

export interface FeedRecord {
  id: number;
  url: string;
  title: string | null;
  siteUrl: string | null;
  /** Corpus subfolder of its articles, fixed at the first read. */
  folder: string | null;
  origin: FeedOrigin;
  addedAt: string;
  removedAt: string | null;
  /** The first complete read: the items it found are the baseline, never noticed. */
  firstReadAt: string | null;
  /** The items that read found (their keys): if one becomes an article only later, it is still not news. */
  baselineKeys: ReadonlySet<string>;
  lastOkAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Consecutive failed reads. */
  failures: number;
  /** Epoch ms. */
  nextPollAt: number;
  etag: string | null;
  lastModified: string | null;
  /** Articles made from its items. */
  items: number;
}

export interface ItemRecord {
  feedId: number;
  itemKey: string;
  linkKey: string | null;
  file: string;
  articleId: string;
  /** Hash of the item as the feed gave it: a change means the article is rewritten. */
  itemHash: string;
  state: 'pending' | 'done';
  /** The article to write while 'pending'. */
  pendingBytes: Buffer | null;
  baseline: boolean;
  /** Written from the feed's summary because its page could not be read; the page is tried again. */
  needsPage: boolean;
  pageAttempts: number;
  firstSeen: string;
}

/** Links admins send are kept as the items of this pseudo-feed. */
export const LINKS_FEED_ID = 0;

export interface FeedStore {
  list(): FeedRecord[];
  get(id: number): FeedRecord | undefined;
  byUrl(url: string): FeedRecord | undefined;
  /** Adds a feed, or brings back a removed one with what it had read. */
  add(url: string, origin: FeedOrigin, title?: string): { feed: FeedRecord; status: 'added' | 'restored' | 'exists' };
  /** Stops reading a feed; its articles and the memory of its items stay. */
  remove(id: number): FeedRecord | undefined;
  /** Makes the feeds from FEEDS match the list (feeds an admin removed stay removed). */
  syncConfigured(urls: string[]): { added: string[]; dropped: string[] };
  due(now: number): FeedRecord[];
  pollSoon(id: number): void;
  setFolder(id: number, folder: string): void;
  recordRead(id: number, read: { title: string | null; siteUrl: string | null; etag: string | null; lastModified: string | null; nextPollAt: number; baselineKeys?: string[] | undefined }): void;
  recordUnchanged(id: number, nextPollAt: number): void;
  /** Returns the number of consecutive failures, this one included. */
  recordFailure(id: number, error: string): number;
  scheduleRetry(id: number, nextPollAt: number): void;
  item(feedId: number, itemKey: string): ItemRecord | undefined;
  /** A finished item from any feed (or link) with this link key. */
  itemByLink(linkKey: string): ItemRecord | undefined;
  itemByArticle(articleId: string): ItemRecord | undefined;
  /** Records an item and the article bytes it becomes, before the file is written. */
  beginItem(item: Omit<ItemRecord, 'state' | 'pendingBytes' | 'pageAttempts' | 'firstSeen'> & { bytes: Buffer; pageAttempts?: number; firstSeen?: string }): void;
  finishItem(feedId: number, itemKey: string): void;
  pendingItems(): ItemRecord[];
  itemsNeedingPage(feedId: number, maxAttempts: number): ItemRecord[];
  recordPageAttempt(feedId: number, itemKey: string): void;
  /** Titles of the feeds an article came from. */
  feedTitlesOf(articleId: string): string[];
  counts(): { feeds: number; failing: number; items: number };
  transaction<T>(fn: () => T): T;
}

type FeedRow = {
  id: number; url: string; title: string | null; site_url: string | null; folder: string | null; origin: FeedOrigin; added_at: string; removed_at: string | null;
  first_read_at: string | null; baseline_keys: string | null; last_ok_at: string | null; last_error: string | null; last_error_at: string | null; failures: number; next_poll_at: number;
  etag: string | null; last_modified: string | null; items: number;
};
type ItemRow = {
  feed_id: number; item_key: string; link_key: string | null; file: string; article_id: string; item_hash: string; state: 'pending' | 'done';
  pending_bytes: Buffer | null; baseline: number; needs_page: number; page_attempts: number; first_seen: string;
};

const toFeed = (r: FeedRow): FeedRecord => ({
  id: r.id, url: r.url, title: r.title, siteUrl: r.site_url, folder: r.folder, origin: r.origin, addedAt: r.added_at, removedAt: r.removed_at,
  firstReadAt: r.first_read_at, baselineKeys: new Set(r.baseline_keys ? (JSON.parse(r.baseline_keys) as string[]) : []), lastOkAt: r.last_ok_at, lastError: r.last_error, lastErrorAt: r.last_error_at, failures: r.failures,
  nextPollAt: r.next_poll_at, etag: r.etag, lastModified: r.last_modified, items: r.items,
});
const toItem = (r: ItemRow): ItemRecord => ({
  feedId: r.feed_id, itemKey: r.item_key, linkKey: r.link_key, file: r.file, articleId: r.article_id, itemHash: r.item_hash, state: r.state,
  pendingBytes: r.pending_bytes, baseline: r.baseline === 1, needsPage: r.needs_page === 1, pageAttempts: r.page_attempts, firstSeen: r.first_seen,
});

/** A feed URL as stored: parsed and printed back, so spellings of one URL meet. */
export function normalizeFeedUrl(url: string): string {
  return new URL(url.trim()).href;
}

export function createFeedStore(db: Database.Database): FeedStore {
  const now = () => new Date().toISOString();
  const FEED_COLUMNS = `f.*, (SELECT COUNT(*) FROM feed_items i WHERE i.feed_id = f.id) AS items`;
  const stmt = {
    list: db.prepare(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.removed_at IS NULL ORDER BY f.id`),
    get: db.prepare(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.id = ?`),
    byUrl: db.prepare(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.url = ?`),
    insert: db.prepare(`INSERT INTO feeds (url, origin, added_at, next_poll_at, title) VALUES (?, ?, ?, 0, ?)`),
    restore: db.prepare(`UPDATE feeds SET removed_at = NULL, origin = ?, next_poll_at = 0, failures = 0, title = COALESCE(title, ?) WHERE id = ?`),
    remove: db.prepare(`UPDATE feeds SET removed_at = ? WHERE id = ? AND removed_at IS NULL`),
    configured: db.prepare(`SELECT url FROM feeds WHERE origin = 'config' AND removed_at IS NULL`),
    due: db.prepare(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.removed_at IS NULL AND f.next_poll_at <= ? ORDER BY f.next_poll_at, f.id`),
    pollSoon: db.prepare(`UPDATE feeds SET next_poll_at = 0 WHERE id = ?`),
    setFolder: db.prepare(`UPDATE feeds SET folder = ? WHERE id = ? AND folder IS NULL`),
    read: db.prepare(`
      UPDATE feeds SET title = COALESCE(@title, title), site_url = COALESCE(@siteUrl, site_url), etag = @etag, last_modified = @lastModified,
        next_poll_at = @nextPollAt, last_ok_at = @at, failures = 0, last_error = NULL, first_read_at = COALESCE(first_read_at, @at),
        baseline_keys = COALESCE(baseline_keys, @baselineKeys)
      WHERE id = @id`),
    unchanged: db.prepare(`UPDATE feeds SET next_poll_at = ?, last_ok_at = ?, failures = 0, last_error = NULL WHERE id = ?`),
    failure: db.prepare(`UPDATE feeds SET failures = failures + 1, last_error = ?, last_error_at = ? WHERE id = ? RETURNING failures`),
    retry: db.prepare(`UPDATE feeds SET next_poll_at = ? WHERE id = ?`),
    item: db.prepare(`SELECT * FROM feed_items WHERE feed_id = ? AND item_key = ?`),
    itemByLink: db.prepare(`SELECT * FROM feed_items WHERE link_key = ? AND state = 'done' ORDER BY first_seen LIMIT 1`),
    itemByArticle: db.prepare(`SELECT * FROM feed_items WHERE article_id = ? ORDER BY first_seen LIMIT 1`),
    begin: db.prepare(`
      INSERT INTO feed_items (feed_id, item_key, link_key, file, article_id, item_hash, state, pending_bytes, baseline, needs_page, page_attempts, first_seen, updated_at)
      VALUES (@feedId, @itemKey, @linkKey, @file, @articleId, @itemHash, 'pending', @bytes, @baseline, @needsPage, @pageAttempts, @firstSeen, @at)
      ON CONFLICT (feed_id, item_key) DO UPDATE SET link_key = excluded.link_key, file = excluded.file, article_id = excluded.article_id,
        item_hash = excluded.item_hash, state = 'pending', pending_bytes = excluded.pending_bytes, needs_page = excluded.needs_page,
        page_attempts = excluded.page_attempts, updated_at = excluded.updated_at`),
    finish: db.prepare(`UPDATE feed_items SET state = 'done', pending_bytes = NULL, updated_at = ? WHERE feed_id = ? AND item_key = ?`),
    pending: db.prepare(`SELECT * FROM feed_items WHERE state = 'pending' ORDER BY first_seen, rowid`),
    needingPage: db.prepare(`SELECT * FROM feed_items WHERE feed_id = ? AND state = 'done' AND needs_page = 1 AND page_attempts < ? ORDER BY first_seen`),
    pageAttempt: db.prepare(`UPDATE feed_items SET page_attempts = page_attempts + 1, updated_at = ? WHERE feed_id = ? AND item_key = ?`),
    feedTitles: db.prepare(`SELECT DISTINCT f.title FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE i.article_id = ? AND f.title IS NOT NULL`),
    counts: db.prepare(`
      SELECT (SELECT COUNT(*) FROM feeds WHERE removed_at IS NULL) AS feeds,
             (SELECT COUNT(*) FROM feeds WHERE removed_at IS NULL AND failures > 0) AS failing,
             (SELECT COUNT(*) FROM feed_items) AS items`),
  };
  const get = (id: number) => {
    const row = stmt.get.get(id) as FeedRow | undefined;
    return row && toFeed(row);
  };
  const byUrl = (url: string) => {
    const row = stmt.byUrl.get(normalizeFeedUrl(url)) as FeedRow | undefined;
    return row && toFeed(row);
  };

  const store: FeedStore = {
    list: () => (stmt.list.all() as FeedRow[]).map(toFeed),
    get,
    byUrl,
    add(url, origin, title) {
      const normalized = normalizeFeedUrl(url);
      return db.transaction(() => {
        const existing = byUrl(normalized);
        if (existing && !existing.removedAt) return { feed: existing, status: 'exists' as const };
        if (existing) {
          stmt.restore.run(origin, title ?? null, existing.id);
          return { feed: get(existing.id)!, status: 'restored' as const };
        }
        const id = Number(stmt.insert.run(normalized, origin, now(), title ?? null).lastInsertRowid);
        return { feed: get(id)!, status: 'added' as const };
      })();
    },
    remove(id) {
      const feed = get(id);
      if (!feed || feed.removedAt || stmt.remove.run(now(), id).changes === 0) return undefined;
      return feed;
    },
    syncConfigured(urls) {
      const wanted = new Set(urls.map(normalizeFeedUrl));
      return db.transaction(() => {
        const added: string[] = [];
        const dropped: string[] = [];
        for (const url of wanted) {
          if (!byUrl(url)) {
            stmt.insert.run(url, 'config', now(), null);
            added.push(url);
          }
        }
        for (const { url } of stmt.configured.all() as Array<{ url: string }>) {
          if (!wanted.has(url)) {
            stmt.remove.run(now(), byUrl(url)!.id);
            dropped.push(url);
          }
        }
        return { added, dropped };
      })();
    },
    due: (at) => (stmt.due.all(at) as FeedRow[]).map(toFeed),
    pollSoon: (id) => void stmt.pollSoon.run(id),
    setFolder: (id, folder) => void stmt.setFolder.run(folder, id),
    recordRead: (id, { baselineKeys, ...read }) => void stmt.read.run({ id, ...read, baselineKeys: baselineKeys ? JSON.stringify(baselineKeys) : null, at: now() }),
    recordUnchanged: (id, nextPollAt) => void stmt.unchanged.run(nextPollAt, now(), id),
    recordFailure: (id, error) => (stmt.failure.get(error.slice(0, 500), now(), id) as { failures: number } | undefined)?.failures ?? 0,
    scheduleRetry: (id, nextPollAt) => void stmt.retry.run(nextPollAt, id),
    item(feedId, itemKey) {
      const row = stmt.item.get(feedId, itemKey) as ItemRow | undefined;
      return row && toItem(row);
    },
    itemByLink(linkKey) {
      const row = stmt.itemByLink.get(linkKey) as ItemRow | undefined;
      return row && toItem(row);
    },
    itemByArticle(articleId) {
      const row = stmt.itemByArticle.get(articleId) as ItemRow | undefined;
      return row && toItem(row);
    },
    beginItem(item) {
      stmt.begin.run({
        feedId: item.feedId, itemKey: item.itemKey, linkKey: item.linkKey, file: item.file, articleId: item.articleId, itemHash: item.itemHash,
        bytes: item.bytes, baseline: item.baseline ? 1 : 0, needsPage: item.needsPage ? 1 : 0, pageAttempts: item.pageAttempts ?? 0, at: now(), firstSeen: item.firstSeen ?? now(),
      });
    },
    finishItem: (feedId, itemKey) => void stmt.finish.run(now(), feedId, itemKey),
    pendingItems: () => (stmt.pending.all() as ItemRow[]).map(toItem),
    itemsNeedingPage: (feedId, maxAttempts) => (stmt.needingPage.all(feedId, maxAttempts) as ItemRow[]).map(toItem),
    recordPageAttempt: (feedId, itemKey) => void stmt.pageAttempt.run(now(), feedId, itemKey),
    feedTitlesOf: (articleId) => (stmt.feedTitles.all(articleId) as Array<{ title: string }>).map((r) => r.title),
    counts: () => stmt.counts.get() as { feeds: number; failing: number; items: number },
    transaction: (fn) => db.transaction(fn)(),
  };
  return store;
}
