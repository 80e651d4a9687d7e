import Database from 'better-sqlite3';
import type { Lang } from '../bot/messages.js';

/** What a notice says about an article, kept so notices can be sent after the file is gone. */
export interface ArticleRecord {
  articleId: string;
  contentHash: string;
  title: string;
  url: string;
  source: string | null;
  date: string | null;
  summary: string;
}

export interface Subscriber {
  chatId: number;
  chatType: string;
  language: Lang;
  keywords: string | null;
  since: string;
}

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

export interface Delivery {
  id: number;
  chatId: number;
  articleId: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
}

export interface DueDelivery extends Delivery {
  article: ArticleRecord;
  language: Lang;
  chatType: string;
}

export interface DeliveryCounts {
  subscribers: number;
  articles: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
}

/**
 * Schema changes, in order; `PRAGMA user_version` records how many have run. Never edit a
 * shipped migration: add one.
 */
const MIGRATIONS: Array<(db: Database.Database) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE subscribers (
        chat_id   INTEGER PRIMARY KEY,
        chat_type TEXT NOT NULL,
        language  TEXT NOT NULL DEFAULT 'zh',
        keywords  TEXT,
        since     TEXT NOT NULL,
        active    INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE articles (
        article_id   TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        title        TEXT NOT NULL,
        url          TEXT NOT NULL,
        source       TEXT,
        date         TEXT,
        summary      TEXT NOT NULL,
        first_seen   TEXT NOT NULL,
        baseline     INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY,
        chat_id         INTEGER NOT NULL,
        article_id      TEXT NOT NULL REFERENCES articles(article_id),
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        sent_message_id INTEGER,
        updated_at      TEXT NOT NULL,
        UNIQUE (chat_id, article_id)
      );
      CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `),
  // Feeds, the items read from them (and links admins sent), and subscriptions by source.
  // Queries: src/feeds/feed-store.ts, src/notices/source-subscriptions.ts.
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT,
        site_url      TEXT,
        folder        TEXT,
        origin        TEXT NOT NULL,
        added_at      TEXT NOT NULL,
        removed_at    TEXT,
        first_read_at TEXT,
        baseline_keys TEXT,
        last_ok_at    TEXT,
        last_error    TEXT,
        last_error_at TEXT,
        failures      INTEGER NOT NULL DEFAULT 0,
        next_poll_at  INTEGER NOT NULL DEFAULT 0,
        etag          TEXT,
        last_modified TEXT
      );
      CREATE TABLE IF NOT EXISTS feed_items (
        feed_id       INTEGER NOT NULL,
        item_key      TEXT NOT NULL,
        link_key      TEXT,
        file          TEXT NOT NULL,
        article_id    TEXT NOT NULL,
        item_hash     TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('pending', 'done')),
        pending_bytes BLOB,
        baseline      INTEGER NOT NULL DEFAULT 0,
        needs_page    INTEGER NOT NULL DEFAULT 0,
        page_attempts INTEGER NOT NULL DEFAULT 0,
        first_seen    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (feed_id, item_key)
      );
      CREATE INDEX IF NOT EXISTS feed_items_link ON feed_items (link_key);
      CREATE INDEX IF NOT EXISTS feed_items_state ON feed_items (state);
      CREATE TABLE IF NOT EXISTS source_subscriptions (
        chat_id    INTEGER NOT NULL,
        source     TEXT NOT NULL,
        source_key TEXT NOT NULL,
        since      TEXT NOT NULL,
        PRIMARY KEY (chat_id, source_key)
      );
    `),
  // The question log (src/insights/question-log.ts): what readers ask, what they were shown,
  // their votes. No names and no Telegram ids: askers and voters are keyed hashes.
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS question_log (
        id        INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: old vote buttons carry it
        asked_at  INTEGER NOT NULL,                  -- ms since the epoch
        asker     TEXT NOT NULL,                     -- HMAC-SHA256 of the user id
        chat_type TEXT NOT NULL,
        language  TEXT NOT NULL,
        question  TEXT NOT NULL,
        topic     TEXT NOT NULL,                     -- informative words, sorted: groups rephrasings
        answered  INTEGER NOT NULL,
        absent    TEXT                               -- JSON: words no article mentions
      );
      CREATE INDEX IF NOT EXISTS question_log_asked_at ON question_log (asked_at);
      CREATE INDEX IF NOT EXISTS question_log_asker ON question_log (asker);
      CREATE INDEX IF NOT EXISTS question_log_topic ON question_log (topic, asked_at);
      CREATE TABLE IF NOT EXISTS question_log_articles (
        article_id TEXT PRIMARY KEY,                  -- the articles answers showed, as last seen
        title      TEXT NOT NULL,
        url        TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS question_log_passages (
        question_id INTEGER NOT NULL REFERENCES question_log(id) ON DELETE CASCADE,
        rank        INTEGER NOT NULL,
        passage_id  TEXT NOT NULL,
        article_id  TEXT NOT NULL,
        heading     TEXT NOT NULL,
        paragraph   INTEGER NOT NULL,
        score       REAL NOT NULL,
        PRIMARY KEY (question_id, rank)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS question_log_passages_passage ON question_log_passages (passage_id);
      CREATE TABLE IF NOT EXISTS question_log_votes (
        question_id INTEGER NOT NULL REFERENCES question_log(id) ON DELETE CASCADE,
        voter       TEXT NOT NULL,                   -- HMAC-SHA256 of the user id
        vote        INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        voted_at    INTEGER NOT NULL,
        PRIMARY KEY (question_id, voter)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS question_log_votes_voter ON question_log_votes (voter);
    `),
];

export interface NoticeStore {
  readonly schemaVersion: number;
  /** The database, for modules that keep their own tables in it (feeds, source subscriptions, the question log). */
  readonly db: Database.Database;
  subscribe(chat: { id: number; type: string; language: Lang }, keywords: string | null): void;
  unsubscribe(chatId: number): boolean;
  subscription(chatId: number): Subscriber | undefined;
  activeSubscribers(): Subscriber[];
  /** Moves a subscription (and its pending deliveries) when a group becomes a supergroup. */
  migrateChat(fromChatId: number, toChatId: number): void;
  hasSeen(articleId: string): boolean;
  knownArticleCount(): number;
  /** Whether the first start's baseline has been recorded (even an empty one). */
  hasBaseline(): boolean;
  /** Records articles present at first start: they never cause notices. */
  recordBaseline(articles: ArticleRecord[]): void;
  /**
   * Records a new article and queues a notice for each chat, in one transaction; an article
   * already seen queues nothing (idempotent across restarts and repeated file events).
   */
  recordNewArticle(article: ArticleRecord, chatIds: number[]): number;
  updateArticle(article: ArticleRecord): void;
  /** Deliveries a crash left in 'sending': the only ones whose fate is unknown. */
  recoverInFlight(): number;
  nextDue(now: number, excludeChats: ReadonlySet<number>, limit: number): DueDelivery[];
  nextWakeAt(): number | undefined;
  markSending(id: number): void;
  markSent(id: number, messageId: number): void;
  markRetry(id: number, nextAttemptAt: number, error: string, countAttempt: boolean): void;
  markFailed(id: number, error: string): void;
  counts(): DeliveryCounts;
  /** Deliveries waiting to be sent (pending or in flight): cheap, read through the due index. */
  backlog(): number;
  deliveriesFor(articleId: string): Array<Delivery & { lastError: string | null; sentMessageId: number | null }>;
  close(): void;
}

const nowIso = () => new Date().toISOString();

export function openStore(path: string): NoticeStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the tail).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new Error(`${path}: database schema version ${version} is newer than this bot knows (${MIGRATIONS.length}); upgrade the bot`);
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }

  const stmt = {
    subscribe: db.prepare(`
      INSERT INTO subscribers (chat_id, chat_type, language, keywords, since, active) VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type, language = excluded.language, keywords = excluded.keywords,
        since = CASE WHEN subscribers.active THEN subscribers.since ELSE excluded.since END, active = 1`),
    unsubscribe: db.prepare('UPDATE subscribers SET active = 0 WHERE chat_id = ? AND active = 1'),
    subscription: db.prepare('SELECT chat_id, chat_type, language, keywords, since FROM subscribers WHERE chat_id = ? AND active = 1'),
    active: db.prepare('SELECT chat_id, chat_type, language, keywords, since FROM subscribers WHERE active = 1 ORDER BY chat_id'),
    hasSeen: db.prepare('SELECT 1 FROM articles WHERE article_id = ?'),
    articleCount: db.prepare('SELECT COUNT(*) AS n FROM articles'),
    insertArticle: db.prepare(`
      INSERT OR IGNORE INTO articles (article_id, content_hash, title, url, source, date, summary, first_seen, baseline)
      VALUES (@articleId, @contentHash, @title, @url, @source, @date, @summary, @firstSeen, @baseline)`),
    updateArticle: db.prepare('UPDATE articles SET content_hash = @contentHash, title = @title, url = @url, source = @source, date = @date, summary = @summary WHERE article_id = @articleId'),
    enqueue: db.prepare(`INSERT OR IGNORE INTO deliveries (chat_id, article_id, state, next_attempt_at, updated_at) VALUES (?, ?, 'pending', 0, ?)`),
    recover: db.prepare(`UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'sending'`),
    due: db.prepare(`
      SELECT d.id, d.chat_id, d.article_id, d.state, d.attempts, d.next_attempt_at,
             a.content_hash, a.title, a.url, a.source, a.date, a.summary, s.language, s.chat_type
      FROM deliveries d JOIN articles a USING (article_id) JOIN subscribers s ON s.chat_id = d.chat_id
      WHERE d.state = 'pending' AND d.next_attempt_at <= ?
      ORDER BY d.id LIMIT ?`),
    wake: db.prepare(`SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE state = 'pending'`),
    sending: db.prepare(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`),
    sent: db.prepare(`UPDATE deliveries SET state = 'sent', sent_message_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`),
    retry: db.prepare(`UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts - ?, updated_at = ? WHERE id = ?`),
    failed: db.prepare(`UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?`),
    failChat: db.prepare(`UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE chat_id = ? AND state = 'pending'`),
    counts: db.prepare(`SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state`),
    backlog: db.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE state IN ('pending', 'sending')`),
    subscriberCount: db.prepare('SELECT COUNT(*) AS n FROM subscribers WHERE active = 1'),
    deliveriesFor: db.prepare('SELECT id, chat_id, article_id, state, attempts, next_attempt_at, last_error, sent_message_id FROM deliveries WHERE article_id = ? ORDER BY chat_id'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    moveSubscriber: db.prepare('UPDATE OR REPLACE subscribers SET chat_id = ? WHERE chat_id = ?'),
    moveDeliveries: db.prepare(`UPDATE OR IGNORE deliveries SET chat_id = ?, state = 'pending', updated_at = ? WHERE chat_id = ? AND state IN ('pending', 'sending')`),
    moveSources: db.prepare('UPDATE OR REPLACE source_subscriptions SET chat_id = ? WHERE chat_id = ?'),
  };

  type SubscriberRow = { chat_id: number; chat_type: string; language: string; keywords: string | null; since: string };
  const toSubscriber = (row: SubscriberRow): Subscriber => ({
    chatId: row.chat_id,
    chatType: row.chat_type,
    language: row.language === 'en' ? 'en' : 'zh',
    keywords: row.keywords,
    since: row.since,
  });
  type DeliveryRow = { id: number; chat_id: number; article_id: string; state: DeliveryState; attempts: number; next_attempt_at: number };
  const toDelivery = (r: DeliveryRow): Delivery => ({
    id: r.id,
    chatId: r.chat_id,
    articleId: r.article_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
  });
  const insertArticle = (article: ArticleRecord, baseline: boolean) =>
    stmt.insertArticle.run({ ...article, firstSeen: nowIso(), baseline: baseline ? 1 : 0 }).changes > 0;

  return {
    schemaVersion: MIGRATIONS.length,
    db,
    subscribe(chat, keywords) {
      stmt.subscribe.run(chat.id, chat.type, chat.language, keywords, nowIso());
    },
    unsubscribe(chatId) {
      return db.transaction(() => {
        const changed = stmt.unsubscribe.run(chatId).changes > 0;
        stmt.failChat.run('unsubscribed', nowIso(), chatId);
        return changed;
      })();
    },
    subscription(chatId) {
      const row = stmt.subscription.get(chatId) as SubscriberRow | undefined;
      return row && toSubscriber(row);
    },
    activeSubscribers: () => (stmt.active.all() as SubscriberRow[]).map(toSubscriber),
    migrateChat(from, to) {
      db.transaction(() => {
        stmt.moveSubscriber.run(to, from);
        stmt.moveSources.run(to, from);
        stmt.moveDeliveries.run(to, nowIso(), from);
        stmt.failChat.run(`chat migrated to ${to}`, nowIso(), from);
      })();
    },
    hasSeen: (articleId) => stmt.hasSeen.get(articleId) !== undefined,
    knownArticleCount: () => (stmt.articleCount.get() as { n: number }).n,
    hasBaseline: () => stmt.getMeta.get('baseline_at') !== undefined,
    recordBaseline(articles) {
      db.transaction(() => {
        for (const article of articles) insertArticle(article, true);
        stmt.setMeta.run('baseline_at', nowIso());
      })();
    },
    recordNewArticle(article, chatIds) {
      return db.transaction(() => {
        if (!insertArticle(article, false)) return 0;
        let queued = 0;
        const at = nowIso();
        for (const chatId of chatIds) queued += stmt.enqueue.run(chatId, article.articleId, at).changes;
        return queued;
      })();
    },
    updateArticle(article) {
      stmt.updateArticle.run(article);
    },
    recoverInFlight: () => stmt.recover.run(nowIso()).changes,
    nextDue(now, excludeChats, limit) {
      // Read a little more than asked, so chats that must wait do not starve the others.
      const rows = stmt.due.all(now, limit + excludeChats.size) as Array<DeliveryRow & {
        content_hash: string; title: string; url: string; source: string | null; date: string | null; summary: string; language: string; chat_type: string;
      }>;
      return rows
        .filter((r) => !excludeChats.has(r.chat_id))
        .slice(0, limit)
        .map((r) => ({
          ...toDelivery(r),
          language: r.language === 'en' ? 'en' : 'zh',
          chatType: r.chat_type,
          article: { articleId: r.article_id, contentHash: r.content_hash, title: r.title, url: r.url, source: r.source, date: r.date, summary: r.summary },
        }));
    },
    nextWakeAt: () => (stmt.wake.get() as { at: number | null }).at ?? undefined,
    markSending(id) {
      stmt.sending.run(nowIso(), id);
    },
    markSent(id, messageId) {
      stmt.sent.run(messageId, nowIso(), id);
    },
    markRetry(id, nextAttemptAt, error, countAttempt) {
      stmt.retry.run(nextAttemptAt, error, countAttempt ? 0 : 1, nowIso(), id);
    },
    markFailed(id, error) {
      stmt.failed.run(error, nowIso(), id);
    },
    backlog() {
      return (stmt.backlog.get() as { n: number }).n;
    },
    counts() {
      const counts: DeliveryCounts = { subscribers: (stmt.subscriberCount.get() as { n: number }).n, articles: this.knownArticleCount(), pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of stmt.counts.all() as Array<{ state: DeliveryState; n: number }>) counts[row.state] = row.n;
      return counts;
    },
    deliveriesFor(articleId) {
      return (stmt.deliveriesFor.all(articleId) as Array<DeliveryRow & { last_error: string | null; sent_message_id: number | null }>).map((r) => ({
        ...toDelivery(r),
        lastError: r.last_error,
        sentMessageId: r.sent_message_id,
      }));
    },
    close: () => db.close(),
  };
}
