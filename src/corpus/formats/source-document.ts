/** Which kind of file an article came from (detected per file; there is nothing to set). */
export type SourceFormat = 'front-matter' | 'wechat-markdown' | 'plain-markdown';

/**
 * What a file holds before its body is read: the metadata its format gives and the Markdown
 * body. Formats fill what they find; the article is cited without what none of them found.
 */
export interface SourceDocument {
  format: SourceFormat;
  title: string | undefined;
  /** An http(s) link to the original, when the file gives one. */
  url: string | undefined;
  /** The account, site or feed the article comes from. */
  source: string | undefined;
  author: string | undefined;
  /** YYYY-MM-DD. */
  date: string | undefined;
  body: string;
  /** Set when the title is only the file's name (the file itself gives none). */
  titleFromPath?: boolean;
  /** What was odd but not fatal (shown by `npm run inspect`). */
  notes: string[];
}

export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function urlOf(value: string | undefined): string | undefined {
  const url = value?.trim();
  return url && /^https?:\/\/\S+$/i.test(url) ? url : undefined;
}

/** A YYYY-MM-DD date from a Date, or from a string that starts with one (2024-03-31 19:00, 2024/3/1). */
export function dateOf(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const match = /(?<!\d)((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)/.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
