import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { articlePage, atomFeed, rssFeed, type FixtureItem } from '../support/feed-fixtures.js';
import type { ApiCall } from '../support/telegram-stub.js';
import { ADMIN, startAppProcess, until, useRunningApp } from './app-process.js';

const user = (id: number) => ({ id, first_name: `U${id}`, language_code: 'zh' });
const isNotice = (text: unknown) => String(text).startsWith('📰');
/** An answer's text without the bold of matched words. */
const plain = (html: string) => html.replace(/<[^>]+>/g, '');
const SITE = 'https://weekly.example/';

const FACTS = [
  '第一期：网络安全审查办法规定，掌握超过一百万用户个人信息的平台赴国外上市须申报审查。',
  '第二期：数据出境安全评估的有效期为两年，期满前六十个工作日可以申请延期。',
  '第三期：关键信息基础设施运营者应当优先采购安全可信的网络产品和服务。',
  '第四期：个人信息保护影响评估报告和处理情况记录应当至少保存三年。',
];
const weekly = (n: number, over: Partial<FixtureItem> = {}): FixtureItem => ({
  id: `weekly-${n}`,
  title: `合规周刊第${n}期`,
  link: `${SITE}issues/${n}`,
  date: `2026-11-${String(10 + n).padStart(2, '0')}T01:00:00Z`,
  html: `<p>${FACTS[(n - 1) % FACTS.length]}</p><p>本期其他内容从略。</p>`,
  ...over,
});

