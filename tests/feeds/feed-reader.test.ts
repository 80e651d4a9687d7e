import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { articleRecordOf } from '../../src/notices/notice.js';
import { articlePage, atomFeed, jsonFeed, rssFeed, type FixtureItem } from '../support/feed-fixtures.js';
import { startFeedsHarness, subscriber, waitUntil, type FeedsHarness } from './harness.js';

const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T02:00:00Z`;
const SITE = 'https://news.example/';

/** Items with distinct facts, so that each can be asked about. */
const FACTS = [
  ['量子密钥分发网络', '合肥建成的量子密钥分发网络覆盖了八个城区，节点之间的距离最长为六十公里。'],
  ['车联网数据出境', '新规要求车联网企业在数据出境前完成安全评估，评估有效期为两年。'],
  ['卫星互联网频谱', '国际电信联盟分配给低轨卫星互联网的频谱资源日益紧张，先申报者优先使用。'],
  ['海底光缆保护', '海底光缆承载了全球百分之九十九的跨洲数据流量，多国正在立法加强保护。'],
  ['开源许可证合规', '企业使用开源组件时，须遵守许可证关于署名和源代码公开的条款。'],
] as const;

function item(n: number, overrides: Partial<FixtureItem> = {}): FixtureItem {
  const [topic, fact] = FACTS[(n - 1) % FACTS.length]!;
  return {
    id: `item-${n}`,
    title: `${topic}观察（第${n}期）`,
    link: `${SITE}posts/${n}`,
    date: day(n),
    author: '编辑部',
    html: `<p>${fact}</p><h2>背景</h2><p>这是关于${topic}的第${n}篇报道，介绍相关政策的来龙去脉。</p>`,
    ...overrides,
  };
}

describe('reading feeds into the corpus', () => {
  let h: FeedsHarness;
  afterEach(async () => h?.close());

  async function addFeed(path: string, body: string, type = 'application/rss+xml'): Promise<number> {
    h.server.set(path, { body, type, etag: `"${body.length}"` });
    const added = await h.feeds.control.add(h.server.url(path));
    if (!added.ok) throw new Error(added.reason);
    await waitUntil(() => h.feeds.store.get(added.feed.id)!.firstReadAt !== null);
    return added.feed.id;
  }

  it('makes every item of an RSS feed an article on the first read, noticing none; later items are noticed once', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    subscriber(h.store, 2);
    const items = [item(1), item(2), item(3)];
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, items));
    expect(h.files()).toHaveLength(3);
    expect(h.files().every((f) => f.startsWith('feeds/观察周刊-'))).toBe(true);
    expect(h.notices()).toEqual([]);
    // Answerable at once.
    const answer = h.library.answer('量子密钥分发网络覆盖几个城区');
    expect(answer.results[0]?.text).toContain('覆盖了八个城区');
    const article = h.library.articles().find((a) => a.title === '量子密钥分发网络观察（第1期）')!;
    expect(article).toMatchObject({ url: `${SITE}posts/1`, source: '编辑部', date: '2026-11-01' });
    expect(h.read(article.file)).toMatch(/^---\ntitle: "量子密钥分发网络观察（第1期）"\nurl: "https:\/\/news.example\/posts\/1"\nsource: "编辑部"\ndate: "2026-11-01"\nfetch_date: "20\d\d-/);

    items.push(item(4));
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, items), type: 'application/rss+xml', etag: '"v2"' });
    await readNow(id);
    expect(h.files()).toHaveLength(4);
    expect(h.notices()).toEqual([
      { chatId: 1, title: '海底光缆保护观察（第4期）' },
      { chatId: 2, title: '海底光缆保护观察（第4期）' },
    ]);
    // Read again, unchanged: nothing more.
    await readNow(id);
    expect(h.notices()).toHaveLength(2);
    expect(h.files()).toHaveLength(4);
  });

  it('fetches the page of a summary-only Atom item and takes the article from it, without the page chrome', async () => {
    h = await startFeedsHarness();
    const pageItems = [1, 2].map((n) => item(n, { link: h.server.url(`/pages/${n}`), html: undefined, summary: `<p>${FACTS[n - 1]![0]}的摘要……</p>` }));
    for (const [i, it] of pageItems.entries()) h.server.set(`/pages/${i + 1}`, { body: articlePage(it.title, it.html ?? item(i + 1).html!, '观察网') });
    await addFeed('/atom', atomFeed('观察网', h.server.url('/'), pageItems), 'application/atom+xml');
    expect(h.server.count('/pages/1')).toBe(1);
    const text = h.read(h.files().find((f) => h.read(f).includes('第1期'))!);
    expect(text).toContain('覆盖了八个城区');
    expect(text).not.toContain('的摘要');
    for (const chrome of ['首页', '分享到微博', '热门文章']) expect(text).not.toContain(chrome);
    expect(h.library.answer('车联网企业数据出境前要做什么').results[0]?.text).toContain('安全评估');
  });

  it('reads a JSON Feed', async () => {
    h = await startFeedsHarness();
    await addFeed('/feed.json', jsonFeed('J 观察', SITE, [item(1), item(5)]), 'application/feed+json');
    expect(h.library.articles().map((a) => a.title).sort()).toEqual(['开源许可证合规观察（第5期）', '量子密钥分发网络观察（第1期）']);
    expect(h.library.answer('开源组件要遵守许可证的哪些条款').results[0]?.text).toContain('署名和源代码公开');
  });

  it('asks conditionally: an unchanged feed costs one request answered 304', async () => {
    h = await startFeedsHarness();
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, [item(1)]));
    const before = h.server.count('/rss');
    await readNow(id);
    await readNow(id);
    const polls = h.server.requests.slice(-2);
    expect(h.server.count('/rss') - before).toBe(2);
    expect(polls.every((r) => r.headers['if-none-match'] === h.feeds.store.get(id)!.etag)).toBe(true);
    expect(h.feeds.store.get(id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('updates the article of an item whose content changed, without a second notice', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, [item(1)]));
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1), item(2)]), type: 'application/rss+xml' });
    await readNow(id);
    expect(h.notices()).toHaveLength(1);
    const file = h.files().find((f) => h.read(f).includes('第2期'))!;
    const fetchDate = /fetch_date: (.*)/.exec(h.read(file))![1];
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1), item(2, { html: '<p>更正：评估有效期改为三年。</p>' })]), type: 'application/rss+xml' });
    await readNow(id);
    expect(h.files()).toHaveLength(2);
    expect(h.read(file)).toContain('评估有效期改为三年');
    expect(/fetch_date: (.*)/.exec(h.read(file))![1]).toBe(fetchDate);
    expect(h.library.answer('评估有效期改为几年').results[0]?.text).toContain('三年');
    expect(h.notices()).toHaveLength(1);
  });

  it('takes an article once when two feeds carry the same link', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    await addFeed('/a', rssFeed('甲', SITE, [item(1)]));
    const b = await addFeed('/b', atomFeed('乙', SITE, [item(1, { id: 'other-id' })]), 'application/atom+xml');
    h.server.set('/b', { body: atomFeed('乙', SITE, [item(1, { id: 'other-id' }), item(2)]), type: 'application/atom+xml' });
    await readNow(b);
    expect(h.files()).toHaveLength(2);
    expect(h.notices()).toHaveLength(1);
  });

  it('stands in the summary when a page cannot be read, then takes the page when it can, with no second notice', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    const id = await addFeed('/atom', atomFeed('观察网', SITE, []), 'application/atom+xml');
    const summaryOnly = item(3, { link: h.server.url('/pages/3'), html: undefined, summary: '<p>低轨卫星互联网频谱的摘要。</p>' });
    h.server.set('/pages/3', { status: 503 });
    h.server.set('/atom', { body: atomFeed('观察网', SITE, [summaryOnly]), type: 'application/atom+xml', etag: '"1"' });
    await readNow(id);
    const file = h.files()[0]!;
    expect(h.read(file)).toContain('低轨卫星互联网频谱的摘要');
    expect(h.notices()).toHaveLength(1);
    h.server.set('/pages/3', { body: articlePage(summaryOnly.title, item(3).html!) });
    await readNow(id);
    expect(h.server.requests.at(-2)!.headers['if-none-match']).toBe('"1"');
    expect(h.read(file)).toContain('先申报者优先使用');
    expect(h.notices()).toHaveLength(1);
  });

  it('does not notice an item of the first read that became an article only later', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    const late = item(2, { link: h.server.url('/pages/late'), html: undefined, summary: undefined });
    h.server.set('/pages/late', { status: 500 });
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, [item(1), late]));
    expect(h.files()).toHaveLength(1);
    h.server.set('/pages/late', { body: articlePage(late.title, item(2).html!) });
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1), late]) + ' ', type: 'application/rss+xml' });
    await readNow(id);
    expect(h.files()).toHaveLength(2);
    expect(h.notices()).toEqual([]);
  });

  it('finishes, after a crash, an item recorded but not yet written or indexed: no loss, no second notice', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, [item(1)]));
    // The state a crash leaves at each step: recorded only; recorded and written; written and indexed (noticed).
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1), item(2), item(3), item(4)]), type: 'application/rss+xml' });
    await readNow(id);
    const rows = h.store.db.prepare("SELECT feed_id, item_key, file FROM feed_items WHERE item_key IN ('item-2','item-3','item-4') ORDER BY item_key").all() as Array<{ feed_id: number; item_key: string; file: string }>;
    const bytes = rows.map((r) => readFileSync(`${h.corpusDir}/${r.file}`));
    const setPending = h.store.db.prepare("UPDATE feed_items SET state = 'pending', pending_bytes = ? WHERE feed_id = ? AND item_key = ?");
    rows.forEach((r, i) => setPending.run(bytes[i], r.feed_id, r.item_key));
    // item-2: the crash came before its file and its notice.
    const { rmSync } = await import('node:fs');
    rmSync(`${h.corpusDir}/${rows[0]!.file}`);
    h.store.db.prepare("DELETE FROM deliveries WHERE article_id = (SELECT article_id FROM feed_items WHERE item_key = 'item-2')").run();
    h.store.db.prepare("DELETE FROM articles WHERE article_id = (SELECT article_id FROM feed_items WHERE item_key = 'item-2')").run();
    // item-3: written, not indexed or noticed.
    h.store.db.prepare("DELETE FROM deliveries WHERE article_id = (SELECT article_id FROM feed_items WHERE item_key = 'item-3')").run();
    h.store.db.prepare("DELETE FROM articles WHERE article_id = (SELECT article_id FROM feed_items WHERE item_key = 'item-3')").run();
    // item-4: indexed and noticed, only 'done' missing.

    h = h.restart();
    expect(h.feeds.resumePending()).toBe(3);
    expect(h.files()).toHaveLength(4);
    expect(h.notices().map((n) => n.title).sort()).toEqual(['卫星互联网频谱观察（第3期）', '海底光缆保护观察（第4期）', '车联网数据出境观察（第2期）']);
    expect(h.library.answer('车联网企业数据出境前要做什么').results[0]?.text).toContain('安全评估');
    expect(h.feeds.resumePending()).toBe(0);
    // The next read adds nothing twice.
    await readNowIn(h, id);
    expect(h.files()).toHaveLength(4);
    expect(h.notices()).toHaveLength(3);
  });

  it('keeps a removed feed\'s articles and memory: added again, it adds nothing twice', async () => {
    h = await startFeedsHarness();
    const id = await addFeed('/rss', rssFeed('观察周刊', SITE, [item(1), item(2)]));
    expect(h.feeds.control.remove(`#${id}`)?.url).toBe(h.server.url('/rss'));
    expect(h.feeds.control.list()).toEqual([]);
    expect(h.feeds.control.remove(String(id))).toBeUndefined();
    const again = await h.feeds.control.add(h.server.url('/rss'));
    expect(again).toMatchObject({ ok: true, status: 'restored' });
    await readNow(id);
    expect(h.files()).toHaveLength(2);
    expect(h.store.counts().articles).toBe(2);
    expect(articleRecordOf(h.library.articles()[0]!).title).toBeTruthy();
  });

  async function readNow(id: number): Promise<void> {
    return readNowIn(h, id);
  }
});

