// Feeds read by the running app (startApp, as `npm start` runs it) from a local feed server,
// noticed through a local Bot API server: what a poll costs in requests with and without
// changes, and how long an item takes from appearing in its feed to its notice.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { startApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { startFeedServer, type RecordedRequest } from '../tests/support/feed-server.js';
import { articlePage, atomFeed, jsonFeed, rssFeed, type FixtureItem } from '../tests/support/feed-fixtures.js';
import { startTelegramStub } from '../tests/support/telegram-stub.js';
import { percentile, round } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const item = (feed: string, n: number, extra: Partial<FixtureItem> = {}): FixtureItem => ({
  id: `${feed}-${n}`,
  title: `${feed}动态第${n}号`,
  link: `https://${feed}.example/${n}`,
  date: new Date(Date.UTC(2026, 10, 1) + n * 3600_000).toISOString(),
  html: `<p>${feed}第${n}号动态：监管部门发布了第${n}批数据安全典型案例，涉及个人信息保护和数据出境。</p>`,
  ...extra,
});

export async function benchFeeds(options: { rounds?: number; intervalSeconds?: number } = {}): Promise<Record<string, number | string>> {
  const rounds = options.rounds ?? 10;
  const intervalSeconds = options.intervalSeconds ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'feed-bench-'));
  const corpusDir = join(root, 'corpus');
  mkdirSync(corpusDir);
  copyFileSync('corpus/2023-01-26-export-controls-return.md', join(corpusDir, 'seed.md'));
  const server = await startFeedServer();
  const stub = await startTelegramStub();
  const items = { rss: [1, 2, 3, 4, 5].map((n) => item('rss', n)), atom: [1, 2, 3].map((n) => item('atom', n, { html: undefined, link: server.url(`/pages/${n}`), summary: '<p>摘要</p>' })), json: [1, 2, 3, 4, 5].map((n) => item('json', n)) };
  const publish = () => {
    server.set('/rss.xml', { body: rssFeed('RSS 源', 'https://rss.example/', items.rss), type: 'application/rss+xml', etag: `"r${items.rss.length}"` });
    server.set('/atom.xml', { body: atomFeed('Atom 源', 'https://atom.example/', items.atom), type: 'application/atom+xml', lastModified: new Date(Date.UTC(2026, 10, 1) + items.atom.length * 1000).toUTCString() });
    server.set('/feed.json', { body: jsonFeed('JSON 源', 'https://json.example/', items.json), type: 'application/feed+json', etag: `"j${items.json.length}"` });
    for (const [i, it] of items.atom.entries()) server.set(`/pages/${i + 1}`, { body: articlePage(it.title, `<p>页面正文：atom第${i + 1}号动态的全文，讲述数据安全典型案例。</p>`) });
  };
  publish();
  const feeds = ['/rss.xml', '/atom.xml', '/feed.json'];
  const config = parseConfig({
    TELEGRAM_BOT_TOKEN: stub.token,
    TELEGRAM_API_ROOT: stub.apiRoot,
    CORPUS_DIR: corpusDir,
    DATA_DIR: join(root, 'data'),
    FEEDS: feeds.map((p) => server.url(p)).join(','),
    FEED_INTERVAL_SECONDS: String(intervalSeconds),
    FETCH_ALLOW_PRIVATE: 'true',
    WATCH_CORPUS: 'false',
  });
  const app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough(), interactive: false });
  const reader = { id: 77, first_name: 'Bench', language_code: 'zh' };
  const articleFiles = () => (readdirSync(join(corpusDir, 'feeds'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).length;
  const notices = () => stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === reader.id && String(c.params['text']).startsWith('📰'));
  /** The requests of one poll round: from `since`, until every feed has been asked once (and its pages fetched). */
  const round_ = async (since: number, pages: number) => {
    await until(() => feeds.every((f) => server.requests.slice(since).some((r) => r.path === f && r.status !== undefined)), 10_000 + intervalSeconds * 3000, 'a poll round');
    await until(() => server.requests.slice(since).filter((r) => r.path.startsWith('/pages/') && r.status !== undefined).length >= pages, 10_000, 'the pages');
    await sleep(50);
    const asked = server.requests.slice(since).filter((r, i, all) => r.path.startsWith('/pages/') || all.findIndex((x) => x.path === r.path) === i);
    return { requests: asked.length, not_modified: asked.filter((r: RecordedRequest) => r.status === 304).length };
  };
  try {
    stub.sendCommand('/subscribe', { from: reader });
    await stub.waitForCall((c) => Number(c.params['chat_id']) === reader.id);
    await until(() => { try { return articleFiles() === 13; } catch { return false; } }, 30_000, 'the first reads');
    const firstReadRequests = server.requests.length;

    // A round with nothing new: every feed answers 304 (ETag or Last-Modified).
    const quiet = await round_(server.requests.length, 0);
    // A round where every feed has a new item (the Atom one summary-only: one page more).
    const before = server.requests.length;
    items.rss.push(item('rss', 6));
    items.atom.push(item('atom', 4, { html: undefined, link: server.url('/pages/4'), summary: '<p>摘要</p>' }));
    items.json.push(item('json', 6));
    publish();
    const changed = await round_(before, 1);
    await until(() => notices().length === 3, 20_000, 'three notices');
    // A round where one feed of three has a new item.
    const beforeOne = server.requests.length;
    items.json.push(item('json', 7));
    publish();
    const oneChanged = await round_(beforeOne, 0);
    await until(() => notices().length === 4, 20_000, 'the fourth notice');

    // From an item's appearance to its notice, at a random moment of the interval.
    const latencies: number[] = [];
    const processing: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await sleep(1100 + Math.random() * intervalSeconds * 1000);
      const known = notices().length;
      items.rss.push(item('rss', 100 + i));
      const appeared = Date.now();
      const since = server.requests.length;
      publish();
      await until(() => notices().length > known, 30_000, 'the notice');
      const noticed = notices().at(-1)!.at;
      const fetched = server.requests.slice(since).find((r) => r.path === '/rss.xml' && r.status === 200);
      latencies.push(noticed - appeared);
      if (fetched) processing.push(noticed - fetched.at);
    }
    return {
      feeds: feeds.length,
      first_read_requests: firstReadRequests,
      first_read_articles: 13,
      unchanged_round_requests: quiet.requests,
      unchanged_round_304: quiet.not_modified,
      all_changed_round_requests: changed.requests,
      all_changed_round_304: changed.not_modified,
      one_changed_round_requests: oneChanged.requests,
      one_changed_round_304: oneChanged.not_modified,
      interval_s: intervalSeconds,
      appear_to_notice_p50_ms: round(percentile(latencies, 50), 0),
      appear_to_notice_max_ms: round(Math.max(...latencies), 0),
      fetch_to_notice_p50_ms: round(percentile(processing, 50), 0),
      fetch_to_notice_max_ms: round(Math.max(...processing), 0),
      samples: latencies.length,
    };
  } finally {
    await app.stop('bench');
    await stub.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchFeeds());
}