describe('feeds in the running app (npm start) with a local Bot API server and a feed server', () => {
  let server: FeedServer;
  const h = useRunningApp('feeds-app-', {
    start: async () => {
      server = await startFeedServer();
    },
    stop: () => server.close(),
  });

  const start = (env: Record<string, string> = {}) =>
    startAppProcess(h.stub, h.dirs, { FEEDS: server.url('/weekly.xml'), FEED_INTERVAL_SECONDS: '1', FETCH_ALLOW_PRIVATE: 'true', ...env });
  const started = () => h.stub.waitForCall((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
  const sent = (chatId: number) => h.stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId && (c.response as { ok: boolean }).ok);
  const noticesTo = (chatId: number) => sent(chatId).filter((c) => isNotice(c.params['text']));
  const feedFiles = () => (existsSync(join(h.dirs.corpusDir, 'feeds')) ? (readdirSync(join(h.dirs.corpusDir, 'feeds'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md')) : []);
  async function reply(chatId: number, send: () => void, match: (text: string) => boolean = () => true, timeoutMs = 15_000): Promise<string> {
    const since = h.stub.calls.length;
    send();
    const call: ApiCall = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId && match(String(c.params['text'])), { since, timeoutMs });
    return String(call.params['text']);
  }
  const command = (chatId: number, text: string, match?: (text: string) => boolean) => reply(chatId, () => h.stub.sendCommand(text, { from: chatId === ADMIN.id ? ADMIN : user(chatId) }), match);

  it('reads FEEDS: the first read notices nothing; each new item is noticed once per subscriber and answers at once', async () => {
    server.set('/weekly.xml', { body: rssFeed('合规周刊', SITE, [weekly(1), weekly(2)]), type: 'application/rss+xml', etag: '"1"' });
    h.app = start();
    await started();
    await until(() => feedFiles().length === 2, 20_000, 'the first read');
    for (const id of [1, 2]) await command(id, '/subscribe');
    expect(await command(3, '/subscribe 来源:合规周刊')).toContain('已订阅来源「合规周刊」');
    expect(await command(4, '/subscribe 来源:别的周刊')).toContain('目前还没有来自「别的周刊」的文章');
    expect(await command(3, '/subscriptions')).toContain('已订阅来自「合规周刊」的新文章');

    const feeds = await command(ADMIN.id, '/feeds');
    expect(feeds).toMatch(/^订阅源（1）：\n\n#1 <b>合规周刊<\/b> ✅\nhttp:\/\/127\.0\.0\.1:\d+\/weekly\.xml\n上次成功 刚刚 · 2 篇 · 下次 (马上|\d+ 分钟后)/);
    // Unchanged polls cost a 304 each.
    const polls = server.count('/weekly.xml');
    await until(() => server.count('/weekly.xml') >= polls + 2, 10_000, 'two more polls');
    expect(server.requests.filter((r) => r.path === '/weekly.xml').slice(-2).every((r) => r.headers['if-none-match'] === '"1"')).toBe(true);
    expect(feedFiles()).toHaveLength(2);
    for (const id of [1, 2, 3, 4]) expect(noticesTo(id)).toHaveLength(0);

    server.set('/weekly.xml', { body: rssFeed('合规周刊', SITE, [weekly(1), weekly(2), weekly(3)]), type: 'application/rss+xml', etag: '"2"' });
    await until(() => [1, 2, 3].every((id) => noticesTo(id).length === 1), 20_000, 'notices of the new item');
    const notice = noticesTo(1)[0]!;
    expect(String(notice.params['text'])).toContain('<b>合规周刊第3期</b>');
    expect(String(notice.params['text'])).toContain(`<a href="${SITE}issues/3">阅读原文</a>`);
    const answer = await reply(9, () => h.stub.sendText('关键信息基础设施运营者应当优先采购什么', { from: user(9) }));
    expect(plain(answer)).toContain('安全可信的网络产品和服务');
    expect(plain(answer)).toContain('合规周刊第3期');

    await new Promise((r) => setTimeout(r, 1500));
    for (const id of [1, 2, 3]) expect(noticesTo(id)).toHaveLength(1);
    expect(noticesTo(4)).toHaveLength(0);
    expect(feedFiles()).toHaveLength(3);
    expect(await command(ADMIN.id, '/stats')).toMatch(/订阅源：1（出错 0），已收录条目 3/);
  }, 90_000);

  it('lets admins add and remove feeds, import and export OPML, and send a WeChat link that becomes an article', async () => {
    server.set('/weekly.xml', { body: rssFeed('合规周刊', SITE, [weekly(1)]), type: 'application/rss+xml' });
    const pageItem = weekly(4, { id: 'atom-4', link: server.url('/pages/4'), html: undefined, summary: '<p>摘要</p>' });
    server.set('/pages/4', { body: articlePage(pageItem.title, `<p>${FACTS[3]}</p>`) });
    server.set('/atom.xml', { body: atomFeed('原子观察', server.url('/'), [pageItem]), type: 'application/atom+xml' });
    server.set('/mp/s/abc', { body: readFileSync('tests/fixtures/pages/wechat-article.html') });
    h.app = start({ FEED_INTERVAL_SECONDS: '3600' });
    await started();
    await command(1, '/subscribe');
    await until(() => feedFiles().length === 1, 20_000, 'the first read');

    // Not for readers.
    expect(await command(1, '/feeds')).toContain('只供机器人管理员使用');
    expect(await command(1, `/addfeed ${server.url('/atom.xml')}`)).toContain('只供机器人管理员使用');

    expect(await command(ADMIN.id, `/addfeed ${server.url('/atom.xml')}`, (t) => t.startsWith('已添加'))).toBe('已添加订阅源 #2「原子观察」：现有 1 条，正在收录（首次读取的文章收录但不发通知）。');
    await h.stub.waitForCall((c) => Number(c.params['chat_id']) === ADMIN.id && String(c.params['text']) === '「原子观察」首次读取完成：收录 1 篇。', { timeoutMs: 20_000 });
    expect(await command(ADMIN.id, '/addfeed ftp://x.example/f')).toBe('用法：/addfeed 订阅源网址，例如 /addfeed https://example.com/feed.xml');
    expect(await command(ADMIN.id, `/addfeed ${server.url('/missing.xml')}`)).toBe('无法添加：HTTP 404 Not Found');
    expect(await command(ADMIN.id, `/addfeed ${server.url('/pages/4')}`)).toBe('无法添加：not a feed: neither RSS, Atom nor JSON Feed');
    const answer = await reply(9, () => h.stub.sendText('个人信息保护影响评估报告要保存多久', { from: user(9) }));
    expect(plain(answer)).toContain('至少保存三年');

    // A link: fetched, its article extracted, added and noticed.
    const link = await reply(ADMIN.id, () => h.stub.sendText(server.url('/mp/s/abc'), { from: ADMIN }));
    const [file] = readdirSync(join(h.dirs.corpusDir, 'links'));
    const taken = parseArticle(`links/${file}`, readFileSync(join(h.dirs.corpusDir, 'links', file!)));
    expect(taken.sections.map((s) => s.heading)).toEqual(['编者按', '过渡期安排']);
    expect(link).toBe(`已收录《欧盟《网络韧性法案》生效：制造商须在24小时内报告被利用的漏洞》：${taken.sections.flatMap((s) => s.paragraphs).length} 段（新文章）。`);
    await until(() => noticesTo(1).length === 1, 10_000, 'the notice of the link');
    expect(String(noticesTo(1)[0]!.params['text'])).toContain('<i>数据合规观察 · 2024-12-10</i>');
    expect(await reply(ADMIN.id, () => h.stub.sendText(server.url('/mp/s/abc'), { from: ADMIN }))).toContain('内容没有变化');
    expect(plain(await reply(9, () => h.stub.sendText('网络韧性法案要求多久内报告漏洞', { from: user(9) })))).toContain('24小时内');

    // OPML out, then in again after removing a feed.
    const exportCall = h.stub.calls.length;
    h.stub.sendCommand('/feeds opml', { from: ADMIN });
    await h.stub.waitForCall((c) => c.method === 'sendDocument', { since: exportCall });
    expect(await command(ADMIN.id, '/removefeed 2')).toBe('已移除订阅源 #2「原子观察」。已收录的文章保留。');
    expect(await command(ADMIN.id, '/removefeed 7')).toBe('没有订阅源 7。发送 /feeds 查看编号。');
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body><outline text="原子观察" type="rss" xmlUrl="${server.url('/atom.xml')}"/><outline text="周刊" xmlUrl="${server.url('/weekly.xml')}"/></body></opml>`;
    const imported = await reply(ADMIN.id, () => h.stub.sendMessage({ document: h.stub.addFile(Buffer.from(opml), 'subs.opml', 'text/x-opml') }, { from: ADMIN }));
    expect(imported).toBe('已导入 OPML：新增 0 个，恢复 1 个，已有 1 个。新增的订阅源马上开始读取。');
    expect(await command(ADMIN.id, '/feeds')).toMatch(/#1 <b>合规周刊<\/b> ✅[\s\S]*#2 <b>原子观察<\/b>/);
    // Nothing was noticed but the link.
    await new Promise((r) => setTimeout(r, 1500));
    expect(noticesTo(1)).toHaveLength(1);
  }, 90_000);

  it('loses and repeats no item when killed with SIGKILL in the middle of reading a feed', async () => {
    server.set('/weekly.xml', { body: rssFeed('合规周刊', SITE, [weekly(1)]), type: 'application/rss+xml' });
    h.app = start({ FEED_INTERVAL_SECONDS: '1' });
    await started();
    await until(() => feedFiles().length === 1, 20_000, 'the first read');
    const readers = [1, 2, 3];
    for (const id of readers) await command(id, '/subscribe');
    // Notices hang in this run, so none is recorded as delivered before the crash.
    h.stub.setFaultHandler((method, params) => (method === 'sendMessage' && isNotice(params['text']) ? 'timeout' : undefined));
    // Six new items whose text is on slow pages; the process dies while the fourth page is asked for.
    const cities = ['北京', '上海', '广州', '深圳', '杭州', '成都'];
    const items = cities.map((_, i) => weekly(i + 2, { id: `w${i + 2}`, link: server.url(`/pages/${i + 2}`), html: undefined, summary: '<p>摘要</p>', title: `合规周刊增刊${i + 2}` }));
    let pagesAsked = 0;
    for (const [i, item] of items.entries()) {
      const path = new URL(item.link).pathname;
      const page = articlePage(item.title, `<p>${cities[i]}市网信办公布了本市第${i + 2}批数据安全典型案例。</p>`);
      server.set(path, (_req, res) => {
        pagesAsked++;
        if (pagesAsked === 4) {
          h.app!.child.kill('SIGKILL');
          return;
        }
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page), 100);
      });
    }
    server.set('/weekly.xml', { body: rssFeed('合规周刊', SITE, [weekly(1), ...items]), type: 'application/rss+xml' });
    await h.app.exited;
    const before = feedFiles().length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(7);

    h.stub.setFaultHandler(undefined);
    h.app = start({ FEED_INTERVAL_SECONDS: '1' });
    await until(() => readers.every((id) => noticesTo(id).length >= items.length), 40_000, 'a notice of every item');
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of readers) {
      const titles = noticesTo(id).map((c) => /<b>(.*?)<\/b>/.exec(String(c.params['text']))![1]);
      expect(titles.sort()).toEqual(items.map((i) => i.title).sort());
    }
    expect(feedFiles()).toHaveLength(1 + items.length);
    // Items read before and after the crash are all answerable.
    for (const [i, city] of [[0, '北京'], [5, '成都']] as const) {
      const answer = await reply(9, () => h.stub.sendText(`${city}市网信办公布了什么`, { from: user(9) }));
      expect(plain(answer)).toContain(`合规周刊增刊${i + 2} › 导语`);
    }
  }, 120_000);
});
