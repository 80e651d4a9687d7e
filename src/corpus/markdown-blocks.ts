import { decodeHTML } from 'entities';
import type { Link } from './article.js';
import { isCallToReader } from './reader-calls.js';
import { contentLength, readingLength } from './text-length.js';

/** What a block of a Markdown body is, before anything is judged page chrome. */
export type BlockKind = 'heading' | 'text' | 'list' | 'code' | 'table' | 'image' | 'rule';

export interface Block {
  kind: BlockKind;
  /** The block's text as a reader sees it: markup stripped; code verbatim; a table row per line. */
  text: string;
  /** The block's lines as written (for link and image counts, and inspect). */
  raw: string[];
  /** Links with their visible text ('' for a link around an image or nothing). */
  links: Link[];
  images: number;
  /** Set on headings made from a bold line or a short line standing alone (not `#`). */
  implicit?: boolean;
  /** Set on headings numbered by a label on the line before (`01` then `福利开启`). */
  labelled?: boolean;
  /** Set on text blocks that were quoted (`>`). */
  quote?: boolean;
}

// A fence may come wrapped in the bold markers around it (wechatmp2markdown writes `****```` for
// a code block inside bold text): read as a fence, not as text before an opening fence that
// never closes and would make the rest of the page code.
const FENCE = /^\s{0,3}(?:[*_]{2,})?(`{3,}|~{3,})/;
const ATX = /^\s{0,3}#{1,6}[ \t]/;
const RULE = /^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^\s*(?:[-*+•·]|\d{1,3}[.、)）]|[（(]\d{1,3}[)）])\s+(?=\S)/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$/;
/** A number, 0x-number or Chinese numeral standing alone: the label of the heading after it. */
const LABEL = /^(?:\d{1,2}|0x[0-9a-f]{1,2}|[一二三四五六七八九十]{1,3}、?|[(（][一二三四五六七八九十\d]{1,3}[)）]|part\s*\d{1,2}|第[一二三四五六七八九十\d]{1,3}[章节部分篇])$/i;
/** A plain line this short, with no sentence punctuation, standing alone, is a heading. */
const MAX_PLAIN_HEADING_CHARS = 20;
/** A whole bold line up to this long (see readingLength: a Latin word counts one) can be a heading. */
const MAX_BOLD_HEADING_CHARS = 40;
/** A `#` line longer than this (letters and digits) is a paragraph in a heading's style. */
const MAX_ATX_HEADING_CHARS = 100;
const SENTENCE_PUNCTUATION = /[。！？；，、,.!?;：:…"“”]/;
const MID_SENTENCE_END = /[，、,;；（(“"‘'\-—]$/;
const SENTENCE_END = /[。！？!?；;：:]$/;

/** The number a section's heading opens with: 0x03, 3., 3、, 三、, (三), 第三章. */
export const SECTION_NUMBER = /^(?:0x[0-9a-f]{1,2}\b|\d{1,2}(?:\.\d{1,2})*[.、]|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十\d]{1,3}[章节部分篇])/i;

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
    // A bare URL ends where URL characters do: Chinese text often follows it with no space
    // (…/incident-report，我可以下载最新的日志文件…), and that text is the article's.
    .replace(/https?:\/\/[^\s)\]\u0080-\uffff]+/gi, '')
    .replace(/<\/?[a-z][^<>]*>/gi, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1$2')
    // Leftover emphasis marks (`**01******`) and inline code's backticks go; their text stays.
    .replace(/\*{2,}|`+/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/[ \t\u00a0]{2,}|[\t\u00a0]/g, ' ')
    .trim();
}

/**
 * The text of an ATX heading line (`## 标题 ##`). Done by hand: patterns such as
 * `[ \t]+#+$` backtrack quadratically on a long line of inner spaces.
 */
export function atxHeadingText(line: string): string {
  let text = line.trim().replace(/^#{1,6}/, '').trim();
  // A closing run of #s counts only after a space ("C#" keeps its #).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end < text.length && (end === 0 || /\s/.test(text[end - 1] ?? ''))) text = text.slice(0, end).trimEnd();
  return text;
}

/** Links of a line: [text](url), with text '' for links around images or nothing. */
function linksOf(line: string): Link[] {
  const links: Link[] = [];
  for (const match of line.matchAll(/\[((?:!\[[^\][]*\]\([^()\s]*\)|[^\][])*)\]\((https?:\/\/[^()\s]+)(?:\s+"[^"]*")?\)/gi)) {
    const text = stripInlineMarkdown((match[1] ?? '').replace(/!\[[^\][]*\]\([^()\s]*\)/g, ''));
    if (match[2]) links.push({ text, url: match[2] });
  }
  return links;
}

function imagesOf(line: string): number {
  let count = 0;
  for (const _ of line.matchAll(/!\[[^\][]*\]\(/g)) count++;
  return count;
}

/** Joins hard-broken lines of one paragraph: nothing between CJK characters, a space between words. */
function joinLines(lines: readonly string[]): string {
  // Parts and the last character, not `out += …` and `out[out.length - 1]`: reading a
  // character of a string built by += flattens it each time, which is quadratic.
  const parts: string[] = [];
  let last = '';
  for (const line of lines) {
    if (!line) continue;
    if (last && /[A-Za-z0-9,.;:!?)"'’]/.test(last) && /^[A-Za-z0-9("'‘]/.test(line)) parts.push(' ');
    parts.push(line);
    last = line[line.length - 1] ?? '';
  }
  return parts.join('');
}

function isBoldLine(line: string, text: string): boolean {
  const t = line.trim();
  // `****` closes one bold run and opens the next (`**3****.****IBM DB2代码执行漏洞**`): one run.
  return /^(\*\*|__)/.test(t) && /(\*\*|__)$/.test(t) && text.length > 0 && !/\*\*[^*]+\*\*[^*]+\*\*/.test(t.replace(/\*{4}/g, '').replace(/\*{3,}/g, '**'));
}

/** A line's text (`text`: the line stripped of markup) when it reads as a heading on its own. */
function headingTextOf(line: string, text: string, standsAlone: boolean): string | undefined {
  if (readingLength(text) > MAX_BOLD_HEADING_CHARS + 4) return undefined;
  text = text.replace(/^#+\s*/, '');
  if (!text || !/[\p{L}\p{N}]/u.test(text)) return undefined;
  if (LIST_ITEM.test(line) || /^!\[/.test(line.trim())) return undefined;
  // A line that is one link is a link (a "read next" item), judged as such, never a heading.
  if (/^\[[^\]]*\]\([^)]*\)$/.test(line.trim().replace(/^(\*\*|__)|(\*\*|__)$/g, '').trim())) return undefined;
  if (isBoldLine(line, text)) {
    // A bold sentence (one that ends with 。) is emphasis: what it says is text to find.
    if (readingLength(text) > MAX_BOLD_HEADING_CHARS || /[。！？!?；;，,]./.test(text) || MID_SENTENCE_END.test(text) || text.endsWith('。')) return undefined;
    return text;
  }
  if (!standsAlone || text.length > MAX_PLAIN_HEADING_CHARS || SENTENCE_PUNCTUATION.test(text)) return undefined;
  if (!/\p{L}/u.test(text)) return undefined;
  return text;
}

/** A text block from a paragraph's lines and the same lines stripped of markup. */
function textBlock(lines: string[], cleaned: readonly string[], quote: boolean): Block {
  return {
    kind: 'text',
    text: joinLines(cleaned),
    raw: lines,
    links: lines.flatMap(linksOf),
    images: lines.reduce((n, l) => n + imagesOf(l), 0),
    ...(quote ? { quote } : {}),
  };
}

/** A block of one line set wholly in bold: the author's emphasis (a heading), not a menu's item or a value. */
export function isBoldHeading(block: Block): boolean {
  return block.kind === 'heading' && block.raw.length === 1 && isBoldLine(block.raw[0] ?? '', block.text);
}

function headingBlock(text: string, raw: string[], implicit: boolean): Block {
  return { kind: 'heading', text, raw, links: raw.flatMap(linksOf), images: 0, ...(implicit ? { implicit } : {}) };
}

const lastChar = (text: string | undefined) => (text ? (text[text.length - 1] ?? '') : '');

/**
 * A paragraph's lines → blocks: bold or labelled lines that open it (or follow a finished
 * sentence) become headings; the rest is one text block, its hard-broken lines joined.
 */
function paragraphBlocks(lines: string[], quote: boolean): Block[] {
  // Each line stripped once: a long line must not be stripped again for every test.
  const texts = lines.map(stripInlineMarkdown);
  const out: Block[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length) out.push(textBlock(run.map((k) => lines[k] ?? ''), run.map((k) => texts[k] ?? ''), quote));
    run = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const text = texts[i] ?? '';
    const previous = run.length ? texts[run[run.length - 1] ?? 0] : undefined;
    const nextText = texts[i + 1] ?? '';
    const opensHere = previous === undefined || SENTENCE_END.test(lastChar(previous));
    const continues = /^[，。、,.;；：:！？!?）)」』》]/.test(nextText);
    // `01` / `0x02` / `三、` on a line of its own, then the heading it numbers.
    if (text.length <= 8 && LABEL.test(text) && opensHere && i + 1 < lines.length) {
      const heading = labelledHeadingOf(textBlock([lines[i + 1] ?? ''], [nextText], false));
      if (heading) {
        flush();
        out.push({ ...headingBlock(`${text} ${heading}`, [line, lines[i + 1] ?? ''], true), labelled: true });
        i++;
        continue;
      }
    }
    // A call to follow or share written on the paragraph's last lines is not part of it.
    if (lines.length > 1 && isCallToReader(text)) {
      flush();
      out.push(textBlock([line], [text], quote));
      continue;
    }
    const heading = !quote && opensHere && !continues && (lines.length === 1 || isBoldLine(line, text)) ? headingTextOf(line, text, lines.length === 1) : undefined;
    if (heading) {
      flush();
      out.push(headingBlock(heading, [line], true));
      continue;
    }
    run.push(i);
  }
  flush();
  return out;
}

/**
 * An author's paragraph set in a heading's style (some editors style whole paragraphs, or a
 * whole flattened section, as `###`): finished sentences, or longer than any heading.
 */
function readsAsParagraph(text: string): boolean {
  const length = contentLength(text);
  return length > MAX_ATX_HEADING_CHARS || (length > MAX_ATX_HEADING_CHARS / 2 && /[。，；：]/.test(text)) || (length > MAX_PLAIN_HEADING_CHARS && /。/.test(text));
}

/**
 * An ATX line → a heading; or, when it reads as a paragraph, text (its heading kept when the
 * line opens with one and a run of spaces: `### 01 漏洞概况      当使用libcurl…`, a section
 * saved on one line). As a heading it would stand over nothing and its text would be lost.
 */
function atxBlocks(line: string): Block[] {
  const raw = atxHeadingText(line);
  const text = stripInlineMarkdown(raw);
  if (!text) return [];
  if (!readsAsParagraph(text)) return [headingBlock(text, [line], false)];
  const lead = /^(\S(?:.*?\S)?)[ \t\u00a0\u3000]{2,}(\S.*)$/.exec(raw);
  const heading = lead?.[1] ? stripInlineMarkdown(lead[1]) : '';
  if (lead?.[2] && heading && contentLength(heading) <= MAX_PLAIN_HEADING_CHARS && !/[。！？；，,.!?;]/.test(heading)) {
    return [headingBlock(heading, [line], false), ...paragraphBlocks([lead[2]], false)];
  }
  return paragraphBlocks([raw], false);
}

function tableBlock(lines: string[]): Block {
  const rows = lines
    .filter((l) => !TABLE_SEPARATOR.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => stripInlineMarkdown(cell))
        .filter(Boolean)
        .join(' · '),
    )
    .filter(Boolean);
  return { kind: 'table', text: rows.join('\n'), raw: lines, links: lines.flatMap(linksOf), images: lines.reduce((n, l) => n + imagesOf(l), 0) };
}

/**
 * wechatmp2markdown keeps a page's tables as HTML. Each table that is not inside another
 * one gets a line of its own (a table written over several lines is joined into one), with
 * a blank line either side: text before or after it on its line is a paragraph of its own,
 * and a bold title right under it is a heading. Linear in the length of the lines.
 */
function htmlTablesOnTheirOwnLines(lines: string[]): string[] {
  if (!lines.some((line) => HTML_TABLE_TAG.test(line))) return lines;
  const out: string[] = [];
  let depth = 0;
  let table = '';
  for (const [i, line] of lines.entries()) {
    // A table left open ends where its HTML does: at a paragraph of text with no tag (a line
    // of text right under a tag line is a cell's text written on a line of its own).
    if (depth && line.trim() && !line.includes('<') && !lines[i - 1]?.trim()) {
      out.push('', table, '');
      table = '';
      depth = 0;
    }
    if (!depth && !HTML_TABLE_TAG.test(line)) {
      out.push(line);
      continue;
    }
    let from = 0;
    for (const tag of line.matchAll(HTML_TABLE_TAGS)) {
      const at = tag.index ?? 0;
      const closing = tag[1] === '/';
      // A table starts a line (after markup or a bold title at most): `<table>` inside a
      // sentence or a snippet of code is what an article about HTML says.
      if (!closing && depth === 0 && !opensTableHere(line.slice(from, at))) continue;
      if (!closing && depth++ === 0) {
        if (line.slice(from, at).trim()) out.push(line.slice(from, at));
        from = at;
      } else if (closing && depth > 0 && --depth === 0) {
        const end = at + tag[0].length;
        out.push('', table + line.slice(from, end), '');
        table = '';
        from = end;
      }
    }
    if (depth) table += `${line.slice(from)} `;
    else if (line.slice(from).trim()) out.push(line.slice(from));
  }
  if (depth) out.push('', table, '');
  return out;
}

/** What may stand before a table on its line: nothing, markup (`****`, `> `), a bold title, a caption. */
function opensTableHere(before: string): boolean {
  const text = before.replace(/[*>\s]+/g, '');
  return !text || /\*\*\s*$/.test(before) || TABLE_CAPTION.test(text);
}

const HTML_TABLE_TAG = /<\/?table\b/i;
const HTML_TABLE_TAGS = /<(\/?)table\b[^<>]*>/gi;

/**
 * An HTML table as blocks: a row per line, cells joined as in a Markdown table. A table of
 * one column is a page's layout (a box around a list or a note): its rows are text.
 */
function htmlTableBlocks(html: string): Block[] {
  const cellText = (cell: string) => decodeHTML(stripInlineMarkdown(cell.replace(/<br\s*\/?>|<\/(?:p|div|li|section)>/gi, ' '))).replace(/\s+/g, ' ').trim();
  const rows = html
    .split(/<tr\b[^<>]*>/i)
    .slice(1)
    .map((row) => row.split(/<t[dh]\b[^<>]*>/i).slice(1).map(cellText).filter(Boolean))
    .filter((cells) => cells.length);
  if (rows.every((cells) => cells.length <= 1)) {
    const lines = rows.length ? rows.map((cells) => cells.join('')) : [cellText(html)];
    return paragraphBlocks(lines.filter(Boolean), false);
  }
  return [{ kind: 'table', text: rows.map((cells) => cells.join(' · ')).join('\n'), raw: [html], links: linksOf(html), images: imagesOf(html) }];
}

/**
 * A heading's `#` marks written inside a list item (`- # 暂无`): the item's text is what
 * follows them, and an item with nothing after them is no item ('').
 */
function withoutHeadingMark(line: string): string {
  const bullet = LIST_ITEM.exec(line);
  if (!bullet) return line;
  const rest = line.slice(bullet[0].length).replace(/^#{1,6}(?:\s+|$)/, '');
  return rest ? bullet[0] + rest : '';
}

function listBlock(lines: string[]): Block {
  // Each item on its own line, its continuation lines joined to it.
  const items: string[][] = [];
  for (const line of lines) {
    if (LIST_ITEM.test(line) || !items.length) items.push([line]);
    else items[items.length - 1]?.push(line);
  }
  const text = items
    .map((item) => joinLines(item.map((l, k) => stripInlineMarkdown(k === 0 ? withoutHeadingMark(l) : l))))
    .filter(Boolean)
    .join('\n');
  // A link may wrap onto the item's next line: links are read from each item as one line.
  const links = items.flatMap((item) => linksOf(item.join(' ')));
  return { kind: 'list', text, raw: lines, links, images: lines.reduce((n, l) => n + imagesOf(l), 0) };
}

/** A fenced block of a few short words in Chinese, with nothing that reads as code. */
function isFencedLabel(lines: readonly string[]): boolean {
  const filled = lines.filter((l) => l.trim());
  const text = filled.join('');
  return filled.length > 0 && filled.length <= 4 && text.length <= 24 && /[\u4e00-\u9fff]/.test(text) && !/[=;{}()<>$/\\|:"'`]/.test(text);
}

/** A line that holds only images (and links around them): nothing to read. */
function isImageLine(line: string): boolean {
  if (!line.includes('![')) return false;
  const rest = line.replace(/\[?!\[[^\][]*\]\([^()]*\)(?:\]\([^()]*\))?/g, '').trim();
  return rest === '';
}

/**
 * Splits a Markdown body into blocks: headings, paragraphs (hard breaks joined), lists,
 * code (verbatim, line breaks kept), tables (a row per line), images and rules. HTML
 * entities are decoded. Linear in the length of the body.
 */
export function splitMarkdownBlocks(body: string): Block[] {
  const lines = htmlTablesOnTheirOwnLines(body.replace(/\r\n?/g, '\n').split('\n'));
  // For each line, the next line that is not blank (looking ahead once, not once per line).
  const nextFilled = new Array<string>(lines.length + 1).fill('');
  for (let i = lines.length - 1; i >= 0; i--) nextFilled[i] = (lines[i] ?? '').trim() ? (lines[i] ?? '') : (nextFilled[i + 1] ?? '');
  // For each line, the longest closing fence (a line of nothing but ``` or ~~~) at or after it,
  // per fence character: an opening fence that nothing after it can close is not a fence.
  const closingAtOrAfter = { '`': new Int32Array(lines.length + 1), '~': new Int32Array(lines.length + 1) };
  for (let i = lines.length - 1; i >= 0; i--) {
    const bare = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[i] ?? '')?.[1];
    for (const char of ['`', '~'] as const) {
      const here = bare?.[0] === char ? bare.length : 0;
      closingAtOrAfter[char][i] = Math.max(here, closingAtOrAfter[char][i + 1] ?? 0);
    }
  }
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let paragraphIsQuote = false;
  let list: string[] = [];
  const flushParagraph = () => {
    for (const block of paragraphBlocks(paragraph, paragraphIsQuote)) blocks.push(block);
    paragraph = [];
    paragraphIsQuote = false;
  };
  const flushList = () => {
    if (list.length) blocks.push(listBlock(list));
    list = [];
  };
  const flush = () => {
    flushParagraph();
    flushList();
  };

  for (let i = 0; i < lines.length; i++) {
    let rawLine = lines[i] ?? '';
    const fence = FENCE.exec(rawLine);
    // A fence no later line closes is a fence the page lost its other half of (an opener
    // saved inside a line of text, ```` 更新说明``` ````): the rest of the page is not code.
    const closable = fence?.[1] !== undefined && (closingAtOrAfter[fence[1][0] as '`' | '~'][i + 1] ?? 0) >= fence[1].length;
    if (fence?.[1] && !closable) rawLine = rawLine.slice(fence[0].length);
    else if (fence?.[1]) {
      flush();
      const marker = fence[1];
      const code: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j] ?? '';
        if (l.trimStart().startsWith(marker[0]!.repeat(marker.length)) && l.trim().replace(/[`~]/g, '') === '') break;
        code.push(decodeHTML(l.trimEnd()));
      }
      i = j;
      while (code.length && !code[0]?.trim()) code.shift();
      while (code.length && !code[code.length - 1]?.trim()) code.pop();
      if (isFencedLabel(code)) {
        // Some accounts fence their section labels (```\n一\n\nAPP介绍\n```): headings, not code.
        for (const label of code) if (label.trim()) for (const block of paragraphBlocks([label.trim()], false)) blocks.push(block);
      } else if (code.length) {
        blocks.push({ kind: 'code', text: code.join('\n'), raw: code, links: [], images: 0 });
      }
      continue;
    }
    if (/^\s*<table\b/i.test(rawLine)) {
      flush();
      for (const block of htmlTableBlocks(rawLine)) blocks.push(block);
      continue;
    }
    const line = decodeHTML(rawLine).trimEnd();
    if (!line.trim()) {
      flushParagraph();
      // A list goes on across blank lines between its items.
      if (list.length && !LIST_ITEM.test(nextFilled[i + 1] ?? '')) flushList();
      continue;
    }
    if (ATX.test(line)) {
      flush();
      for (const block of atxBlocks(line)) blocks.push(block);
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ kind: 'rule', text: '', raw: [line], links: [], images: 0 });
      continue;
    }
    if (line.includes('|') && TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
      flush();
      const table = [line];
      let j = i + 1;
      for (; j < lines.length && (lines[j] ?? '').includes('|'); j++) table.push(decodeHTML(lines[j] ?? ''));
      i = j - 1;
      blocks.push(tableBlock(table));
      continue;
    }
    if (isImageLine(line)) {
      flush();
      blocks.push({ kind: 'image', text: '', raw: [line], links: linksOf(line), images: imagesOf(line) });
      continue;
    }
    const quote = /^\s{0,3}>/.test(line);
    const content = quote ? line.replace(/^\s{0,3}(?:>\s?)+/, '') : line;
    if (LIST_ITEM.test(content) && !quote) {
      flushParagraph();
      list.push(content.trim());
      continue;
    }
    if (list.length && /^\s{2,}\S/.test(content)) {
      // An indented line goes on the list item above it.
      list.push(content.trim());
      continue;
    }
    flushList();
    if (paragraph.length && quote !== paragraphIsQuote) flushParagraph();
    paragraphIsQuote = quote;
    paragraph.push(content.trim());
  }
  flush();
  return captionsAsText(mergeLabels(blocks));
}

/** After a label, a line up to 40 characters that is not a sentence reads as its heading. */
function labelledHeadingOf(block: Block): string | undefined {
  if (block.kind === 'heading') return block.text;
  if (block.kind !== 'text' || block.raw.length !== 1) return undefined;
  const text = block.text;
  if (!text || text.length > MAX_BOLD_HEADING_CHARS || /[。！？!?；;]/.test(text) || MID_SENTENCE_END.test(text)) return undefined;
  // A unit standing alone after the number is a quantity or a date broken over lines
  // (7 / 月 / 12 / 日，绿盟科技…), not a numbered heading.
  if (UNIT_OF_NUMBER.test(text)) return undefined;
  return text;
}

/** A unit that binds to the number before it, alone or before punctuation (月, 日，, 个). */
const UNIT_OF_NUMBER = /^[年月日号时个次万亿元%](?:$|[，,、。；;：:\s])/;

/** A figure's caption: 图 3 攻击流程, 图8 短信接口调用代码, Figure 2: …. */
const FIGURE_CAPTION = /^(?:图|圖|figure|fig\.)\s*\d{0,3}(?:[\s:：.、-]|$)/i;
/** A table's caption: 表1 新增安全漏洞排名前五厂商统计表, Table 2: …. */
const TABLE_CAPTION = /^(?:表|table)\s*\d{1,3}(?:[\s:：.、-]|$|(?=\p{Script=Han}))/iu;

/**
 * A short line under an image that names it as a figure (or over a table that names it as
 * a table) is its caption, text of the article, not the heading of a section (which would
 * cut the section it stands in).
 */
function captionsAsText(blocks: Block[]): Block[] {
  const isCaption = (block: Block, i: number) =>
    (blocks[i - 1]?.kind === 'image' && FIGURE_CAPTION.test(block.text)) || (blocks[i + 1]?.kind === 'table' && TABLE_CAPTION.test(block.text));
  return blocks.map((block, i) => (block.kind === 'heading' && block.implicit && !block.labelled && isCaption(block, i) ? textBlock(block.raw, [block.text], false) : block));
}

/**
 * A label standing alone (`**01**`, `0x02`, `三、`) and the heading after it (images may
 * sit between) are one heading: "01 福利开启".
 */
function mergeLabels(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    const isLabel = (block.kind === 'text' || block.kind === 'heading') && LABEL.test(block.text);
    let next = i + 1;
    while (isLabel && blocks[next]?.kind === 'image') next++;
    const after = blocks[next];
    const heading = isLabel && after ? labelledHeadingOf(after) : undefined;
    if (!heading || !after) {
      out.push(block);
      continue;
    }
    for (let k = i + 1; k < next; k++) out.push(blocks[k] as Block);
    out.push({ ...headingBlock(`${block.text} ${heading}`, [...block.raw, ...after.raw], true), labelled: true });
    i = next;
  }
  return out;
}
