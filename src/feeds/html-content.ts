/**
 * HTML of an article's body → the corpus's Markdown: the DOM is linkedom's, the conversion
 * turndown's (with GitHub tables); what is ours is the list of things that are not the
 * article (scripts, forms, share and follow blocks, QR codes, account cards) and making
 * links and lazy-loaded images absolute. Pure: text in, text out.
 */
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { gfm } from 'turndown-plugin-gfm';

/** The part of the DOM this module and the page extractor use (the project has no DOM lib types). */
export interface DomElement {
  readonly tagName: string;
  readonly className: string;
  readonly id: string;
  readonly textContent: string | null;
  innerHTML: string;
  readonly children: ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  remove(): void;
  replaceWith(...nodes: unknown[]): void;
}

export interface DomDocument {
  readonly body: DomElement | null;
  readonly documentElement: DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  createTextNode(text: string): unknown;
}

/** A whole page, or a fragment placed in a page's body. */
export function parseHtmlDocument(html: string): DomDocument {
  const page = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return parseHTML(page).document as unknown as DomDocument;
}

const NOT_CONTENT = [
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea',
  'svg', 'canvas', 'video', 'audio', 'nav', 'footer',
  // WeChat's embedded cards: the account's profile, mini programs, voice, channels videos, shop items.
  'mp-common-profile', 'mpprofile', 'mp-miniprogram', 'mpvoice', 'mpvideosnap', 'mp-common-videosnap', 'mpcps', 'mp-common-product', 'qqmusic',
].join(',');

/** Class or id words that mark chrome around an article, not the article. */
const CHROME_NAME = /(?:^|[\s_-])(share|sharing|social|follow|qr[-_]?code|qrcode|sponsor|advert|advertisement|ads|newsletter|subscribe|comments?|breadcrumbs?|navbar|sidebar|related[-_]posts|reward)(?:$|[\s_-])/i;

/** Short lines that ask the reader to follow, share or scan; never the article's own words. */
const PROMPTS = [
  /^(点击|点|戳)?(上方|下方|上面|下面|顶部|底部)?.{0,6}(蓝字|名片|公众号).{0,4}关注/,
  /^(欢迎|记得|请)?关注(我们|本号|本公众号|公众号)/,
  /(长按|扫码|扫描|扫一扫|识别).{0,10}(二维码|关注)/,
  /^(点个|点击|点亮|分享|转发|点赞).{0,6}(在看|点赞|分享|转发|收藏)/,
  /^(点击|戳).{0,4}(阅读原文|原文链接)/,
  /^(share( this)?|follow us|subscribe( to)?)\b/i,
];
const MAX_PROMPT_CHARS = 40;

function absolute(url: string, baseUrl: string | undefined): string | undefined {
  try {
    const resolved = new URL(url, baseUrl);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/** Removes what is not the article from a content element (or a whole page), in place; links and images made absolute. */
export function cleanContent(root: DomElement, baseUrl?: string): void {
  for (const element of Array.from(root.querySelectorAll(NOT_CONTENT))) element.remove();
  const total = (root.textContent ?? '').length;
  for (const element of Array.from(root.querySelectorAll('[class],[id]'))) {
    if (!CHROME_NAME.test(`${element.className} ${element.id}`)) continue;
    // A name like "post-share-enabled" can sit on the article's own wrapper: only small blocks go.
    const length = (element.textContent ?? '').length;
    if (length <= 1000 && length <= total * 0.3) element.remove();
  }
  for (const element of Array.from(root.querySelectorAll('p,section,div,span,strong,b,h1,h2,h3,h4,h5,h6,blockquote,figcaption,li'))) {
    const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text && text.length <= MAX_PROMPT_CHARS && PROMPTS.some((p) => p.test(text))) element.remove();
  }
  for (const image of Array.from(root.querySelectorAll('img'))) {
    // WeChat and many blogs load images lazily: the real address is in data-src.
    const src = absolute(image.getAttribute('data-src') ?? image.getAttribute('src') ?? '', baseUrl);
    if (!src) image.remove();
    else image.setAttribute('src', src);
  }
  for (const link of Array.from(root.querySelectorAll('a'))) {
    const href = absolute(link.getAttribute('href') ?? '', baseUrl);
    if (href) link.setAttribute('href', href);
    else link.removeAttribute('href');
  }
}

// Stateless once built; built on first use because building it costs.
let converter: TurndownService | undefined;
function turndown(): TurndownService {
  if (!converter) {
    converter = new TurndownService({ headingStyle: 'atx', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '*' });
    converter.use(gfm);
    // A link without an address (javascript:, removed) keeps its text only.
    converter.addRule('bareLink', { filter: (node) => node.nodeName === 'A' && !(node as unknown as DomElement).getAttribute('href'), replacement: (content) => content });
  }
  return converter;
}

/** Article HTML (a fragment or a page's content element) → Markdown, cleaned. */
export function htmlToMarkdown(html: string, baseUrl?: string): string {
  const body = parseHtmlDocument(html).body;
  if (!body) return '';
  cleanContent(body, baseUrl);
  return tidyMarkdown(turndown().turndown(body.innerHTML));
}

/** An element's article content → Markdown (the element is cleaned in place). */
export function elementToMarkdown(element: DomElement, baseUrl?: string): string {
  cleanContent(element, baseUrl);
  return tidyMarkdown(turndown().turndown(element.innerHTML));
}

function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/\u00A0/g, ' ')
    .replace(/^[ \t]+$/gm, '')
    .replace(/[ \t]+$/gm, (spaces) => (spaces.length >= 2 ? '  ' : ''))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** HTML (a title, a summary) → plain text on one line. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  return (parseHtmlDocument(html).body?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Plain text → HTML paragraphs (JSON Feed's content_text). */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
