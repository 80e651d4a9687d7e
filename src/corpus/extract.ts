import { isBoldHeading, SECTION_NUMBER, type Block } from './markdown-blocks.js';
import { isCallHeading, isCallToReader } from './reader-calls.js';
import { contentLength } from './text-length.js';

/** A block left out of the article, and why (shown by `npm run inspect`). */
export interface DroppedBlock {
  block: Block;
  reason: DropReason;
}

export type DropReason =
  | 'the title, repeated'
  | 'page header, before the title repeated in the body'
  | 'image'
  | 'rule'
  | 'repeated earlier in the article'
  | 'links, not text'
  | 'a call to follow, share or join'
  | 'a run of page controls'
  | 'before the article starts'
  | 'after the article ends'
  | 'other articles to read'
  | "the source's disclaimer";

export interface ExtractOptions {
  /**
   * Whether the body may open with the page's header (a saved page: site name, menus) ending
   * where the title is repeated. A tool that writes the article alone (wechatmp2markdown puts
   * the title and byline first, then the body) has none: a title repeated in its body (a news
   * item quoting its headline) must not take the text before it along.
   */
  pageHeader: boolean;
}

export interface Extraction {
  kept: Block[];
  dropped: DroppedBlock[];
}

/**
 * The caption an editor's tool leaves under an image that has none, its default alt text
 * (img, 图片, CSDN's 在这里插入图片描述, Notion's notion image): it says nothing, and on a
 * line of its own it would become the heading of the text after it.
 */
const IMAGE_PLACEHOLDER = /^(?:img|image|picture|notion image|图片|图像|在这里插入图片描述|这里写图片描述|请输入图片描述|图片描述)$/i;

/** Judgements made by weighing a block against the rest of the page (not facts about the block). */
const SOFT_REASONS = new Set<DropReason>(['after the article ends', 'before the article starts', 'a run of page controls', 'links, not text']);

const isText = (block: Block) => block.kind === 'text' || block.kind === 'list' || block.kind === 'code' || block.kind === 'table';

/** Text blocks at least this long (CJK characters, or letters and digits) carry the article. */
const MIN_CONTENT_CHARS = 12;
/** Runs of at least this many tiny blocks are page controls (menus, share bars, WeChat's footer). */
const MIN_CONTROL_RUN = 4;
const MAX_CONTROL_CHARS = 8;
/** Where the title may be repeated to mark where the article starts (share of the blocks). */
const TITLE_REPEAT_WINDOW = 0.4;
/** Blocks at least this long are compared for repeats within an article. */
const MIN_REPEAT_CHARS = 20;
/** A field label (漏洞类型：) is at most this long. */
const MAX_FIELD_LABEL_CHARS = 20;

