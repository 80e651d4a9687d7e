import type { SourceDocument } from './source-document.js';
import { dateOf, urlOf } from './source-document.js';

// wechatmp2markdown writes a WeChat article as: optionally `> **原文链接**: URL`, then
// `#  title`, then a byline of fields separated by runs of spaces — [原创] [author] account,
// and the publish time (`原创 SXdysq  南街老友   2025-07-08 10:56`) — then the body.
const BYLINE_TIME = /(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?\s*$/;
const ORIGINAL_LINK = /^>?\s*(?:\*\*)?原文链接(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*<?(https?:\/\/[^\s>]+)>?/;

/** The byline's fields, or undefined when the line is not a byline. */
export function readByline(line: string): { author: string | undefined; account: string | undefined; date: string } | undefined {
  const time = BYLINE_TIME.exec(line);
  if (!time?.[1] || line.length > 200) return undefined;
  const fields = line
    .slice(0, time.index)
    .trim()
    .split(/\s{2,}|\u00a0+/)
    .map((f) => f.trim())
    .filter(Boolean);
  const date = dateOf(time[1]);
  if (!date) return undefined;
  const account = fields.pop();
  const author = fields.join(' ').replace(/^原创\s*/, '').trim() || undefined;
  return { author, account, date };
}

/**
 * The wechatmp2markdown format: detected by a `#` title whose next non-blank line is a
 * byline ending in a date and time. Title, account, author, date and the 原文链接 come from
 * those lines, which are not part of the body.
 */
export function readWechatMarkdown(text: string): SourceDocument | undefined {
  const lines = text.split('\n');
  let url: string | undefined;
  let at = 0;
  // Before the title: blank lines and the original link (a quote line), nothing else.
  for (; at < lines.length && at < 20; at++) {
    const line = (lines[at] ?? '').trim();
    if (!line) continue;
    const link = ORIGINAL_LINK.exec(line);
    if (link) {
      url ??= urlOf(link[1]);
      continue;
    }
    break;
  }
  const titleLine = lines[at] ?? '';
  const title = /^#\s/.test(titleLine) ? titleLine.slice(1).trim() : undefined;
  if (!title) return undefined;
  let next = at + 1;
  while (next < lines.length && !(lines[next] ?? '').trim()) next++;
  const byline = readByline(lines[next] ?? '');
  if (!byline) return undefined;
  return {
    format: 'wechat-markdown',
    title: title.replace(/\s+/g, ' ').trim(),
    url,
    source: byline.account,
    author: byline.author,
    date: byline.date,
    body: lines.slice(next + 1).join('\n'),
    notes: [],
  };
}
