import { atxHeadingText } from '../markdown-blocks.js';
import type { SourceDocument } from './source-document.js';

/** The first ATX heading of a Markdown text (`# 标题`), outside code fences, or undefined. */
export function firstHeading(text: string): string | undefined {
  let inFence = false;
  for (const line of text.split('\n', 2000)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    if (!/^\s{0,3}#{1,6}[ \t]/.test(line)) continue;
    const title = atxHeadingText(line).replace(/[*_`]+/g, '').replace(/\s+/g, ' ').trim();
    if (title) return title;
  }
  return undefined;
}

/** Plain Markdown: the first heading is the title; everything is body. */
export function readPlainMarkdown(text: string): SourceDocument {
  return { format: 'plain-markdown', title: firstHeading(text), url: undefined, source: undefined, author: undefined, date: undefined, body: text, notes: [] };
}
