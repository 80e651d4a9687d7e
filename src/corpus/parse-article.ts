import { createHash } from 'node:crypto';
import matter from 'gray-matter';
import { ArticleError, EDITORS_NOTE_HEADING, LEAD_HEADING, type Article, type Section } from './article.js';

export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;
/** A plain line this short, with no sentence punctuation, standing alone, is a heading. */
const MAX_PLAIN_HEADING_CHARS = 20;

/** Short stable id for an article: its corpus-relative path, hashed. */
export function articleIdFor(file: string): string {
  return createHash('sha1').update(file).digest('hex').slice(0, 10);
}

/**
 * Parses one Markdown article (front matter + body) into sections of plain-text paragraphs.
 * Throws ArticleError naming the file and the reason when the file cannot be served.
 */
export function parseArticle(file: string, bytes: Uint8Array): Article {
  if (bytes.byteLength === 0) throw new ArticleError(file, 'the file is empty');
  if (bytes.byteLength > MAX_ARTICLE_BYTES) {
    throw new ArticleError(file, `the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the limit is 5 MB`);
  }
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArticleError(file, 'the file is not UTF-8 text');
  }
  if (source.includes('\u0000')) throw new ArticleError(file, 'the file is not text (it holds NUL bytes)');
  source = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!source.trim()) throw new ArticleError(file, 'the file is empty');

  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object stops gray-matter from caching by content across files.
    parsed = matter(source, {});
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ArticleError(file, `the front matter is not valid YAML (${reason})`);
  }
  if (!source.startsWith('---')) throw new ArticleError(file, 'the file has no front matter (--- title/url --- block)');
  const data = parsed.data as Record<string, unknown>;
  const title = textField(data['title']);
  const url = textField(data['url']);
  if (!title) throw new ArticleError(file, 'the front matter has no "title"');
  if (!url) throw new ArticleError(file, 'the front matter has no "url"');
  if (!/^https?:\/\/\S+$/i.test(url)) throw new ArticleError(file, `the "url" is not an http(s) link: ${url.slice(0, 80)}`);

  const sourceName = textField(data['source']);
  const sections = parseBody(parsed.content, title, sourceName);
  if (sections.length === 0) throw new ArticleError(file, 'the article has no paragraphs of text');

  return {
    id: articleIdFor(file),
    file,
    title,
    url,
    source: sourceName,
    date: dateField(data['date']),
    sections,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
  };
}

function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function dateField(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 10);
  return undefined;
}

interface Block {
  lines: string[];
}

const IMAGE_LINE = /^!\[[^\]]*\]\([^)]*\)$/;
const URL_ONLY = /^(<)?https?:\/\/\S+(>)?$/i;
const LIST_ITEM = /^(\d{1,3}[.、)](?!\d)\s*|[-*+•]\s+)/;
const SENTENCE_PUNCTUATION = /[。！？；，、,.!?;：:…"“”]/;
// A list item that is mostly one Markdown link: `1. [标题](https://…)`.
const LINKED_ITEM = /^\S*\s*\[[^\][]+\]\(https?:\/\/[^()[\]\s]+\)\s*\S{0,20}$/i;
const LINK = /\[([^\][]+)\]\((https?:\/\/[^()[\]\s]+)\)/i;
const EDITORS_NOTE = /^(\*\*|__)?\s*编者按\s*[:：]?\s*(\*\*|__)?\s*[:：]?\s*/;

/**
 * Markdown inline syntax → plain text: links keep their text, images and URLs go. No part
 * of a pattern may run past the next bracket it would need (`[^\][]`, `[^<>]`): otherwise a
 * line of ten thousand `[` takes quadratic time, and a malformed file would stall indexing.
 */
export function stripInlineMarkdown(line: string): string {
  return line
    .replace(/!\[[^\][]*\]\((?:[^()[\]]|\([^()]*\))*\)/g, '')
    .replace(/\[([^\][]*)\]\((?:[^()[\]]|\([^()]*\))*\)/g, '$1')
    .replace(/<https?:\/\/[^<>\s]+>/gi, '')
    .replace(/https?:\/\/[^\s)）\]]+/gi, '')
    .replace(/<\/?[a-z][^<>]*>/gi, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function splitBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) {
      if (current.length) blocks.push({ lines: current });
      current = [];
      continue;
    }
    // Markdown headings stand alone even without blank lines around them.
    if (/^#{1,6}\s/.test(line)) {
      if (current.length) blocks.push({ lines: current });
      blocks.push({ lines: [line] });
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length) blocks.push({ lines: current });
  return blocks;
}