describe('links, sources and address checks', () => {
  let h: FeedsHarness;
  afterEach(async () => h?.close());

  it('takes a link an admin sends: added once, unchanged when sent again, updated without a notice when the page changes', async () => {
    h = await startFeedsHarness();
    subscriber(h.store, 1);
    const page = readFileSync('tests/fixtures/pages/wechat-article.html', 'utf8');
    h.server.set('/s/abc', { body: page });
    const first = await h.feeds.control.addLink(h.server.url('/s/abc'));
    expect(first).toMatchObject({ ok: true, outcome: 'added', title: '欧盟《网络韧性法案》生效：制造商须在24小时内报告被利用的漏洞' });
    expect(h.files()).toEqual([expect.stringMatching(/^links\/欧盟-网络韧性法案-生效-制造商须在24小时内报告被利用的漏洞-[0-9a-f]{8}\.md$/)]);
    const article = h.library.articles()[0]!;
    expect(article).toMatchObject({ source: '数据合规观察', date: '2024-12-10' });
    expect(first.ok && first.paragraphs).toBe(article.sections.flatMap((s) => s.paragraphs).length);
    expect(h.notices()).toHaveLength(1);
    expect(await h.feeds.control.addLink(`${h.server.url('/s/abc')}`)).toMatchObject({ ok: true, outcome: 'unchanged' });
    h.server.set('/s/abc', { body: page.replace('以较高者为准', '以较高者为准。成员国可以规定更严格的罚则') });
    expect(await h.feeds.control.addLink(h.server.url('/s/abc'))).toMatchObject({ ok: true, outcome: 'updated' });
    expect(h.files()).toHaveLength(1);
    expect(h.notices()).toHaveLength(1);
    expect(await h.feeds.control.addLink(h.server.url('/nothing-here'))).toEqual({ ok: false, reason: 'HTTP 404 Not Found' });
    expect(await h.feeds.control.addLink('file:///etc/passwd')).toMatchObject({ ok: false, reason: expect.stringContaining('not an http(s) URL') });
  });

  it('notices chats that follow a source by name, and keyword chats whose words match', async () => {
    h = await startFeedsHarness();
    for (const id of [1, 2, 3]) subscriber(h.store, id);
    h.sources.follow(1, '观察 周刊');
    h.sources.follow(2, '别的来源');
    h.sources.follow(3, '别的来源');
    h.store.subscribe({ id: 3, type: 'private', language: 'zh' }, '海底光缆');
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1)]), type: 'application/rss+xml' });
    const added = await h.feeds.control.add(h.server.url('/rss'));
    if (!added.ok) throw new Error(added.reason);
    await waitUntil(() => h.feeds.store.get(added.feed.id)!.firstReadAt !== null);
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1), item(2), item(4)]), type: 'application/rss+xml' });
    await readNowIn(h, added.feed.id);
    expect(h.notices()).toEqual([
      { chatId: 1, title: '车联网数据出境观察（第2期）' },
      { chatId: 1, title: '海底光缆保护观察（第4期）' },
      { chatId: 3, title: '海底光缆保护观察（第4期）' },
    ]);
  });

  it('finds the feed a site\'s page announces when given the page', async () => {
    h = await startFeedsHarness();
    h.server.set('/', { body: `<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml"></head><body>首页</body></html>` });
    h.server.set('/feed.xml', { body: rssFeed('观察周刊', SITE, [item(1)]), type: 'application/rss+xml' });
    const added = await h.feeds.control.add(h.server.url('/'));
    expect(added).toMatchObject({ ok: true, title: '观察周刊', feed: { url: h.server.url('/feed.xml') } });
    expect(await h.feeds.control.add(h.server.url('/'))).toMatchObject({ ok: false, reason: 'already read' });
    h.server.set('/plain', { body: '<html><body>没有订阅源</body></html>' });
    expect(await h.feeds.control.add(h.server.url('/plain'))).toEqual({ ok: false, reason: 'not a feed: neither RSS, Atom nor JSON Feed' });
  });

  it('refuses private addresses unless FETCH_ALLOW_PRIVATE is set, before asking them anything', async () => {
    h = await startFeedsHarness({ fetch: { allowPrivate: false } });
    h.server.set('/rss', { body: rssFeed('观察周刊', SITE, [item(1)]), type: 'application/rss+xml' });
    const added = await h.feeds.control.add(h.server.url('/rss'));
    expect(added).toMatchObject({ ok: false, reason: expect.stringContaining('refused (FETCH_ALLOW_PRIVATE=true allows it)') });
    expect(await h.feeds.control.addLink(h.server.url('/rss'))).toMatchObject({ ok: false, reason: expect.stringContaining('non-public address') });
    expect(h.server.count()).toBe(0);
    expect(h.feeds.control.list()).toEqual([]);
  });
});

async function readNowIn(h: FeedsHarness, id: number): Promise<void> {
  const outcome = await h.feeds.readNow(id);
  if (outcome?.error) throw new Error(outcome.error);
}
