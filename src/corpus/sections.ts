import { EDITORS_NOTE_HEADING, LEAD_HEADING, type Link, type ParagraphKind, type Section } from './article.js';
import { contentLength } from './text-length.js';
import { isBoldHeading, SECTION_NUMBER, type Block } from './markdown-blocks.js';

/**
 * Longer paragraphs are cut into pieces of at most this many characters, at sentence ends
 * where there are some: a passage is what a reader is shown, one huge paragraph must not
 * make every question that touches it slow, and a long stretch of text (a catalogue of
 * vulnerability names) holds many of a question's words by chance.
 */
export const MAX_PARAGRAPH_CHARS = 600;

const EDITORS_NOTE = /^\s*编者按\s*[:：]?\s*/;
/** A line ending in '：' this short, with nothing after it, is a label: 参考链接：, 下载地址：. */
const MAX_BARE_INTRO_CHARS = 10;
/**
 * A line of text this short that does not end a sentence is an item (a version range, an
 * affected product, a step): a run of them is one passage, as a list or a table is, so the
 * item that answers is found with the line that introduces the run and the items beside it.
 */
const MAX_ITEM_CHARS = 40;
const SENTENCE_END = /[。！？!?]$/;
/**
 * A paragraph that opens with its number (1.从文档中获取CLSID, （2）, ③) is a step of a list
 * that the page wrote as paragraphs: steps numbered on from 1 are one passage with the line
 * that introduces them, as a Markdown list is, while each stays this short.
 */
const NUMBERED = /^\s*(?:(\d{1,2})\s*[.、．)）](?!\d)|[（(](\d{1,2})[)）]|([\u2460-\u2473]))\s*\S/u;
const MAX_STEP_CHARS = 200;

/** The number a step paragraph opens with, or undefined. */
export function stepNumber(text: string): number | undefined {
  const match = NUMBERED.exec(text);
  if (!match) return undefined;
  if (match[3]) return match[3].charCodeAt(0) - 0x2460 + 1;
  return Number(match[1] ?? match[2]);
}

/** A list item that is mostly one link: `1. 标题` whose raw line is `1. [标题](https://…)`. */
const LINKED_ITEM = /^\S*\s*\[[^\][]+\]\(https?:\/\/[^()[\]\s]+\)\s*\S{0,20}$/i;