function squash(text: string): string {
  return text.replace(/[\s*#_`"'“”‘’《》「」【】[\]()（）:：|·.,，。!！?？-]/g, '').toLowerCase();
}

/** How much of a block's text is link text (a link around nothing counts as a short link). */
function linkShare(block: Block): number {
  if (!block.links.length) return 0;
  const total = contentLength(block.text);
  const inLinks = block.links.reduce((n, link) => n + Math.max(contentLength(link.text), 6), 0);
  return total === 0 ? 1 : Math.min(1, inLinks / Math.max(total, 1));
}

/** Mostly links: navigation, share bars, "read next" lists, link cards. */
export function isLinkBlock(block: Block): boolean {
  if (!block.links.length || block.kind === 'code' || block.kind === 'heading') return false;
  const share = linkShare(block);
  // A link around nothing (an image card) in a line with little else is a card, not text.
  const emptyLinks = block.links.filter((l) => !l.text).length;
  if (emptyLinks && contentLength(block.text) <= 40) return true;
  return share >= 0.9 || (share >= 0.6 && (block.links.length >= 2 || contentLength(block.text) <= 40));
}

/**
 * A menu item or a button: a few characters, or one or two short capitalised Latin words
 * (Get link, Other Apps). Lower-case words and names with dots or underscores are code and
 * domains (fpassthru, *.example.com), which articles list a line each.
 */
function isTinyText(text: string): boolean {
  const length = contentLength(text);
  if (length <= MAX_CONTROL_CHARS) return true;
  const label = text.replace(/^\s*(?:[-*+•·]|\d{1,3}[.)])\s+/, '').trim();
  return (
    length <= 2 * MAX_CONTROL_CHARS &&
    /^\p{Lu}[\p{Script=Latin}\p{N}\s&'’()«»←→-]*$/u.test(label) &&
    (label.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) <= 2
  );
}

/** A list of nothing but tiny items (a share bar or menu written as a list: Get link, Facebook, X…). */
function tinyItems(block: Block): number {
  if (block.kind !== 'list') return 0;
  const items = block.text.split('\n').filter((line) => line.trim());
  return items.length >= MIN_CONTROL_RUN && items.every(isTinyText) ? items.length : 0;
}

const isTiny = (block: Block) =>
  (block.kind === 'text' || (block.kind === 'heading' && !block.labelled && !isBoldHeading(block)) || block.kind === 'list') && isTinyText(block.text);

/**
 * How much a block looks like page furniture (+) or like the article's text (−): tiny
 * lines, dates and link blocks +1, a list of tiny items +1 an item; text −1 per 12 characters (so one real paragraph
 * outweighs a few menu items); images, rules and ordinary headings 0. Blocks already
 * dropped for another reason (controls, repeats) count as furniture.
 */
function furnitureWeight(block: Block, alreadyDropped: boolean): number {
  if (block.kind === 'image' || block.kind === 'rule') return 0;
  if (alreadyDropped) return block.kind === 'heading' ? 0 : 1;
  const length = contentLength(block.text);
  const letters = block.text.replace(/[^\p{L}]+/gu, '').length;
  // A Markdown heading (`##`) is the author's; a short line standing alone may be a menu item.
  // A heading numbered as a section (0x03 漏洞详情, 二、影响范围) is the author's structure too.
  if (block.kind === 'heading') return block.implicit && !block.labelled && !SECTION_NUMBER.test(block.text) && (length <= MAX_CONTROL_CHARS || letters < 2) ? 1 : 0;
  // An empty code block (WeChat leaves ``` ``` where a widget was) says nothing either way.
  if (block.kind === 'code' || block.kind === 'table') return length ? -Math.max(3, length / 12) : 0;
  // Judged like the run of tiny lines it would be unlisted; only the page's edges drop it, as
  // a list of short items inside the text (affected versions) is the article's.
  const items = tinyItems(block);
  if (items) return items;
  if (isLinkBlock(block) || length <= MAX_CONTROL_CHARS || letters < 2) return 1;
  if (length < MIN_CONTENT_CHARS) return 0.5;
  return -length / 12;
}

/**
 * The line that opens a page's comment thread, in the words blog engines and WeChat put
 * there: "4 Comments »", "11 thoughts on “…”", "2 Responses to …", "Comments (3)", "Leave a
 * Reply", "Post a Comment", 发表评论, 3条评论, 评论区, 精选留言, 写留言. The platforms' words,
 * like reader-calls' (a comment thread is not written by the article's author, and its
 * comments are long enough to pass for the article's text).
 */
const COMMENTS_OPENER =
  /^(?:\d+\s+(?:comments?|responses?|replies|thoughts?)\b.*|comments?\s*(?:\(\d+\))?\s*[»:]?|(?:leave|post|add|write)\s+a\s+(?:reply|comment)\b.*|join the (?:discussion|conversation)\b.*|(?:\d+\s*条评论|发表评论|评论区|全部评论|精选留言|写留言|留言区)\s*[:：]?)$/i;
const MAX_OPENER_CHARS = 60;

function opensComments(block: Block): boolean {
  return (block.kind === 'heading' || block.kind === 'text') && contentLength(block.text) <= MAX_OPENER_CHARS && COMMENTS_OPENER.test(block.text.trim());
}

/**
 * The label WeChat accounts put over a list of their other articles (往期推荐, 推荐阅读,
 * 往期回顾…), alone or before the list on its line: the platform's convention, like
 * reader-calls'. Only as a label: 推荐阅读官方文档 is a sentence of the article.
 */
const READING_LIST_LABEL = /^(?:往期推荐|往期回顾|往期精选|往期文章|推荐阅读|阅读推荐|相关阅读|延伸阅读|精彩推荐|热文推荐|更多推荐|历史文章|精选文章)(?:$|[\s:：|｜>》】\]])/;

/** A paragraph this long with none of the marks that string titles together (|, >, •) is prose, not a list of titles. */
const MIN_PROSE_CHARS = 100;
/** A heading the author marked as one (`##`, bold, numbered): a title in a list is a short plain line. */
const isOutlineHeading = (block: Block) => block.kind === 'heading' && (!block.implicit || block.labelled === true || isBoldHeading(block) || SECTION_NUMBER.test(block.text));
const isProse = (block: Block) => block.kind === 'text' && contentLength(block.text) >= MIN_PROSE_CHARS && !/[|｜>》•●►]/.test(block.text);

function opensReadingList(block: Block): boolean {
  return (block.kind === 'heading' || block.kind === 'text') && READING_LIST_LABEL.test(block.text.trim());
}

/**
 * The disclaimer an account puts on its articles (免责声明：…由使用者本人负责，与本公众号无关):
 * a paragraph under its label, or under a heading that is the label alone, in the language of
 * responsibility. The genre's words, like reader-calls'; a disclaimer an article quotes (`>`)
 * or discusses without the label is the article's.
 */
const DISCLAIMER_LABEL = /^[【\[]?\s*(?:免责|版权|法律|郑重)?(?:声明|申明)\s*[】\]]?\s*[:：]/;
const DISCLAIMER_HEADING = /^(?:免责|版权|法律|郑重)?(?:声明|申明)\s*[:：]?$/;
const RESPONSIBILITY = /责任|负责|后果|无关|侵权|违法|非法|法律|自负|承担/g;
/** A disclaimer speaks of responsibility in at least two of its words (法律责任, 由使用者承担, 与本号无关). */
const isDisclaimerText = (block: Block) => block.kind === 'text' && !block.quote && new Set(block.text.match(RESPONSIBILITY) ?? []).size >= 2;

/** A field's label (漏洞类型：, 影响：): short, ending in a colon, which no menu item or button does. */
const isFieldLabel = (block: Block | undefined) =>
  (block?.kind === 'heading' || block?.kind === 'text') && /[:：]$/.test(block.text.trim()) && contentLength(block.text) <= MAX_FIELD_LABEL_CHARS;

/** The nearest block after `i` (step 1) or before it (step −1) that is not an image, or -1. */
function nextBlock(blocks: readonly Block[], i: number, step: 1 | -1): number {
  let at = i + step;
  while (at >= 0 && at < blocks.length && blocks[at]?.kind === 'image') at += step;
  return at >= 0 && at < blocks.length ? at : -1;
}

/**
 * A field's label, or a heading numbered as a section, followed by its value: plain text or
 * a list with no links (漏洞类型： / 远程代码执行; 0x01 危险等级 / - 高危).
 */
function isFieldPair(blocks: readonly Block[], label: number): boolean {
  const at = nextBlock(blocks, label, 1);
  const value = blocks[at];
  const labelBlock = blocks[label];
  const labels = isFieldLabel(labelBlock) || (labelBlock?.kind === 'heading' && SECTION_NUMBER.test(labelBlock.text));
  if (!labels || !value || value.links.length || isFieldLabel(value)) return false;
  // A line over links is their list's title (工具下载： / 往期推荐 / the links), not a value.
  const after = blocks[nextBlock(blocks, at, 1)];
  if (after && isLinkBlock(after)) return false;
  return value.kind === 'text' || value.kind === 'list' || (value.kind === 'heading' && value.implicit === true && !value.labelled && !isBoldHeading(value));
}

/**
 * A field's label or its value (漏洞类型： / 远程代码执行): an advisory's short lines, as short as
 * a menu's and no more page furniture than the text around them. A label over links ("Share
 * this:" over the buttons) is the furniture it labels.
 */
function isFieldLine(blocks: readonly Block[], i: number): boolean {
  return isFieldPair(blocks, i) || isFieldPair(blocks, nextBlock(blocks, i, -1));
}

/**
 * The start of the suffix (or the end of the prefix) with the largest total weight, when
 * that total shows furniture (≥ 2); otherwise the whole article stays.
 */
function heaviestEdge(weights: readonly number[], edge: 'start' | 'end'): number {
  let best = 0;
  let bestAt = edge === 'end' ? weights.length : 0;
  let sum = 0;
  if (edge === 'end') {
    for (let i = weights.length - 1; i >= 0; i--) {
      sum += weights[i] ?? 0;
      if (sum > best) {
        best = sum;
        bestAt = i;
      }
    }
  } else {
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i] ?? 0;
      if (sum > best) {
        best = sum;
        bestAt = i + 1;
      }
    }
  }
  return best >= 2 ? bestAt : edge === 'end' ? weights.length : 0;
}

