/**
 * Reads a feed (or a link an admin sent) and turns each new or changed item into a corpus
 * article through the app's ingest path (index, snapshot, notices).
 *
 * Every item goes through the same steps, each safe to repeat:
 *  1. one transaction records the item with the article bytes it becomes ('pending') and, for
 *     a feed's first read, marks the article as seen so it is never noticed;
 *  2. the file is written atomically (saveArticleFile, as `npm run add` and uploads write);
 *  3. the article is ingested (indexed; noticed if new and not baseline);
 *  4. the item is marked 'done'.
 * A crash after 1 is finished by `resumePending` at the next start; notices are idempotent by
 * article, so nothing is lost and nothing is noticed twice. A feed's validators (ETag,
 * Last-Modified) are saved only after all its items are done, so an interrupted read is
 * repeated in full rather than answered with a 304.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArticleError, type Article } from '../corpus/article.js';
import { parseArticle } from '../corpus/parse-article.js';
import { saveArticleFile } from '../corpus/article-files.js';
import { decodeText, FetchError, type FetchResponse, type SafeFetcher } from '../fetch/safe-fetch.js';
import type { UpsertOutcome } from '../library-types.js';
import type { Logger } from '../logger.js';
import { ExtractError, extractPage, isWeChatUrl, type ExtractedPage } from './extract-page.js';
import { LINKS_FEED_ID, type FeedRecord, type FeedStore, type ItemRecord } from './feed-store.js';
import { htmlToMarkdown, htmlToText, parseHtmlDocument } from './html-content.js';
import { FeedParseError, parseFeedDocument, type FeedItem, type ParsedFeed } from './parse-feed.js';
import { articleFileName, linkKey, publishedDate, renderArticle, shortHash, slugify, type ArticleDraft } from './render-article.js';

export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';
/** A summary this long (characters of text) is the article itself (RSSHub puts full text in description). */
const FULL_TEXT_CHARS = 500;
/** How often a page that could not be read is tried again (its summary stands in meanwhile). */
export const MAX_PAGE_ATTEMPTS = 3;
/** How often an item that cannot become an article is tried again in one run of the bot. */
const MAX_ITEM_ATTEMPTS = 3;

export interface FeedReaderDeps {
  store: FeedStore;
  fetcher: SafeFetcher;
  corpusDir: string;
  /** The app's ingest path: index, snapshot, notices. */
  ingest: (article: Article) => UpsertOutcome;
  /** Records an article as seen without noticing it (a feed's first read), inside the item's transaction. */
  markQuiet: (article: Article) => void;
  logger: Logger;
  now?: () => Date;
}

export interface ReadReport {
  status: 'read' | 'unchanged';
  /** Whether this was the feed's first read (its items are the baseline, not noticed). */
  baseline: boolean;
  title: string | null;
  siteUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  items: number;
  /** On a first read: the keys of every item it found (the baseline). */
  keys: string[] | undefined;
  added: number;
  updated: number;
  /** Items that could not become articles this time, with why. */
  failed: Array<{ item: string; reason: string }>;
}

export interface LinkResult {
  title: string;
  paragraphs: number;
  outcome: 'added' | 'updated' | 'unchanged';
  file: string;
}

export interface FeedReader {
  /** Finishes the items a crash left between their record and their article; returns how many. */
  resumePending(): number;
  /** Reads a feed: fetches it (conditionally) unless given the response, then every new or changed item. */
  readFeed(feed: FeedRecord, options?: { response?: FetchResponse; signal?: AbortSignal }): Promise<ReadReport>;
  /** Fetches and checks a feed without keeping anything; a page that announces its feed gives that feed (and its URL). */
  probeFeed(url: string): Promise<{ url: string; response: FetchResponse; feed: ParsedFeed }>;
  /** A page an admin sent: fetched, its article extracted, added (or updated) like a feed item. */
  addLink(url: string, signal?: AbortSignal): Promise<LinkResult>;
}

