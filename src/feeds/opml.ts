/** Feed lists in and out as OPML 2.0, the format feed readers exchange (feedsmith parses and writes it). Pure. */
import { generateOpml, parseOpml, type Opml } from 'feedsmith';

export interface OpmlFeed {
  url: string;
  title: string | undefined;
  siteUrl: string | undefined;
}

export class OpmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpmlError';
  }
}

/** Every feed in an OPML document, nested folders included, each URL once; non-http(s) URLs are left out. */
export function feedsFromOpml(text: string): { feeds: OpmlFeed[]; skipped: string[] } {
  let document: Opml.Document<string>;
  try {
    document = parseOpml(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new OpmlError(`not an OPML document (${error instanceof Error ? error.message : String(error)})`);
  }
  const feeds: OpmlFeed[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const walk = (outlines: Array<Opml.Outline<string>> | undefined) => {
    for (const outline of outlines ?? []) {
      const raw = outline.xmlUrl?.trim();
      if (raw) {
        let url: string | undefined;
        try {
          const parsed = new URL(raw);
          if (parsed.protocol === 'http:' || parsed.protocol === 'https:') url = parsed.href;
        } catch {
          // reported below
        }
        if (!url) skipped.push(raw);
        else if (!seen.has(url)) {
          seen.add(url);
          feeds.push({ url, title: outline.title?.trim() || outline.text?.trim() || undefined, siteUrl: outline.htmlUrl?.trim() || undefined });
        }
      }
      walk(outline.outlines);
    }
  };
  walk(document.body?.outlines);
  return { feeds, skipped };
}

export function feedsToOpml(feeds: OpmlFeed[], title = 'Feeds'): string {
  const outlines = feeds.map((feed) => ({
    text: feed.title ?? feed.url,
    ...(feed.title ? { title: feed.title } : {}),
    type: 'rss',
    xmlUrl: feed.url,
    ...(feed.siteUrl ? { htmlUrl: feed.siteUrl } : {}),
  }));
  return generateOpml({ head: { title, dateCreated: new Date().toUTCString() }, body: { outlines } } as Opml.Document<string>);
}