function sameText(a: string, b: string): boolean {
  const squash = (s: string) => s.replace(/[\s*#_]/g, '');
  return squash(a) === squash(b);
}

export interface SectionOptions {
  title: string;
  source: string | undefined;
  /**
   * Whether short lines before the first paragraph are a byline (author, account) rather
   * than headings: true for pages saved whole under front matter.
   */
  bylineInBody: boolean;
}

/** A field on a line of its own: a short label, a colon, a short value (编译：代码卫士). */
const FIELD_LINE = /^[^：:\n]{1,6}[：:]\s*[^\s：:][^：:。！？!?]{0,15}$/;
/** Fields in an article's head come before its second paragraph of text. */
const HEAD_TEXT_BLOCKS = 2;

/**
 * A heading that is really a field (a credit, a record number): one line, not numbered as a
 * section (一、背景：… is a section's title), in the shape label：value.
 */
function isOneLineField(block: Block): boolean {
  return block.kind === 'heading' && block.implicit === true && !block.labelled && !SECTION_NUMBER.test(block.text) && FIELD_LINE.test(block.text.trim());
}

/** A line this short between two headings is a caption (往期推荐), not text. */
const MAX_CAPTION_CHARS = 8;

/** A heading its author wrote as one: `#`, bold, or numbered by a label. */
const isWrittenHeading = (block: Block | undefined) => block?.kind === 'heading' && (!block.implicit || block.labelled === true || isBoldHeading(block));

/**
 * A short plain line standing alone (read as a heading) between a written heading and the
 * next heading or the end is that heading's text (`## 7.整改意见` / `联系厂商获取升级补丁修复漏洞`
 * / `## 8.往期回顾`): as a heading it would stand over nothing, and its words would be lost.
 */
function isTextBetweenHeadings(blocks: readonly Block[], i: number): boolean {
  const block = blocks[i];
  if (block?.kind !== 'heading' || isWrittenHeading(block) || !isWrittenHeading(blocks[i - 1])) return false;
  // A word or two (往期推荐, 更多) is a caption whose links were dropped, not text.
  if (contentLength(block.text) <= MAX_CAPTION_CHARS) return false;
  const next = blocks[i + 1];
  return next === undefined || next.kind === 'heading';
}

/**
 * Blocks of an article's own text → sections: headings open them, paragraphs before the
 * first heading are the lead (导语), the editor's note (编者按) keeps its reading lists; a
 * line ending in '：' introduces the list after it; code and tables keep their lines.
 */
export function buildSections(blocks: readonly Block[], options: SectionOptions): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: LEAD_HEADING, paragraphs: [] };
  let inByline = options.bylineInBody;
  // Paragraphs of text so far: a field line before the second is in the article's head.
  let textBlocks = 0;
  let inEditorsNote = false;
  let sawList = false;
  let pendingIntro: string | undefined;
  // The paragraph of the current section that is a run of items still open, or -1.
  let itemRunAt = -1;
  // The paragraph that is a run of numbered steps still open, or -1, and its last number.
  let stepRunAt = -1;
  let lastStep = 0;

  const startSection = (heading: string) => {
    if (current.paragraphs.length) sections.push(current);
    current = { heading, paragraphs: [] };
    itemRunAt = -1;
    stepRunAt = -1;
  };
  // Appends a line to the open run at paragraph `at` (items or steps) while it is the last
  // paragraph and stays within MAX_PARAGRAPH_CHARS; false when the line starts anew.
  const extendRun = (at: number, text: string): boolean => {
    const run = current.paragraphs[at];
    if (at < 0 || at !== current.paragraphs.length - 1 || run === undefined || run.length + text.length >= MAX_PARAGRAPH_CHARS) return false;
    current.paragraphs[at] = `${run}\n${text}`;
    return true;
  };
  // An introduction whose list never came ("往期推荐：" once the links are dropped) is kept
  // only when it says something by itself.
  const flushIntro = () => {
    if (pendingIntro && contentLength(pendingIntro) > MAX_BARE_INTRO_CHARS) addParagraph(current, pendingIntro, 'text');
    pendingIntro = undefined;
  };

  for (const [i, written] of blocks.entries()) {
    const block: Block = isTextBetweenHeadings(blocks, i) ? { ...written, kind: 'text' } : written;
    if (sameText(block.text, options.title) && block.kind !== 'code') continue;
    const noteMatch = EDITORS_NOTE.exec(block.text);
    if (noteMatch && (block.kind === 'text' || block.kind === 'heading')) {
      flushIntro();
      startSection(EDITORS_NOTE_HEADING);
      inByline = false;
      inEditorsNote = true;
      sawList = false;
      const rest = block.text.slice(noteMatch[0].length).trim();
      if (rest) addParagraph(current, rest, 'text');
      continue;
    }

    if (block.kind === 'heading') {
      // Author and account lines under the title are not text to index.
      // A bold line there is a heading (背景, Introduction), unless it credits someone (编译：代码卫士).
      if (inByline && block.implicit && !block.labelled && (!isBoldHeading(block) || /[:：]\s*\S/.test(block.text))) continue;
      // Further into the head, the same credit or a record number (通告编号：NS-2023-0030) is
      // text: as a heading, every paragraph of the article would be cited under it.
      if (textBlocks < HEAD_TEXT_BLOCKS && isOneLineField(block)) {
        flushIntro();
        addParagraph(current, block.text, 'text');
        continue;
      }
      // A label heading's value on the short plain line after it (组件名称： then Windows
      // Themes) is its text, not a heading of an empty section.
      if (block.implicit && !block.labelled && !isBoldHeading(block) && !current.paragraphs.length && /[:：]$/.test(current.heading)) {
        addParagraph(current, block.text, 'text');
        continue;
      }
      // The same after a label line of text (漏洞编号： then CVE-2023-34478): one line of both.
      if (pendingIntro && block.implicit && !block.labelled && !isBoldHeading(block)) {
        addParagraph(current, `${pendingIntro}${block.text}`, 'text');
        pendingIntro = undefined;
        continue;
      }
      if (options.source && sameText(block.text, options.source)) continue;
      flushIntro();
      inEditorsNote = false;
      inByline = false;
      startSection(block.text);
      continue;
    }
    if (block.kind === 'code' || block.kind === 'table') {
      if (!block.text.trim()) continue;
      flushIntro();
      inByline = false;
      addParagraph(current, block.text, block.kind);
      continue;
    }
    const isList = block.kind === 'list';
    const text = block.text;
    const letters = contentLength(text);
    // A line of nothing but marks (a stray `##`, `***`) says nothing a reader could ask about.
    if (!letters) continue;
    inByline = false;
    textBlocks++;

    if (inEditorsNote && !isList && sawList && !/[:：]$/.test(text)) {
      // The first plain paragraph after the lists ends the editor's note.
      flushIntro();
      inEditorsNote = false;
      startSection(LEAD_HEADING);
    }
    if (isList) {
      sawList = true;
      // Mostly links to other articles: a reading list, ranked below the article's own text.
      const linked = block.raw.filter((l) => LINKED_ITEM.test(l.trim()));
      const http = block.links.filter((l) => l.text && /^https?:/i.test(l.url));
      const links = linked.length >= 2 && linked.length * 3 >= block.raw.length * 2 ? http : undefined;
      // A list reads as one passage with the line that introduces it.
      addParagraph(current, pendingIntro ? `${pendingIntro}\n${text}` : text, 'list', links);
      pendingIntro = undefined;
      continue;
    }
    // A line ending in '：' is not an item but the label or introduction of what follows.
    const isItem = letters <= MAX_ITEM_CHARS && !text.includes('\n') && !SENTENCE_END.test(text.trim()) && !/[:：]$/.test(text);
    if (isItem && pendingIntro) {
      // A label and its value are one line (漏洞编号：CVE-…); a sentence and its items, lines.
      const joint = contentLength(pendingIntro) <= MAX_BARE_INTRO_CHARS ? '' : '\n';
      addParagraph(current, `${pendingIntro}${joint}${text}`, 'text');
      pendingIntro = undefined;
      itemRunAt = current.paragraphs.length - 1;
      continue;
    }
    const step = !text.includes('\n') && letters <= MAX_STEP_CHARS ? stepNumber(text) : undefined;
    if (step === 1 && pendingIntro && !isItem) {
      addParagraph(current, `${pendingIntro}\n${text}`, 'text');
      pendingIntro = undefined;
      [stepRunAt, lastStep, itemRunAt] = [current.paragraphs.length - 1, 1, -1];
      continue;
    }
    if (step !== undefined && step === lastStep + 1 && !pendingIntro && extendRun(stepRunAt, text)) {
      lastStep = step;
      itemRunAt = -1;
      continue;
    }
    flushIntro();
    if (isItem && extendRun(itemRunAt, text)) continue;
    if (/[:：]$/.test(text)) pendingIntro = text;
    else addParagraph(current, text, 'text');
    itemRunAt = isItem ? current.paragraphs.length - 1 : -1;
    [stepRunAt, lastStep] = step === 1 && !pendingIntro ? [current.paragraphs.length - 1, 1] : [-1, 0];
  }
  flushIntro();
  if (current.paragraphs.length) sections.push(current);
  return sections;
}