/** The feed an HTML page announces (`<link rel="alternate" type="application/rss+xml" href="…">`). */
export function announcedFeed(html: string, pageUrl: string): string | undefined {
  if (!/<link\b/i.test(html)) return undefined;
  const links = parseHtmlDocument(html).querySelectorAll('link[rel~="alternate"][href]');
  for (const link of Array.from(links)) {
    if (!/(rss|atom|feed)\+xml|feed\+json|application\/json/i.test(link.getAttribute('type') ?? '')) continue;
    try {
      const url = new URL(link.getAttribute('href')!, pageUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // not a URL: look further
    }
  }
  return undefined;
}

const paragraphCount = (article: Article) => article.sections.reduce((n, s) => n + s.paragraphs.length, 0);

export function createFeedReader(deps: FeedReaderDeps): FeedReader {
  const { store, fetcher, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const itemFailures = new Map<string, number>();

  /** Steps 1–4 for one item. */
  function commit(target: { feedId: number; itemKey: string }, entry: { linkKey: string | null; file: string; itemHash: string; bytes: Buffer; baseline: boolean; needsPage: boolean; quiet: boolean; firstSeen: string }): { article: Article; outcome: UpsertOutcome } {
    const article = parseArticle(entry.file, entry.bytes);
    store.transaction(() => {
      store.beginItem({ feedId: target.feedId, itemKey: target.itemKey, linkKey: entry.linkKey, file: entry.file, articleId: article.id, itemHash: entry.itemHash, bytes: entry.bytes, baseline: entry.baseline, needsPage: entry.needsPage, firstSeen: entry.firstSeen });
      if (entry.quiet) deps.markQuiet(article);
    });
    saveArticleFile(deps.corpusDir, entry.file, entry.bytes, { replace: true });
    const outcome = deps.ingest(article);
    store.finishItem(target.feedId, target.itemKey);
    return { article, outcome };
  }

  function resumePending(): number {
    let resumed = 0;
    for (const item of store.pendingItems()) {
      try {
        const bytes = item.pendingBytes ?? Buffer.alloc(0);
        const article = parseArticle(item.file, bytes);
        // Written before the crash: leave the file (and its mtime) alone.
        if (!fileHolds(item.file, bytes)) saveArticleFile(deps.corpusDir, item.file, bytes, { replace: true });
        deps.ingest(article);
        store.finishItem(item.feedId, item.itemKey);
        resumed++;
      } catch (error) {
        logger.warn({ file: item.file, err: String(error) }, 'an interrupted feed item could not be finished');
      }
    }
    if (resumed) logger.info({ items: resumed }, 'finished feed items a crash interrupted');
    return resumed;
  }

  function fileHolds(file: string, bytes: Buffer): boolean {
    try {
      return readFileSync(join(deps.corpusDir, file)).equals(bytes);
    } catch {
      return false;
    }
  }

  async function fetchPage(url: string, signal?: AbortSignal): Promise<{ page: ExtractedPage; finalUrl: string }> {
    const response = await fetcher.fetch(url, { accept: PAGE_ACCEPT, signal });
    const page = extractPage(decodeText(response.body, response.contentType), response.url);
    return { page, finalUrl: response.url };
  }

  async function probeFeed(url: string, signal?: AbortSignal): Promise<{ url: string; response: FetchResponse; feed: ParsedFeed }> {
    const response = await fetcher.fetch(url, { accept: FEED_ACCEPT, signal });
    const text = decodeText(response.body, response.contentType);
    try {
      return { url, response, feed: parseFeedDocument(text, response.url) };
    } catch (error) {
      // A site's page rather than its feed: follow the feed it announces, as feed readers do.
      const announced = error instanceof FeedParseError ? announcedFeed(text, response.url) : undefined;
      if (!announced || announced === url) throw error;
      const feedResponse = await fetcher.fetch(announced, { accept: FEED_ACCEPT, signal });
      return { url: announced, response: feedResponse, feed: parseFeedDocument(decodeText(feedResponse.body, feedResponse.contentType), feedResponse.url) };
    }
  }

  /** What an item says, hashed: a change rewrites its article. */
  const hashOf = (item: FeedItem) => createHash('sha256').update(JSON.stringify([item.title, item.link, item.author, item.published, item.contentHtml, item.summaryHtml])).digest('hex');

  async function itemArticle(feed: FeedRecord, parsed: ParsedFeed, item: FeedItem, existing: ItemRecord | undefined, signal?: AbortSignal): Promise<{ draft: ArticleDraft; needsPage: boolean }> {
    const feedTitle = parsed.title ?? feed.title ?? undefined;
    const base = item.link ?? parsed.siteUrl ?? feed.url;
    const fullHtml = item.contentHtml ?? (item.summaryHtml && htmlToText(item.summaryHtml).length >= FULL_TEXT_CHARS ? item.summaryHtml : undefined);
    const weChat = item.link !== undefined && isWeChatUrl(item.link);
    let markdown = fullHtml ? htmlToMarkdown(fullHtml, base) : '';
    let page: ExtractedPage | undefined;
    let needsPage = false;
    if (!markdown && item.link) {
      // Summary only: the article is on its page.
      try {
        page = (await fetchPage(item.link, signal)).page;
        markdown = page.markdown;
      } catch (error) {
        if (!(error instanceof FetchError || error instanceof ExtractError)) throw error;
        const summary = item.summaryHtml ? htmlToMarkdown(item.summaryHtml, base) : '';
        if (!summary) throw new ArticleError(item.link, `its page could not be read (${error.message}) and the feed gives no summary`);
        logger.info({ feed: feed.url, item: item.link, err: error.message }, 'page not read; the summary stands in until it can be');
        markdown = summary;
        needsPage = true;
      }
    } else if (!markdown && item.summaryHtml) {
      markdown = htmlToMarkdown(item.summaryHtml, base);
    }
    const title = item.title || page?.title || htmlToText(markdown).slice(0, 40) || feedTitle || 'untitled';
    // A WeChat article's source is its account; otherwise the item's author, else the feed.
    const source = weChat ? (page?.source ?? feedTitle ?? item.author) : (item.author ?? feedTitle ?? page?.source);
    return {
      draft: {
        title,
        url: item.link ?? parsed.siteUrl ?? feed.url,
        source,
        date: publishedDate(item.published) ?? publishedDate(page?.published),
        fetchDate: existing?.firstSeen ?? now().toISOString(),
        markdown,
      },
      needsPage,
    };
  }

  async function readFeed(feed: FeedRecord, options: { response?: FetchResponse; signal?: AbortSignal } = {}): Promise<ReadReport> {
    const baseline = feed.firstReadAt === null;
    const response = options.response ?? (await fetcher.fetch(feed.url, { accept: FEED_ACCEPT, etag: baseline ? undefined : (feed.etag ?? undefined), lastModified: baseline ? undefined : (feed.lastModified ?? undefined), signal: options.signal }));
    const report: ReadReport = { status: 'unchanged', baseline, title: feed.title, siteUrl: feed.siteUrl, etag: response.etag ?? null, lastModified: response.lastModified ?? null, items: 0, keys: undefined, added: 0, updated: 0, failed: [] };
    if (response.status === 304) {
      await retryPages(feed, report, options.signal);
      return report;
    }
    const parsed = parseFeedDocument(decodeText(response.body, response.contentType), response.url);
    report.status = 'read';
    report.title = parsed.title ?? feed.title;
    report.siteUrl = parsed.siteUrl ?? feed.siteUrl;
    report.items = parsed.items.length;
    if (baseline) report.keys = parsed.items.map((item) => item.key);
    const folder = feed.folder ?? `feeds/${slugify(parsed.title ?? new URL(feed.url).hostname, 30)}-${shortHash(feed.url, 6)}`;
    if (!feed.folder) store.setFolder(feed.id, folder);
    const fed = { ...feed, folder, title: report.title };

    for (const item of parsed.items) {
      if (options.signal?.aborted) throw new FetchError('network', feed.url, 'abandoned: the bot is stopping');
      const failureKey = `${feed.id}\n${item.key}`;
      if ((itemFailures.get(failureKey) ?? 0) >= MAX_ITEM_ATTEMPTS) continue;
      try {
        const outcome = await readItem(fed, parsed, item, baseline, options.signal);
        if (outcome === 'added') report.added++;
        if (outcome === 'updated') report.updated++;
        itemFailures.delete(failureKey);
      } catch (error) {
        // An item that cannot become an article does not stop the others; anything else
        // (disk, database) stops the read, which is then repeated in full.
        if (!(error instanceof ArticleError || error instanceof ExtractError || error instanceof FetchError)) throw error;
        if (error instanceof FetchError && options.signal?.aborted) throw error;
        itemFailures.set(failureKey, (itemFailures.get(failureKey) ?? 0) + 1);
        report.failed.push({ item: item.link ?? item.key, reason: error.message });
        logger.warn({ feed: feed.url, item: item.link ?? item.key, err: error.message }, 'feed item not added');
      }
    }
    await retryPages(fed, report, options.signal);
    if (report.added || report.updated || report.failed.length) {
      logger.info({ feed: feed.url, baseline, items: report.items, added: report.added, updated: report.updated, failed: report.failed.length }, 'feed read');
    }
    return report;
  }

  async function readItem(feed: FeedRecord & { folder: string }, parsed: ParsedFeed, item: FeedItem, baseline: boolean, signal?: AbortSignal): Promise<'added' | 'updated' | 'unchanged'> {
    const itemHash = hashOf(item);
    const existing = store.item(feed.id, item.key);
    if (existing && existing.itemHash === itemHash) return 'unchanged';
    const key = item.link ? linkKey(item.link) : null;
    if (!existing && key) {
      // The same article through another feed (or sent as a link): remember it, add nothing.
      const twin = store.itemByLink(key);
      if (twin) {
        store.transaction(() => {
          store.beginItem({ feedId: feed.id, itemKey: item.key, linkKey: key, file: twin.file, articleId: twin.articleId, itemHash, bytes: Buffer.alloc(0), baseline, needsPage: false });
          store.finishItem(feed.id, item.key);
        });
        return 'unchanged';
      }
    }
    const { draft, needsPage } = await itemArticle(feed, parsed, item, existing, signal);
    const file = existing?.file ?? `${feed.folder}/${articleFileName(draft.title, `${feed.url}\n${item.key}`)}`;
    const quiet = !existing && (baseline || feed.baselineKeys.has(item.key));
    commit({ feedId: feed.id, itemKey: item.key }, { linkKey: key, file, itemHash, bytes: renderArticle(draft), baseline: existing?.baseline ?? quiet, needsPage, quiet, firstSeen: draft.fetchDate });
    return existing ? 'updated' : 'added';
  }

  /** Items written from their summary get their page tried again; the article is rewritten, not noticed again. */
  async function retryPages(feed: FeedRecord, report: ReadReport, signal?: AbortSignal): Promise<void> {
    for (const item of store.itemsNeedingPage(feed.id, MAX_PAGE_ATTEMPTS)) {
      let current: Article;
      try {
        current = parseArticle(item.file, readFileSync(join(deps.corpusDir, item.file)));
      } catch {
        continue;
      }
      try {
        const { page } = await fetchPage(current.url, signal);
        const bytes = renderArticle({ title: current.title, url: current.url, source: isWeChatUrl(current.url) ? (page.source ?? current.source) : current.source, date: current.date ?? publishedDate(page.published), fetchDate: item.firstSeen, markdown: page.markdown });
        commit({ feedId: item.feedId, itemKey: item.itemKey }, { linkKey: item.linkKey, file: item.file, itemHash: item.itemHash, bytes, baseline: item.baseline, needsPage: false, quiet: false, firstSeen: item.firstSeen });
        report.updated++;
      } catch (error) {
        if (!(error instanceof FetchError || error instanceof ExtractError || error instanceof ArticleError)) throw error;
        store.recordPageAttempt(item.feedId, item.itemKey);
      }
    }
  }

  async function addLink(url: string, signal?: AbortSignal): Promise<LinkResult> {
    const { page, finalUrl } = await fetchPage(url, signal);
    const key = linkKey(finalUrl);
    const existing = store.item(LINKS_FEED_ID, linkKey(url)) ?? store.itemByLink(linkKey(url)) ?? store.itemByLink(key);
    const title = page.title ?? htmlToText(page.markdown).slice(0, 40);
    if (!title) throw new ExtractError('the page has no title and no text');
    const draft: ArticleDraft = { title, url: finalUrl, source: page.source, date: publishedDate(page.published), fetchDate: existing?.firstSeen ?? now().toISOString(), markdown: page.markdown };
    const bytes = renderArticle(draft);
    // A feed's item keeps its feed's hash, so the feed's next read does not undo the page's text.
    const itemHash = existing && existing.feedId !== LINKS_FEED_ID ? existing.itemHash : createHash('sha256').update(bytes).digest('hex');
    const file = existing?.file ?? `links/${articleFileName(title, key)}`;
    const target = existing ? { feedId: existing.feedId, itemKey: existing.itemKey } : { feedId: LINKS_FEED_ID, itemKey: key };
    if (existing && existing.state === 'done' && sameBody(existing.file, bytes)) {
      const article = parseArticle(existing.file, readFileSync(join(deps.corpusDir, existing.file)));
      return { title: article.title, paragraphs: paragraphCount(article), outcome: 'unchanged', file: existing.file };
    }
    const { article } = commit(target, { linkKey: key, file, itemHash, bytes, baseline: false, needsPage: false, quiet: false, firstSeen: draft.fetchDate });
    return { title: article.title, paragraphs: paragraphCount(article), outcome: existing ? 'updated' : 'added', file };
  }

  /** Whether a file already says this, fetch date aside. */
  function sameBody(file: string, bytes: Buffer): boolean {
    try {
      const strip = (b: Buffer) => b.toString('utf8').replace(/^fetch_date: .*$/m, '');
      return strip(readFileSync(join(deps.corpusDir, file))) === strip(bytes);
    } catch {
      return false;
    }
  }

  return { resumePending, readFeed, probeFeed, addLink };
}