function sameText(a: string, b: string): boolean {
  const squash = (s: string) => s.replace(/[\s*#_]/g, '');
  return squash(a) === squash(b);
}

/** A heading's text when the block is one: Markdown `#`, a bold line, or a plain short line. */
function headingOf(block: Block): string | undefined {
  if (block.lines.length !== 1) return undefined;
  const line = block.lines[0] ?? '';
  const markdown = /^#{1,6}\s+(.+?)\s*#*$/.exec(line);
  if (markdown?.[1]) return stripInlineMarkdown(markdown[1]);
  if (LIST_ITEM.test(line) || IMAGE_LINE.test(line) || URL_ONLY.test(line)) return undefined;
  const text = stripInlineMarkdown(line);
  if (!text || text.length > MAX_PLAIN_HEADING_CHARS) return undefined;
  if (SENTENCE_PUNCTUATION.test(text)) return undefined;
  // A bare number or date is not a heading.
  if (!/[\p{L}]/u.test(text)) return undefined;
  return text;
}

function parseBody(body: string, title: string, sourceName: string | undefined): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: LEAD_HEADING, paragraphs: [] };
  // Before the first real paragraph come the repeated title, cover image, author and account.
  let inByline = true;
  // Inside the editor's note: lists of related articles, each introduced by a line ending in '：'.
  let inEditorsNote = false;
  let sawList = false;
  let pendingIntro: string | undefined;

  const startSection = (heading: string) => {
    if (current.paragraphs.length) sections.push(current);
    current = { heading, paragraphs: [] };
  };
  const flushIntro = () => {
    if (pendingIntro) current.paragraphs.push(pendingIntro);
    pendingIntro = undefined;
  };

  for (const block of splitBlocks(body)) {
    const lines = block.lines.filter((l) => !IMAGE_LINE.test(l) && !URL_ONLY.test(l));
    if (!lines.length) continue;
    const first = lines[0] ?? '';
    if (lines.length === 1 && sameText(stripInlineMarkdown(first.replace(/^#+\s*/, '')), title)) continue;

    const noteMatch = EDITORS_NOTE.exec(first);
    if (noteMatch && /编者按/.test(first)) {
      flushIntro();
      startSection(EDITORS_NOTE_HEADING);
      inByline = false;
      inEditorsNote = true;
      sawList = false;
      const rest = stripInlineMarkdown([first.slice(noteMatch[0].length), ...lines.slice(1)].join('\n'));
      if (rest) current.paragraphs.push(rest);
      continue;
    }

    const heading = headingOf({ lines });
    if (heading !== undefined) {
      if (inByline && !/^#/.test(first)) {
        // Author and account lines under the title are not text to index.
        continue;
      }
      if (sourceName && sameText(heading, sourceName)) continue;
      flushIntro();
      inEditorsNote = false;
      inByline = false;
      startSection(heading);
      continue;
    }

    const isList = lines.every((l) => LIST_ITEM.test(l));
    const text = lines.map(stripInlineMarkdown).filter(Boolean).join(isList ? '\n' : '');
    if (!text) continue;
    inByline = false;

    if (inEditorsNote && !isList && sawList && !/[:：]$/.test(text)) {
      // The first plain paragraph after the lists ends the editor's note.
      flushIntro();
      inEditorsNote = false;
      startSection(LEAD_HEADING);
    }
    if (isList) {
      sawList = true;
      // Mostly links to other articles: a reading list, ranked below the article's own text.
      const linked = lines.filter((l) => LINKED_ITEM.test(l));
      if (linked.length >= 2 && linked.length * 3 >= lines.length * 2) {
        const links = linked.flatMap((line) => {
          const [, text, url] = LINK.exec(line) ?? [];
          const plain = text ? stripInlineMarkdown(text) : '';
          return plain && url ? [{ text: plain, url }] : [];
        });
        (current.readingLists ??= []).push({ paragraph: current.paragraphs.length, links });
      }
      // A list reads as one passage with the line that introduces it.
      current.paragraphs.push(pendingIntro ? `${pendingIntro}\n${text}` : text);
      pendingIntro = undefined;
      continue;
    }
    flushIntro();
    if (/[:：]$/.test(text)) pendingIntro = text;
    else current.paragraphs.push(text);
  }
  flushIntro();
  if (current.paragraphs.length) sections.push(current);
  return sections;
}
