/** Feed documents for tests, written the way publishers write them (RSSHub-like RSS, Atom, JSON Feed). */

export interface FixtureItem {
  id: string;
  title: string;
  link: string;
  /** ISO 8601 */
  date: string;
  author?: string;
  /** Full text, HTML. */
  html?: string;
  /** Summary, HTML (Atom, RSS) or text (JSON Feed). */
  summary?: string;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** RSS 2.0, newest first, full text in content:encoded. */
export function rssFeed(title: string, siteUrl: string, items: FixtureItem[]): string {
  const entries = [...items]
    .reverse()
    .map(
      (item) => `    <item>
      <title>${xml(item.title)}</title>
      <link>${xml(item.link)}</link>
      <guid isPermaLink="false">${xml(item.id)}</guid>
      <pubDate>${new Date(item.date).toUTCString()}</pubDate>
      ${item.author ? `<dc:creator>${xml(item.author)}</dc:creator>` : ''}
      ${item.summary ? `<description>${cdata(item.summary)}</description>` : ''}
      ${item.html ? `<content:encoded>${cdata(item.html)}</content:encoded>` : ''}
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(title)}</title>
    <link>${xml(siteUrl)}</link>
    <description>${xml(title)} - Powered by RSSHub</description>
    <generator>RSSHub</generator>
    <language>zh-cn</language>
    <lastBuildDate>${new Date().toUTCString()}</lastBuildDate>
    <ttl>5</ttl>
${entries}
  </channel>
</rss>
`;
}

/** Atom 1.0, newest first; entries without `html` carry a summary only. */
export function atomFeed(title: string, siteUrl: string, items: FixtureItem[]): string {
  const entries = [...items]
    .reverse()
    .map(
      (item) => `  <entry>
    <title type="text">${xml(item.title)}</title>
    <id>${xml(item.id)}</id>
    <link rel="alternate" type="text/html" href="${xml(item.link)}"/>
    <published>${item.date}</published>
    <updated>${item.date}</updated>
    ${item.author ? `<author><name>${xml(item.author)}</name></author>` : ''}
    ${item.summary ? `<summary type="html">${xml(item.summary)}</summary>` : ''}
    ${item.html ? `<content type="html">${xml(item.html)}</content>` : ''}
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <title>${xml(title)}</title>
  <id>${xml(siteUrl)}</id>
  <link rel="alternate" href="${xml(siteUrl)}"/>
  <updated>${items.at(-1)?.date ?? new Date().toISOString()}</updated>
${entries}
</feed>
`;
}

/** JSON Feed 1.1, newest first. */
export function jsonFeed(title: string, siteUrl: string, items: FixtureItem[]): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title,
      home_page_url: siteUrl,
      items: [...items].reverse().map((item) => ({
        id: item.id,
        url: item.link,
        title: item.title,
        ...(item.html ? { content_html: item.html } : {}),
        ...(item.summary ? { summary: item.summary } : {}),
        date_published: item.date,
        ...(item.author ? { authors: [{ name: item.author }] } : {}),
      })),
    },
    null,
    2,
  );
}

/** A plain article page around the given body, with the usual site chrome. */
export function articlePage(title: string, bodyHtml: string, site = '测试站点'): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${xml(title)} - ${xml(site)}</title><meta property="og:site_name" content="${xml(site)}"></head>
<body><header><nav><a href="/">首页</a> <a href="/about">关于</a></nav></header>
<main><article><h1>${xml(title)}</h1>${bodyHtml}<div class="share">分享到微博</div></article></main>
<aside class="sidebar"><a href="/hot">热门文章</a></aside><footer>© ${xml(site)}</footer></body></html>`;
}
