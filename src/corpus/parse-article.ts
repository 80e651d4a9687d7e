import { createHash } from 'node:crypto';
import { ArticleError, EDITORS_NOTE_HEADING, LEAD_HEADING, type Article, type Link, type Section } from './article.js';
import { FrontMatterError, readFrontMatter } from './front-matter.js';

export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;
/** A plain line this short, with no sentence punctuation, standing alone, is a heading. */
const MAX_PLAIN_HEADING_CHARS = 20;
/**
 * Longer paragraphs are cut into pieces of at most this many characters, at sentence ends
 * where there are some: a passage is what a reader is shown, and one huge paragraph must
 * not make every question that touches it slow.
 */
export const MAX_PARAGRAPH_CHARS = 1500;

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

  let front;
  try {
    front = readFrontMatter(source);
  } catch (error) {
    if (error instanceof FrontMatterError) throw new ArticleError(file, error.message);
    throw error;
  }
  if (!front.data) throw new ArticleError(file, 'the file has no front matter (a first line of exactly ---, then title/url, then ---)');
  const data = front.data;
  const title = textField(data['title']);
  const url = textField(data['url']);
  if (!title) throw new ArticleError(file, 'the front matter has no "title"');
  if (!url) throw new ArticleError(file, 'the front matter has no "url"');
  if (!/^https?:\/\/\S+$/i.test(url)) throw new ArticleError(file, `the "url" is not an http(s) link: ${url.slice(0, 80)}`);

  const sourceName = textField(data['source']);
  const sections = parseBody(front.body, title, sourceName);
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
    // Inline code keeps its text; its backticks go (one pass, whatever their pairing).
    .replace(/`+/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/[ \t]{2,}|\t/g, ' ')
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

/**
 * The text of an ATX heading line (`## 标题 ##`), or undefined. Done by hand: the obvious
 * pattern (`^#+\s+(.+?)\s*#*$`) backtracks quadratically on a long line of inner spaces.
 */
export function markdownHeadingText(line: string): string | undefined {
  const opening = /^#{1,6}[ \t]+/.exec(line);
  if (!opening) return undefined;
  let text = line.slice(opening[0].length).trimEnd();
  // A closing run of #s counts only after a space ("C#" keeps its #).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end < text.length && (end === 0 || /\s/.test(text[end - 1] ?? ''))) text = text.slice(0, end).trimEnd();
  return text || undefined;
}

/** A heading's text when the block is one: Markdown `#`, a bold line, or a plain short line. */
function headingOf(block: Block): string | undefined {
  if (block.lines.length !== 1) return undefined;
  const line = block.lines[0] ?? '';
  const markdown = markdownHeadingText(line);
  if (markdown) return stripInlineMarkdown(markdown);
  if (LIST_ITEM.test(line) || IMAGE_LINE.test(line) || URL_ONLY.test(line)) return undefined;
  const text = stripInlineMarkdown(line);
  if (!text || text.length > MAX_PLAIN_HEADING_CHARS) return undefined;
  if (SENTENCE_PUNCTUATION.test(text)) return undefined;
  // A bare number or date is not a heading.
  if (!/[\p{L}]/u.test(text)) return undefined;
  return text;
}

function linksOf(lines: string[]): Link[] {
  return lines.flatMap((line) => {
    const [, text, url] = LINK.exec(line) ?? [];
    const plain = text ? stripInlineMarkdown(text) : '';
    return plain && url ? [{ text: plain, url }] : [];
  });
}

/**
 * Appends a paragraph to a section, cut into pieces of at most MAX_PARAGRAPH_CHARS. A
 * reading list's pieces are reading lists too, each with the links it holds.
 */
function addParagraph(section: Section, text: string, links?: Link[]): void {
  // Links come in the order of the text: each piece takes those that start inside it.
  let next = 0;
  let linkAt = -1;
  let searchFrom = 0;
  let pieceEnd = 0;
  for (const piece of splitLongText(text, MAX_PARAGRAPH_CHARS)) {
    const pieceStart = text.indexOf(piece, pieceEnd);
    pieceEnd = pieceStart + piece.length;
    if (links) {
      const own: Link[] = [];
      for (; next < links.length; next++) {
        const link = links[next] as Link;
        if (linkAt < 0) linkAt = text.indexOf(link.text, searchFrom);
        if (linkAt < 0) continue; // not in the text as shown: no piece holds it
        if (linkAt >= pieceEnd) break;
        own.push(link);
        searchFrom = linkAt + link.text.length;
        linkAt = -1;
      }
      (section.readingLists ??= []).push({ paragraph: section.paragraphs.length, links: own });
    }
    section.paragraphs.push(piece);
  }
}

const SENTENCE_END_CHARS = new Set(['。', '！', '？', '；', '!', '?', ';', '.', '\n']);

/**
 * Cuts text into pieces of at most `max` characters: after the last sentence end (or line
 * break) in the second half of the window, else after the last space, else at `max` (never
 * inside a surrogate pair). Linear in the text's length.
 */
export function splitLongText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    let cut = -1;
    let space = -1;
    for (let i = start + max; i > start + max / 2; i--) {
      const ch = text[i - 1] ?? '';
      if (SENTENCE_END_CHARS.has(ch) && (ch !== '.' || /\s/.test(text[i] ?? ' '))) {
        cut = i;
        break;
      }
      if (space < 0 && (ch === ' ' || ch === '\t')) space = i;
    }
    if (cut < 0) cut = space >= 0 ? space : start + max;
    if (/[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
    const piece = text.slice(start, cut).trim();
    if (piece) pieces.push(piece);
    start = cut;
  }
  const last = text.slice(start).trim();
  if (last) pieces.push(last);
  return pieces;
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
    if (pendingIntro) addParagraph(current, pendingIntro);
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
      if (rest) addParagraph(current, rest);
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
      const links = linked.length >= 2 && linked.length * 3 >= lines.length * 2 ? linksOf(linked) : undefined;
      // A list reads as one passage with the line that introduces it.
      addParagraph(current, pendingIntro ? `${pendingIntro}\n${text}` : text, links);
      pendingIntro = undefined;
      continue;
    }
    flushIntro();
    if (/[:：]$/.test(text)) pendingIntro = text;
    else addParagraph(current, text);
  }
  flushIntro();
  if (current.paragraphs.length) sections.push(current);
  return sections;
}
