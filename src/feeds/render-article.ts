/**
 * A fetched item or page → the bytes of a corpus article (front matter + Markdown), its file
 * name, and the keys that tell items apart. Pure.
 */
import { createHash } from 'node:crypto';

export interface ArticleDraft {
  title: string;
  url: string;
  source: string | undefined;
  /** YYYY-MM-DD */
  date: string | undefined;
  /** When the bot first fetched it (ISO 8601). */
  fetchDate: string;
  /** The body, Markdown. */
  markdown: string;
}

/** Text on one line: control characters and line breaks become spaces. */
// eslint-disable-next-line no-control-regex
const oneLine = (value: string) => value.replace(/[\u0000-\u001F\u007F\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();

/** One line of YAML, safely: a JSON string is a valid YAML double-quoted scalar. */
export function yamlString(value: string): string {
  return JSON.stringify(oneLine(value));
}

/** The article file: front matter the corpus parser reads, the title as a heading, the body. */
export function renderArticle(draft: ArticleDraft): Buffer {
  const lines = ['---', `title: ${yamlString(draft.title)}`, `url: ${yamlString(draft.url)}`];
  if (draft.source) lines.push(`source: ${yamlString(draft.source)}`);
  if (draft.date) lines.push(`date: ${yamlString(draft.date)}`);
  lines.push(`fetch_date: ${yamlString(draft.fetchDate)}`, '---', '', `# ${oneLine(draft.title)}`, '', bodyText(draft.markdown), '');
  return Buffer.from(lines.join('\n'), 'utf8');
}

// eslint-disable-next-line no-control-regex
const bodyText = (markdown: string) => markdown.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();

export const shortHash = (text: string, length = 8) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** A file-system-safe name part: letters (any script) and digits joined by '-', never starting with '.'. */
export function slugify(text: string, maxChars = 40): string {
  const slug = [...text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '')].slice(0, maxChars).join('').replace(/-+$/, '');
  return slug || 'article';
}

/** `<slug of the title>-<hash of what identifies it>.md`: readable, and two items never share a name. */
export function articleFileName(title: string, identity: string): string {
  return `${slugify(title)}-${shortHash(identity)}.md`;
}

/**
 * The day an item was published, as its publisher's calendar shows it: an ISO date-time keeps
 * its own date; an RFC 822 date (RSS) is read in its own offset. Undefined when unreadable.
 */
export function publishedDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const iso = /^\s*(\d{4}-\d{2}-\d{2})/.exec(raw);
  if (iso) return iso[1];
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  const offset = /([+-])(\d{2}):?(\d{2})\s*$/.exec(raw.trim());
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(at + minutes * 60_000).toISOString().slice(0, 10);
}

/**
 * What identifies a link, whichever way it was written: no scheme, no fragment, no tracking
 * parameters; a WeChat article by its account, message and index (`__biz`, `mid`, `idx`, `sn`),
 * whatever `chksm`/`scene` a share added.
 */
export function linkKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.trim();
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const params = [...parsed.searchParams.entries()];
  const kept =
    host === 'mp.weixin.qq.com' && parsed.pathname === '/s'
      ? params.filter(([k]) => ['__biz', 'mid', 'idx', 'sn'].includes(k))
      : params.filter(([k]) => !/^(utm_\w+|spm|from|scene|subscene|chksm|sessionid|clicktime|enterid|share_token)$/i.test(k));
  kept.sort(([a], [b]) => a.localeCompare(b));
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  const port = parsed.port ? `:${parsed.port}` : '';
  return `${host}${port}${parsed.pathname.replace(/\/+$/, '') || '/'}${query}`;
}
