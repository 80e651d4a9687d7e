import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetcher, decodeText, FetchError, isPublicAddress, retryAfterSeconds, USER_AGENT, type FetchOptions } from '../../src/fetch/safe-fetch.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

const open: FetchOptions = { allowPrivate: true, timeoutMs: 2000, maxBytes: 1024 * 1024 };

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('isPublicAddress', () => {
  it('allows public unicast addresses only', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
    const refused = [
      '127.0.0.1', '127.9.9.9', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', 'not an address',
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
  });
});

describe('the safe fetcher', () => {
  let server: FeedServer;
  let other: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer();
    other = await startFeedServer('127.0.0.2');
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it('fetches a page, names the bot in its User-Agent and undoes gzip', async () => {
    server.set('/page', { body: '<p>正文</p>', gzip: true });
    const response = await createSafeFetcher(open).fetch(server.url('/page'));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('<p>正文</p>');
    const request = server.requests.at(-1)!;
    expect(request.headers['user-agent']).toBe(USER_AGENT);
    expect(request.headers['accept-encoding']).toContain('gzip');
  });

  it('asks conditionally and returns 304 when the copy held is current', async () => {
    server.set('/feed', { body: '<rss/>', etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 02:00:00 GMT' });
    const fetcher = createSafeFetcher(open);
    const first = await fetcher.fetch(server.url('/feed'));
    expect(first).toMatchObject({ status: 200, etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 02:00:00 GMT' });
    const again = await fetcher.fetch(server.url('/feed'), { etag: first.etag, lastModified: first.lastModified });
    expect(again).toMatchObject({ status: 304, etag: '"v1"' });
    expect(again.body.length).toBe(0);
    const sent = server.requests.at(-1)!.headers;
    expect(sent['if-none-match']).toBe('"v1"');
    expect(sent['if-modified-since']).toBe('Tue, 24 Nov 2026 02:00:00 GMT');
  });

  it('refuses loopback and private addresses without FETCH_ALLOW_PRIVATE, before connecting', async () => {
    server.set('/secret', { body: 'secret' });
    const before = server.count();
    const fetcher = createSafeFetcher({ ...open, allowPrivate: false });
    expect((await failure(fetcher.fetch(server.url('/secret')))).code).toBe('blocked-address');
    // A name is checked after resolution: localhost is loopback.
    const port = new URL(server.origin).port;
    expect((await failure(fetcher.fetch(`http://localhost:${port}/secret`))).code).toBe('blocked-address');
    // A public-looking name that resolves to a private address (DNS rebinding) is refused too.
    const rebinding = createSafeFetcher({ ...open, allowPrivate: false, resolve: async () => [{ address: '10.0.0.7', family: 4 }] });
    const refused = await failure(rebinding.fetch('http://feeds.example.com/rss'));
    expect(refused.code).toBe('blocked-address');
    expect(refused.message).toContain('10.0.0.7');
    expect((await failure(fetcher.fetch('http://[::1]:1/x'))).code).toBe('blocked-address');
    expect((await failure(fetcher.fetch('http://169.254.169.254/latest/meta-data/'))).code).toBe('blocked-address');
    expect(server.count()).toBe(before);
  });

  it('checks every redirect: a hop to a private address or another scheme is refused', async () => {
    // Only 127.0.0.1 counts as public here, so the second server (127.0.0.2) stands for an internal host.
    const fetcher = createSafeFetcher({ ...open, allowPrivate: false, isAllowedAddress: (address) => address === '127.0.0.1' });
    server.set('/to-internal', { redirect: other.url('/admin') });
    server.set('/to-metadata', { redirect: 'http://169.254.169.254/latest/meta-data/' });
    server.set('/to-file', { redirect: 'file:///etc/passwd' });
    server.set('/to-self', { status: 301, redirect: '/page-after' });
    server.set('/page-after', { body: 'arrived' });
    other.set('/admin', { body: 'internal' });
    expect((await failure(fetcher.fetch(server.url('/to-internal')))).code).toBe('blocked-address');
    expect((await failure(fetcher.fetch(server.url('/to-metadata')))).code).toBe('blocked-address');
    expect((await failure(fetcher.fetch(server.url('/to-file')))).code).toBe('bad-url');
    expect(other.count()).toBe(0);
    const followed = await fetcher.fetch(server.url('/to-self'));
    expect(followed.url).toBe(server.url('/page-after'));
    expect(followed.body.toString()).toBe('arrived');
  });

  it('stops after 5 redirects', async () => {
    server.set('/loop', { redirect: '/loop' });
    const before = server.count('/loop');
    expect((await failure(createSafeFetcher(open).fetch(server.url('/loop')))).code).toBe('too-many-redirects');
    expect(server.count('/loop') - before).toBe(6);
  });

  it('gives up at the deadline on a server that never answers', async () => {
    server.set('/hang', { hang: true });
    const started = Date.now();
    const error = await failure(createSafeFetcher({ ...open, timeoutMs: 300 }).fetch(server.url('/hang')));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cuts off a 20 MB body at the cap without reading it whole', async () => {
    server.set('/huge', { streamBytes: 20 * 1024 * 1024, type: 'application/rss+xml' });
    const error = await failure(createSafeFetcher({ ...open, maxBytes: 1024 * 1024 }).fetch(server.url('/huge')));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain('1 MB');
    await new Promise((r) => setTimeout(r, 100));
    const progress = server.streamed.get('/huge')!;
    expect(progress.finished).toBe(false);
    expect(progress.written).toBeLessThan(20 * 1024 * 1024);
    // A declared length over the cap is refused before reading; a compression bomb is measured unpacked.
    server.set('/declared', { body: Buffer.alloc(2 * 1024 * 1024) });
    expect((await failure(createSafeFetcher({ ...open, maxBytes: 1024 * 1024 }).fetch(server.url('/declared')))).code).toBe('too-large');
    server.set('/bomb', { body: gzipSync(Buffer.alloc(20 * 1024 * 1024)), headers: { 'content-encoding': 'gzip' } });
    expect((await failure(createSafeFetcher({ ...open, maxBytes: 1024 * 1024 }).fetch(server.url('/bomb')))).code).toBe('too-large');
  });

  it('reports HTTP errors with the status and any Retry-After', async () => {
    server.set('/broken', { status: 500, body: 'oops' });
    server.set('/busy', { status: 503, headers: { 'retry-after': '120' } });
    const broken = await failure(createSafeFetcher(open).fetch(server.url('/broken')));
    expect(broken).toMatchObject({ code: 'http-status', details: { status: 500 } });
    expect(broken.message).toContain('HTTP 500');
    const busy = await failure(createSafeFetcher(open).fetch(server.url('/busy')));
    expect(busy.details).toEqual({ status: 503, retryAfterSeconds: 120 });
    expect(retryAfterSeconds('Tue, 24 Nov 2026 02:01:00 GMT', Date.parse('Tue, 24 Nov 2026 02:00:00 GMT'))).toBe(60);
  });

  it('refuses what is not an http(s) URL', async () => {
    const fetcher = createSafeFetcher(open);
    for (const url of ['ftp://example.com/f', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd']) expect((await failure(fetcher.fetch(url))).code).toBe('bad-url');
  });
});

describe('decodeText', () => {
  const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文
  it('reads the charset from the header, an XML declaration or an HTML meta tag', () => {
    expect(decodeText(gbk, 'text/html; charset=GBK')).toBe('中文');
    expect(decodeText(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="gb2312"?><t>'), gbk]), 'application/xml')).toContain('<t>中文');
    expect(decodeText(Buffer.concat([Buffer.from('<html><head><meta charset="gbk"></head><body>'), gbk]))).toContain('<body>中文');
    expect(decodeText(Buffer.from('正文'), '')).toBe('正文');
    expect(decodeText(Buffer.from('正文'), 'text/html; charset=made-up')).toBe('正文');
  });
});
