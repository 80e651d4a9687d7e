/**
 * Subscriptions by source: a chat follows WeChat accounts or feeds by name (`/subscribe 来源:看雪学苑`)
 * and is told of their new articles, whatever its keywords. Names are matched loosely (full-width,
 * traditional characters, case, spaces and punctuation do not matter).
 */
import type Database from 'better-sqlite3';
import { normalizeText } from '../search/normalize.js';

/** What two spellings of one source have in common. */
export function sourceKey(source: string): string {
  return normalizeText(source).replace(/[^\p{L}\p{N}]/gu, '');
}

export interface SourceSubscriptions {
  /** Returns false when the chat already followed it. */
  follow(chatId: number, source: string): boolean;
  unfollow(chatId: number, source: string): boolean;
  clear(chatId: number): void;
  /** The sources a chat follows, as typed. */
  of(chatId: number): string[];
  /** Source keys per chat, for matching notices. */
  followed(): Map<number, Set<string>>;
}

export function createSourceSubscriptions(db: Database.Database): SourceSubscriptions {
  const stmt = {
    follow: db.prepare('INSERT OR IGNORE INTO source_subscriptions (chat_id, source, source_key, since) VALUES (?, ?, ?, ?)'),
    unfollow: db.prepare('DELETE FROM source_subscriptions WHERE chat_id = ? AND source_key = ?'),
    clear: db.prepare('DELETE FROM source_subscriptions WHERE chat_id = ?'),
    of: db.prepare('SELECT source FROM source_subscriptions WHERE chat_id = ? ORDER BY since, rowid'),
    all: db.prepare('SELECT chat_id, source_key FROM source_subscriptions'),
  };
  return {
    follow: (chatId, source) => sourceKey(source) !== '' && stmt.follow.run(chatId, source.trim(), sourceKey(source), new Date().toISOString()).changes > 0,
    unfollow: (chatId, source) => stmt.unfollow.run(chatId, sourceKey(source)).changes > 0,
    clear: (chatId) => void stmt.clear.run(chatId),
    of: (chatId) => (stmt.of.all(chatId) as Array<{ source: string }>).map((r) => r.source),
    followed() {
      const map = new Map<number, Set<string>>();
      for (const row of stmt.all.all() as Array<{ chat_id: number; source_key: string }>) {
        const keys = map.get(row.chat_id) ?? new Set<string>();
        keys.add(row.source_key);
        map.set(row.chat_id, keys);
      }
      return map;
    },
  };
}
