/**
 * A web page → its article: title, source (WeChat account, site or byline), publish time and
 * the main content as Markdown. WeChat pages are read by their known layout (`#js_content`,
 * `#js_name`, the `ct` timestamp in a script); other pages by Mozilla Readability. Pure.
 */
import { Readability } from '@mozilla/readability';
import { cleanContent, elementToMarkdown, htmlToText, parseHtmlDocument, type DomDocument } from './html-content.js';

export interface ExtractedPage {
  title: string | undefined;
  /** The WeChat account, else the site's name or the byline. */
  source: string | undefined;
  /** ISO 8601 with the publisher's offset, when the page says. */
  published: string | undefined;
  markdown: string;
}

/** A page that holds no article, and why. */
export class ExtractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtractError';
  }
}

export function isWeChatUrl(url: string): boolean {
  try {
    return new URL(url).hostname === 'mp.weixin.qq.com';
  } catch {
    return false;
  }
}

export function extractPage(html: string, url: string): ExtractedPage {
  const document = parseHtmlDocument(html);
  if (isWeChatUrl(url) || document.querySelector('#js_content')) return extractWeChat(document, html, url);
  return extractReadable(document, url);
}

const text = (document: DomDocument, selector: string) => (document.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim() || undefined;
const meta = (document: DomDocument, property: string) =>
  document.querySelector(`meta[property="${property}"]`)?.getAttribute('content')?.trim() || document.querySelector(`meta[name="${property}"]`)?.getAttribute('content')?.trim() || undefined;

/** A string a WeChat page's script assigns: `var nickname = htmlDecode("…")`, `var msg_title = '…'.html(false)`. */
function scriptString(html: string, name: string): string | undefined {
  const match = new RegExp(`\\b(?:var\\s+)?${name}\\s*=\\s*(?:htmlDecode\\()?\\s*(["'])((?:\\\\.|(?!\\1).)*)\\1`).exec(html);
  if (!match?.[2]) return undefined;
  const unescaped = match[2].replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
  return htmlToText(unescaped) || undefined;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const inChina = (epochMs: number) => `${new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;

/** WeChat's publish time: `var ct = "1674715200"` (or create_time), `createTime = '2023-01-26 08:00'`, or the shown date. */
export function weChatPublishTime(html: string, shown?: string): string | undefined {
  const seconds = /\bct\s*=\s*["']?(\d{9,11})\b/.exec(html)?.[1] ?? /\bcreate_time\s*[:=]\s*["']?(\d{9,11})\b/.exec(html)?.[1];
  if (seconds) return inChina(Number(seconds) * 1000);
  const local = /\bcreateTime\s*=\s*['"](\d{4}-\d{2}-\d{2})(?:\s+(\d{2}:\d{2}))?/.exec(html);
  if (local?.[1]) return `${local[1]}T${local[2] ?? '00:00'}:00+08:00`;
  const date = shown && /(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?(?:\s+(\d{1,2}):(\d{2}))?/.exec(shown);
  if (date) {
    const pad = (s: string | undefined) => (s ?? '0').padStart(2, '0');
    return `${date[1]}-${pad(date[2])}-${pad(date[3])}T${pad(date[4])}:${pad(date[5])}:00+08:00`;
  }
  return undefined;
}

/** What WeChat shows instead of an article, and what it means. */
const WECHAT_NOTICES: Array<[RegExp, string]> = [
  [/该内容已被发布者删除|此内容已被发布者删除/, 'the author deleted this WeChat article'],
  [/此内容因违规无法查看|涉嫌违反相关法律法规和政策/, 'WeChat withdrew this article'],
  [/环境异常|完成验证后即可继续访问|请在微信客户端打开/, 'WeChat asked for a verification instead of showing the article; try again later'],
];

function extractWeChat(document: DomDocument, html: string, url: string): ExtractedPage {
  const content = document.querySelector('#js_content');
  const bodyText = (content?.textContent ?? '').trim();
  if (!content || !bodyText) {
    const notice = WECHAT_NOTICES.find(([pattern]) => pattern.test(html));
    throw new ExtractError(notice ? notice[1] : 'the WeChat page has no article body (#js_content)');
  }
  return {
    title: text(document, '#activity-name') ?? meta(document, 'og:title') ?? scriptString(html, 'msg_title'),
    source: text(document, '#js_name') ?? scriptString(html, 'nickname') ?? text(document, '.profile_nickname'),
    published: weChatPublishTime(html, text(document, '#publish_time')),
    markdown: elementToMarkdown(content, url),
  };
}

function extractReadable(document: DomDocument, url: string): ExtractedPage {
  const siteName = meta(document, 'og:site_name');
  const published = meta(document, 'article:published_time');
  // Readability drops class names: share and follow blocks are recognised before it runs.
  if (document.body) cleanContent(document.body, url);
  const article = new Readability(document as never, { charThreshold: 200 }).parse();
  if (!article?.content) throw new ExtractError('no article text found on the page');
  const markdown = elementToMarkdown(parseHtmlDocument(article.content).body!, url);
  if (!markdown) throw new ExtractError('no article text found on the page');
  const site = article.siteName?.trim() || siteName;
  return {
    title: withoutSiteName(article.title?.trim(), site),
    source: site || article.byline?.trim() || hostOf(url),
    published: article.publishedTime?.trim() || published,
    markdown,
  };
}

/** "标题 - 站点" → "标题". */
function withoutSiteName(title: string | undefined, site: string | undefined): string | undefined {
  if (!title) return undefined;
  if (!site) return title;
  const escaped = site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return title.replace(new RegExp(`\\s*[-|–—_·]\\s*${escaped}\\s*$`), '').trim() || title;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