/**
 * Appends a paragraph to a section, cut into pieces of at most MAX_PARAGRAPH_CHARS. A
 * reading list's pieces are reading lists too, each with the links it holds.
 */
function addParagraph(section: Section, text: string, kind: ParagraphKind | 'list', links?: Link[]): void {
  // Links come in the order of the text: each piece takes those that start inside it.
  let next = 0;
  let linkAt = -1;
  let searchFrom = 0;
  let pieceEnd = 0;
  const header = kind === 'table' ? columnHeaderOf(text) : undefined;
  for (const [i, cut] of splitLongText(text, MAX_PARAGRAPH_CHARS).entries()) {
    const pieceStart = text.indexOf(cut, pieceEnd);
    pieceEnd = pieceStart + cut.length;
    // Each piece of a long table keeps its column names (序号 · 厂商名称 · 漏洞数量).
    const piece = header && i > 0 ? `${header}\n${cut.replace(/^\n+/, '')}` : cut;
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
    if (kind === 'code' || kind === 'table') {
      (section.kinds ??= new Array<ParagraphKind>(section.paragraphs.length).fill('text')).push(kind);
    } else if (section.kinds) {
      section.kinds.push('text');
    }
    section.paragraphs.push(piece);
  }
}

/**
 * A table's first row when it names columns: three cells or more (a table of two columns is
 * a list of labels and values, whose first row is a value like the rest).
 */
function columnHeaderOf(table: string): string | undefined {
  const end = table.indexOf('\n');
  const first = end < 0 ? table : table.slice(0, end);
  return first.split(' · ').length >= 3 ? first : undefined;
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
