import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeedStore } from '../../src/feeds/feed-store.js';
import { feedsFromOpml, feedsToOpml, OpmlError } from '../../src/feeds/opml.js';
import { createSourceSubscriptions } from '../../src/notices/source-subscriptions.js';
import { openStore } from '../../src/notices/store.js';
import { tempDir } from '../notices/helpers.js';

describe('the feed store', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  function open() {
    const t = tempDir('feed-store-');
    const notices = openStore(join(t.dir, 'bot.db'));
    cleanup = () => {
      notices.close();
      t.cleanup();
    };
    return createFeedStore(notices.db);
  }

  it('adds a feed once, whatever the spelling of its URL, and brings a removed one back', () => {
    const store = open();
    const first = store.add('https://Feeds.Example/rss', 'admin');
    expect(first.status).toBe('added');
    expect(store.add(' https://feeds.example/rss ', 'opml')).toMatchObject({ status: 'exists', feed: { id: first.feed.id, origin: 'admin' } });
    expect(store.remove(first.feed.id)?.url).toBe('https://feeds.example/rss');
    expect(store.list()).toEqual([]);
    expect(store.remove(first.feed.id)).toBeUndefined();
    expect(store.add('https://feeds.example/rss', 'admin')).toMatchObject({ status: 'restored', feed: { id: first.feed.id, removedAt: null } });
  });

  it('follows FEEDS: adds what it lists, drops what it no longer lists, leaves admins\' feeds and removals alone', () => {
    const store = open();
    expect(store.syncConfigured(['https://a.example/f', 'https://b.example/f'])).toEqual({ added: ['https://a.example/f', 'https://b.example/f'], dropped: [] });
    store.add('https://admin.example/f', 'admin');
    store.remove(store.byUrl('https://b.example/f')!.id);
    expect(store.syncConfigured(['https://b.example/f', 'https://c.example/f'])).toEqual({ added: ['https://c.example/f'], dropped: ['https://a.example/f'] });
    expect(store.list().map((f) => f.url)).toEqual(['https://admin.example/f', 'https://c.example/f']);
  });

  it('counts failing feeds and schedules by due time', () => {
    const store = open();
    const a = store.add('https://a.example/f', 'config').feed;
    const b = store.add('https://b.example/f', 'config').feed;
    expect(store.due(Date.now()).map((f) => f.id)).toEqual([a.id, b.id]);
    expect(store.recordFailure(a.id, 'HTTP 500')).toBe(1);
    expect(store.recordFailure(a.id, 'HTTP 502')).toBe(2);
    store.scheduleRetry(a.id, Date.now() + 60_000);
    store.recordRead(b.id, { title: '乙', siteUrl: null, etag: '"e"', lastModified: null, nextPollAt: Date.now() + 30_000, baselineKeys: ['x', 'y'] });
    expect(store.due(Date.now())).toEqual([]);
    expect(store.counts()).toEqual({ feeds: 2, failing: 1, items: 0 });
    expect(store.get(a.id)).toMatchObject({ failures: 2, lastError: 'HTTP 502' });
    expect(store.get(b.id)).toMatchObject({ title: '乙', etag: '"e"', failures: 0 });
    expect([...store.get(b.id)!.baselineKeys]).toEqual(['x', 'y']);
  });
});

describe('subscriptions by source', () => {
  it('match names loosely, and move with a group that becomes a supergroup', () => {
    const t = tempDir('sources-');
    const notices = openStore(join(t.dir, 'bot.db'));
    try {
      const sources = createSourceSubscriptions(notices.db);
      notices.subscribe({ id: -1, type: 'group', language: 'zh' }, null);
      expect(sources.follow(-1, '看雪学苑')).toBe(true);
      expect(sources.follow(-1, ' 看雪 學苑 ')).toBe(false);
      expect(sources.follow(-1, 'Security Weekly')).toBe(true);
      expect(sources.follow(-1, '：')).toBe(false);
      expect([...sources.followed().get(-1)!].sort()).toEqual(['securityweekly', '看雪学苑']);
      notices.migrateChat(-1, -1001);
      expect(sources.of(-1)).toEqual([]);
      expect(sources.of(-1001)).toEqual(['看雪学苑', 'Security Weekly']);
      expect(sources.unfollow(-1001, 'SECURITY weekly')).toBe(true);
      expect(sources.of(-1001)).toEqual(['看雪学苑']);
    } finally {
      notices.close();
      t.cleanup();
    }
  });
});

describe('OPML', () => {
  it('round-trips a feed list, titles and sites included', () => {
    const feeds = [
      { url: 'https://rsshub.example/wechat/mp/看雪学苑', title: '看雪学苑', siteUrl: 'https://mp.weixin.qq.com/' },
      { url: 'https://blog.example/feed.xml?a=1&b=2', title: 'A & B <blog>', siteUrl: undefined },
      { url: 'https://untitled.example/atom', title: undefined, siteUrl: undefined },
    ];
    const back = feedsFromOpml(feedsToOpml(feeds));
    expect(back.skipped).toEqual([]);
    expect(back.feeds).toEqual(feeds.map((f) => ({ ...f, url: new URL(f.url).href, title: f.title ?? new URL(f.url).href })));
  });

  it('reads feeds in nested folders, each once, and names entries that are not http(s) feeds', () => {
    const opml = `<?xml version="1.0"?><opml version="1.0"><head><title>subs</title></head><body>
      <outline text="安全"><outline text="甲" type="rss" xmlUrl="https://a.example/rss"/><outline text="内层"><outline text="乙" xmlUrl="https://b.example/atom"/></outline></outline>
      <outline text="甲again" xmlUrl="https://a.example/rss"/><outline text="ftp" xmlUrl="ftp://c.example/f"/><outline text="folder only"/></body></opml>`;
    const { feeds, skipped } = feedsFromOpml(opml);
    expect(feeds.map((f) => [f.title, f.url])).toEqual([
      ['甲', 'https://a.example/rss'],
      ['乙', 'https://b.example/atom'],
    ]);
    expect(skipped).toEqual(['ftp://c.example/f']);
    expect(() => feedsFromOpml('<html><body>not opml</body></html>')).toThrow(OpmlError);
  });
});
