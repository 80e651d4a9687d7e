import { readFrontMatterDocument } from './front-matter.js';
import { firstHeading, readPlainMarkdown } from './plain-markdown.js';
import { dateOf, type SourceDocument } from './source-document.js';
import { readByline, readWechatMarkdown } from './wechat-markdown.js';

/**
 * Reads a Markdown file in whichever format it is, detected from what it holds: front
 * matter, wechatmp2markdown output, or plain Markdown. What the format leaves out is taken
 * from the body (the first heading as title, a byline's account and date) and from the
 * file's path (a date in its name or folders, its name as a last-resort title).
 */
export function readSourceDocument(file: string, text: string): SourceDocument {
  const document = readFrontMatterDocument(text) ?? readWechatMarkdown(text) ?? readPlainMarkdown(text);
  if (document.format === 'front-matter') {
    // Crawled WeChat pages under front matter still carry the byline's account and date.
    const inner = readWechatMarkdown(document.body);
    if (inner) {
      document.source ??= inner.source;
      document.author ??= inner.author;
      document.date ??= inner.date;
    }
    document.title ??= firstHeading(document.body);
  }
  document.date ??= dateFromPath(file);
  if (!document.title) {
    document.title = titleFromPath(file);
    document.titleFromPath = true;
  }
  return document;
}

/** A date in a file's name or folders (2023-01-26-export.md, 2024/2024-04-18/x.md). */
export function dateFromPath(file: string): string | undefined {
  const parts = file.split('/').reverse();
  for (const part of parts) {
    const date = dateOf(part.replace(/_/g, '-'));
    if (date) return date;
  }
  return undefined;
}

/** A readable title from a file name: no extension, no leading date, separators as spaces. */
export function titleFromPath(file: string): string | undefined {
  const name = (file.split('/').pop() ?? '').replace(/\.md$/i, '');
  const title = name
    .replace(/^(?:19|20)\d\d[-_.]?\d\d[-_.]?\d\d[-_ ]*/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return title || undefined;
}

export { readByline };
