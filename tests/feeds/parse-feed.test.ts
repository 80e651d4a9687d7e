import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeedDocument } from '../../src/feeds/parse-feed.js';
import { atomFeed, jsonFeed, rssFeed, type FixtureItem } from '../support/feed-fixtures.js';

const items: FixtureItem[] = [
  { id: 'a-1', title: '第一篇 & <旧闻>', link: 'https://site.example/a/1', date: '2026-11-20T02:00:00Z', author: '作者甲', html: '<p>第一篇的正文。</p>' },
  { id: 'a-2', title: '第二篇', link: 'https://site.example/a/2', date: '2026-11-21T02:00:00Z', summary: '<p>第二篇的摘要</p>' },
];

describe('parseFeedDocument', () => {
  it('reads RSS 2.0: guid, link, dc:creator, pubDate, content:encoded; oldest first', () => {
    const feed = parseFeedDocument(rssFeed('看雪学苑', 'https://site.example/', items), 'https://feeds.example/rss');
    expect(feed).toMatchObject({ format: 'rss', title: '看雪学苑', siteUrl: 'https://site.example/' });
    expect(feed.items.map((i) => i.key)).toEqual(['a-1', 'a-2']);
    expect(feed.items[0]).toMatchObject({ title: '第一篇 & <旧闻>', link: 'https://site.example/a/1', author: '作者甲', contentHtml: '<p>第一篇的正文。</p>' });
    expect(feed.items[1]).toMatchObject({ contentHtml: undefined, summaryHtml: '<p>第二篇的摘要</p>' });
    expect(Date.parse(feed.items[0]!.published!)).toBe(Date.parse('2026-11-20T02:00:00Z'));
  });

  it('reads Atom: id, alternate link, content or summary, the feed author for entries without one', () => {
    const feed = parseFeedDocument(atomFeed('Atom 站', 'https://atom.example/', items).replace('<updated>', '<author><name>站长</name></author><updated>'), 'https://atom.example/feed');
    expect(feed).toMatchObject({ format: 'atom', title: 'Atom 站' });
    expect(feed.items.map((i) => [i.key, i.link, i.author])).toEqual([
      ['a-1', 'https://site.example/a/1', '作者甲'],
      ['a-2', 'https://site.example/a/2', '站长'],
    ]);
    expect(feed.items[1]!.summaryHtml).toBe('<p>第二篇的摘要</p>');
  });

  it('reads JSON Feed: id, url, content_html, summary as text', () => {
    const feed = parseFeedDocument(jsonFeed('J 站', 'https://j.example/', items), 'https://j.example/feed.json');
    expect(feed).toMatchObject({ format: 'json', title: 'J 站', siteUrl: 'https://j.example/' });
    expect(feed.items.map((i) => i.key)).toEqual(['a-1', 'a-2']);
    expect(feed.items[0]!.contentHtml).toBe('<p>第一篇的正文。</p>');
    expect(feed.items[1]!.summaryHtml).toContain('第二篇的摘要');
  });

  it('identifies an item without guid by its link, and without either by its text; resolves relative links', () => {
    const rss = `<rss version="2.0"><channel><title>T</title><link>https://r.example/</link><description>d</description>
      <item><title>有链接</title><link>/posts/1</link><description>x</description></item>
      <item><title>无链接</title><description>只有文字</description></item></channel></rss>`;
    const feed = parseFeedDocument(rss, 'https://r.example/feed');
    const byTitle = Object.fromEntries(feed.items.map((i) => [i.title, i]));
    expect(byTitle['有链接']).toMatchObject({ key: 'https://r.example/posts/1', link: 'https://r.example/posts/1' });
    expect(byTitle['无链接']!.key).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(byTitle['无链接']!.link).toBeUndefined();
  });

  it('says plainly when a document is not a feed or is broken', () => {
    expect(() => parseFeedDocument('<html><body>hello</body></html>', 'https://x.example/')).toThrow(FeedParseError);
    expect(() => parseFeedDocument('<rss><channel><title>x</ti', 'https://x.example/')).toThrow(/cannot be read|not a feed/);
    expect(() => parseFeedDocument('', 'https://x.example/')).toThrow(FeedParseError);
  });
});