/**
 * Keeps the article and drops the page around it, by the shape of the blocks (no list of
 * phrases; the one vocabulary is the WeChat platform's own, see reader-calls): the header
 * before the title repeated in the body, images and rules, blocks repeated within the
 * article, calls to follow, share or join, link blocks outside the text, runs of tiny blocks
 * (menus, share bars, WeChat's footer), and whatever comes before the first or after the last
 * block of real text. Lists of links inside the text (an editor's reading list) are kept.
 */
export function extractArticle(blocks: readonly Block[], title: string, options: ExtractOptions = { pageHeader: true }): Extraction {
  const reasons = new Array<DropReason | undefined>(blocks.length).fill(undefined);
  const titleKey = squash(title);

  // The page header: everything up to the title repeated in the body, near its start.
  if (titleKey && options.pageHeader) {
    const window = Math.max(3, Math.ceil(blocks.length * TITLE_REPEAT_WINDOW));
    let lastRepeat = -1;
    for (let i = 0; i < Math.min(window, blocks.length); i++) {
      const block = blocks[i] as Block;
      if ((block.kind === 'heading' || block.kind === 'text') && squash(block.text) === titleKey) lastRepeat = i;
    }
    for (let i = 0; i < lastRepeat; i++) reasons[i] = 'page header, before the title repeated in the body';
  }
  blocks.forEach((block, i) => {
    if ((block.kind === 'heading' || block.kind === 'text') && titleKey && squash(block.text) === titleKey) reasons[i] = 'the title, repeated';
    else if (block.kind === 'image' || (blocks[i - 1]?.kind === 'image' && IMAGE_PLACEHOLDER.test(block.text.trim()))) reasons[i] ??= 'image';
    else if (block.kind === 'rule') reasons[i] ??= 'rule';
  });

  // Blocks repeated within the article (some tools save the body twice).
  const seen = new Set<string>();
  blocks.forEach((block, i) => {
    if (reasons[i] || block.kind === 'heading' || contentLength(block.text) < MIN_REPEAT_CHARS) return;
    const key = squash(block.text);
    if (seen.has(key)) reasons[i] = 'repeated earlier in the article';
    else seen.add(key);
  });

  // Calls to follow the account, share, scan or join, wherever the page put them, in bold
  // or on a line of their own as well (点击蓝字 关注我们 would be the heading of the article).
  blocks.forEach((block, i) => {
    if (!reasons[i] && (block.kind === 'text' || block.kind === 'heading') && isCallToReader(block.text)) reasons[i] = 'a call to follow, share or join';
  });

  // What readers wrote under the article, from the line that opens the thread to the end of
  // the page, once the article's own text has begun (see COMMENTS_OPENER).
  const firstText = blocks.findIndex((block, i) => !reasons[i] && isText(block) && contentLength(block.text) >= MIN_CONTENT_CHARS);
  const opener = blocks.findIndex((block, i) => i > firstText && firstText >= 0 && opensComments(block));
  if (opener > 0) for (let i = opener; i < blocks.length; i++) reasons[i] ??= 'after the article ends';

  // A heading that calls the reader (关注我们) once the article's text has begun opens the
  // account's follow block: the heading and what stands under it, up to the next heading
  // the author marked (its description and QR code pass for text otherwise).
  blocks.forEach((block, i) => {
    if (firstText < 0 || i <= firstText || block.kind !== 'heading' || !isCallHeading(block.text)) return;
    reasons[i] ??= 'a call to follow, share or join';
    for (let j = i + 1; j < blocks.length && !isOutlineHeading(blocks[j] as Block); j++) reasons[j] ??= 'a call to follow, share or join';
  });

  // The source's disclaimer: a labelled paragraph, or the paragraphs right under a 免责声明
  // heading while they speak of responsibility (the article may go on under the same heading).
  blocks.forEach((block, i) => {
    if (reasons[i]) return;
    if (isDisclaimerText(block) && DISCLAIMER_LABEL.test(block.text.trim())) reasons[i] = "the source's disclaimer";
    if (block.kind !== 'heading' || !DISCLAIMER_HEADING.test(block.text.trim())) return;
    let j = nextBlock(blocks, i, 1);
    while (j >= 0 && isDisclaimerText(blocks[j] as Block)) {
      reasons[j] ??= "the source's disclaimer";
      reasons[i] ??= "the source's disclaimer";
      j = nextBlock(blocks, j, 1);
    }
  });

  // A "read more" list (往期推荐, 推荐阅读) whose titles lost their links when the page was
  // saved: its label and the titles under it, up to the next heading or paragraph of prose.
  // Nothing else tells such titles from text. A list that kept its links is judged as links
  // are: an editor's reading list inside the text stays (see sections' readingLists).
  blocks.forEach((block, i) => {
    if (reasons[i] || !opensReadingList(block)) return;
    let end = i + 1;
    while (end < blocks.length && !isOutlineHeading(blocks[end] as Block) && !isProse(blocks[end] as Block)) end++;
    if (blocks.slice(i, end).some((b) => b.links.some((link) => link.text))) return;
    for (let j = i; j < end; j++) reasons[j] ??= 'other articles to read';
  });

  // Runs of tiny blocks: menus, share bars, the controls at the foot of a WeChat page.
  let run: number[] = [];
  const closeRun = () => {
    if (run.length >= MIN_CONTROL_RUN) for (const k of run) reasons[k] ??= 'a run of page controls';
    run = [];
  };
  blocks.forEach((block, i) => {
    if (block.kind === 'image' || block.kind === 'rule') return;
    if (isTiny(block)) run.push(i);
    else closeRun();
  });
  closeRun();

  // Where the article's own text begins and ends: the page's header and footer are the
  // prefix and suffix where page furniture outweighs text (see furnitureWeight).
  const weights = blocks.map((block, i) => {
    if (reasons[i]) return furnitureWeight(block, true);
    const weight = furnitureWeight(block, false);
    return isFieldLine(blocks, i) ? Math.min(0, weight) : weight;
  });
  const tailStart = heaviestEdge(weights, 'end');
  // The head is looked for before the tail: on a page whose footer outweighs its text the
  // whole page would otherwise be the heaviest prefix.
  const headEnd = heaviestEdge(weights.slice(0, tailStart), 'start');
  blocks.forEach((block, i) => {
    if (reasons[i]) return;
    if (i >= tailStart) reasons[i] = 'after the article ends';
    else if (i < headEnd && block.kind !== 'heading') reasons[i] = 'before the article starts';
    else if (isLinkBlock(block) && block.kind !== 'list') reasons[i] = 'links, not text';
  });

  // A page that is nothing but short lines (a note, a one-line item) is kept as it is:
  // the edges are judged against the text, and here there is none to judge against.
  const hasText = (i: number) => !reasons[i] && isText(blocks[i] as Block);
  if (!blocks.some((_, i) => hasText(i))) {
    blocks.forEach((block, i) => {
      if ((isText(block) || block.kind === 'heading') && reasons[i] && SOFT_REASONS.has(reasons[i])) reasons[i] = undefined;
    });
  }

  const kept: Block[] = [];
  const dropped: DroppedBlock[] = [];
  blocks.forEach((block, i) => {
    const reason = reasons[i];
    if (reason) dropped.push({ block, reason });
    else kept.push(block);
  });
  return { kept, dropped };
}
