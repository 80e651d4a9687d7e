/**
 * A feed document (RSS 2.0, RDF/RSS 1.0, Atom, JSON Feed) → its title and items in one shape,
 * oldest first. Parsing is feedsmith's; what is ours is choosing, per format, the item's
 * identity (guid/id, then link), link, author, date and content. Pure.
 */
import { parseFeed, type AnyFeed } from 'feedsmith';
import { htmlToText, textToHtml } from './html-content.js';
import { shortHash } from './render-article.js';

export interface FeedItem {
  /** What identifies the item within its feed: guid / id, else the link, else a hash of its text. */
  key: string;
  title: string;
  /** Absolute http(s) link to the item's page. */
  link: string | undefined;
  author: string | undefined;
  /** The date as the feed wrote it. */
  published: string | undefined;
  /** The full text when the feed carries it (content:encoded, Atom content, content_html). */
  contentHtml: string | undefined;
  /** A summary (description, Atom summary, JSON Feed summary). */
  summaryHtml: string | undefined;
}

export interface ParsedFeed {
  format: AnyFeed['format'];
  title: string | undefined;
  /** The site the feed belongs to. */
  siteUrl: string | undefined;
  items: FeedItem[];
}

/** Not a feed, or a broken one: the message says which. */
export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedParseError';
  }
}

/** More items than this in one document are left to the feed's own paging: the newest are read. */
export const MAX_ITEMS_PER_READ = 200;

const clean = (value: string | undefined | null) => {
  const text = value ? htmlToText(value) : '';
  return text || undefined;
};
const nonEmpty = (value: string | undefined | null) => (value && value.trim() ? value : undefined);

function absoluteLink(link: string | undefined, base: string): string | undefined {
  if (!link?.trim()) return undefined;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function itemKey(id: string | undefined, link: string | undefined, title: string, body: string | undefined): string {
  return nonEmpty(id)?.trim() ?? link ?? `sha256:${shortHash(`${title}\n${body ?? ''}`, 32)}`;
}

export function parseFeedDocument(text: string, feedUrl: string): ParsedFeed {
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    throw new FeedParseError(name === 'DetectError' ? 'not a feed: neither RSS, Atom nor JSON Feed' : `the feed cannot be read (${detail})`);
  }
  let result: ParsedFeed;
  switch (parsed.format) {
    case 'rss':
    case 'rdf': {
      const feed = parsed.feed;
      const siteUrl = absoluteLink(feed.link, feedUrl);
      const base = siteUrl ?? feedUrl;
      const items = (feed.items ?? []).slice(0, MAX_ITEMS_PER_READ).map((item): FeedItem => {
        const guid = 'guid' in item ? item.guid : undefined;
        const permalink = guid?.isPermaLink !== false ? absoluteLink(guid?.value, base) : undefined;
        const link = absoluteLink(item.link, base) ?? permalink;
        const contentHtml = nonEmpty(item.content?.encoded);
        const summaryHtml = nonEmpty(item.description);
        const title = clean(item.title) ?? clean(summaryHtml)?.slice(0, 60) ?? '';
        const authors = 'authors' in item ? item.authors : undefined;
        return {
          key: itemKey(guid?.value, link, title, contentHtml ?? summaryHtml),
          title,
          link,
          author: clean(authors?.[0]?.name ?? authors?.[0]?.email) ?? clean(item.dc?.creators?.[0]),
          published: ('pubDate' in item ? item.pubDate : undefined) ?? item.dc?.dates?.[0],
          contentHtml,
          summaryHtml,
        };
      });
      result = { format: parsed.format, title: clean(feed.title), siteUrl, items };
      break;
    }
    case 'atom': {
      const feed = parsed.feed;
      const alternate = (links: Array<{ href?: string; rel?: string }> | undefined) => (links?.find((l) => !l.rel || l.rel === 'alternate') ?? links?.[0])?.href;
      const siteUrl = absoluteLink(alternate(feed.links), feedUrl);
      const feedAuthor = clean(feed.authors?.[0]?.name);
      const items = (feed.entries ?? []).slice(0, MAX_ITEMS_PER_READ).map((entry): FeedItem => {
        const link = absoluteLink(alternate(entry.links), siteUrl ?? feedUrl);
        // Out-of-line content (src=…) is not the text.
        const contentHtml = entry.content?.src ? undefined : atomText(entry.content);
        const summaryHtml = atomText(entry.summary);
        const title = clean(entry.title?.value) ?? clean(summaryHtml)?.slice(0, 60) ?? '';
        return {
          key: itemKey(entry.id, link, title, contentHtml ?? summaryHtml),
          title,
          link,
          author: clean(entry.authors?.[0]?.name) ?? feedAuthor,
          published: entry.published ?? entry.updated,
          contentHtml,
          summaryHtml,
        };
      });
      result = { format: 'atom', title: clean(feed.title?.value), siteUrl, items };
      break;
    }
    case 'json': {
      const feed = parsed.feed;
      const siteUrl = absoluteLink(feed.home_page_url, feedUrl);
      const feedAuthor = clean(feed.authors?.[0]?.name);
      const items = (feed.items ?? []).slice(0, MAX_ITEMS_PER_READ).map((item): FeedItem => {
        const link = absoluteLink(item.url, siteUrl ?? feedUrl) ?? absoluteLink(item.external_url, siteUrl ?? feedUrl);
        const contentHtml = nonEmpty(item.content_html) ?? (nonEmpty(item.content_text) ? textToHtml(item.content_text!) : undefined);
        const summaryHtml = nonEmpty(item.summary) ? textToHtml(item.summary!) : undefined;
        const title = clean(item.title) ?? clean(contentHtml ?? summaryHtml)?.slice(0, 60) ?? '';
        return {
          key: itemKey(item.id === undefined ? undefined : String(item.id), link, title, contentHtml ?? summaryHtml),
          title,
          link,
          author: clean(item.authors?.[0]?.name) ?? feedAuthor,
          published: item.date_published ?? item.date_modified,
          contentHtml,
          summaryHtml,
        };
      });
      result = { format: 'json', title: clean(feed.title), siteUrl, items };
      break;
    }
  }
  // Feeds list the newest first: read (and notice) in the order things were published.
  result.items = inPublishingOrder(result.items);
  return result;
}

/** Atom text constructs: HTML and XHTML as they are, plain text made HTML. */
function atomText(text: { value?: string; type?: string } | undefined): string | undefined {
  const value = nonEmpty(text?.value);
  if (!value) return undefined;
  return text?.type === 'html' || text?.type === 'xhtml' || /<[a-z][\s\S]*>/i.test(value) ? value : textToHtml(value);
}

function inPublishingOrder(items: FeedItem[]): FeedItem[] {
  const times = items.map((item) => (item.published ? Date.parse(item.published) : NaN));
  if (times.every((t) => !Number.isNaN(t))) {
    return items.map((item, i) => ({ item, t: times[i]!, i })).sort((a, b) => a.t - b.t || b.i - a.i).map((x) => x.item);
  }
  return [...items].reverse();
}
