import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/notices/store.js';
import { article, openTempStore, tempDir } from './helpers.js';

describe('the notices store', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('creates its schema on first open, in WAL mode, and opens it again unchanged', () => {
    const t = tempDir('store-');
    cleanup = t.cleanup;
    const path = join(t.dir, 'bot.db');
    const store = openStore(path);
    store.subscribe({ id: 1, type: 'private', language: 'zh' }, null);
    store.close();
    const again = openStore(path);
    expect(again.subscription(1)?.keywords).toBeNull();
    again.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(again.schemaVersion);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a database from a newer version of the bot', () => {
    const t = tempDir('store-');
    cleanup = t.cleanup;
    const path = join(t.dir, 'bot.db');
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openStore(path)).toThrow(/schema version 99 is newer/);
  });

  it('queues one notice per subscriber once, however often an article is recorded', () => {
    const t = openTempStore();
    cleanup = t.cleanup;
    const { store } = t;
    expect(store.recordNewArticle(article('a'), [1, 2, 3])).toBe(3);
    expect(store.recordNewArticle(article('a'), [1, 2, 3, 4])).toBe(0);
    expect(store.deliveriesFor(article('a').articleId)).toHaveLength(3);
  });

  it('keeps the baseline: articles present at first start are seen and queue nothing', () => {
    const t = openTempStore();
    cleanup = t.cleanup;
    expect(t.store.hasBaseline()).toBe(false);
    t.store.recordBaseline([article('a'), article('b')]);
    expect(t.store.hasBaseline()).toBe(true);
    expect(t.store.hasSeen(article('a').articleId)).toBe(true);
    expect(t.store.counts()).toMatchObject({ articles: 2, pending: 0 });
  });

  it('puts deliveries left in flight by a crash back in the queue', () => {
    const t = openTempStore();
    cleanup = t.cleanup;
    const { store } = t;
    store.subscribe({ id: 7, type: 'private', language: 'en' }, null);
    store.recordNewArticle(article('a'), [7]);
    const [due] = store.nextDue(Date.now(), new Set(), 10);
    store.markSending(due!.id);
    expect(store.counts().sending).toBe(1);
    expect(store.recoverInFlight()).toBe(1);
    expect(store.nextDue(Date.now(), new Set(), 10)).toHaveLength(1);
  });

  it('unsubscribing stops that chat\'s pending notices, and a group migration moves them', () => {
    const t = openTempStore();
    cleanup = t.cleanup;
    const { store } = t;
    for (const id of [1, -5]) store.subscribe({ id, type: id < 0 ? 'group' : 'private', language: 'zh' }, id < 0 ? '芯片' : null);
    store.recordNewArticle(article('a'), [1, -5]);
    expect(store.unsubscribe(1)).toBe(true);
    expect(store.unsubscribe(1)).toBe(false);
    store.migrateChat(-5, -1005);
    expect(store.subscription(-1005)?.keywords).toBe('芯片');
    expect(store.subscription(-5)).toBeUndefined();
    expect(store.nextDue(Date.now(), new Set(), 10).map((d) => d.chatId)).toEqual([-1005]);
  });
});
