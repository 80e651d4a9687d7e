import type { Answer, AnswerResult } from '../answer/types.js';
import { escapeHtml, highlightHtml, linkHtml, truncate } from '../format/html.js';
import type { PassageContext } from '../library-types.js';
import { MESSAGES, type Lang } from './messages.js';

/** Telegram's limit counts characters after entity parsing; we stay under it with a margin. */
export const MAX_MESSAGE_CHARS = 4096;
const BUDGET = 3900;
const MAX_TITLE = 120;
const MAX_HEADING = 60;
const MAX_QUERY_ECHO = 80;
/** A long question can miss many words: naming the first few is enough. */
const MAX_ABSENT_WORDS = 5;

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface FormattedMessage {
  html: string;
  /** Length of the text Telegram will count (tags and entities removed). */
  visibleLength: number;
  keyboard: InlineButton[][];
}

/** Visible length of our own HTML (we only emit simple tags and the four entities). */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, '_').length;
}

/** The citation line: linked title › heading · paragraph. */
export function citationHtml(result: Pick<AnswerResult, 'articleTitle' | 'url' | 'heading' | 'paragraph'>, lang: Lang): string {
  return `${linkHtml(result.articleTitle, result.url, MAX_TITLE)} › ${escapeHtml(truncate(result.heading, MAX_HEADING))} · ${MESSAGES[lang].paragraph(result.paragraph)}`;
}

/** Snippets are ~200 characters; this cap only guards the message limit against odd data. */
const MAX_SNIPPET = 1000;
const MAX_LINK_TEXT = 80;

export function passageHtml(result: AnswerResult, lang: Lang, index?: number): string {
  const number = index === undefined ? '' : `${index}. `;
  const snippet = truncate(result.snippet, MAX_SNIPPET);
  const highlights = result.highlights.filter(([, end]) => end <= snippet.length - (snippet === result.snippet ? 0 : 1));
  // A reading list's matching items link to the articles they name.
  const links = (result.links ?? []).map((link) => `→ ${linkHtml(link.text, link.url, MAX_LINK_TEXT)}`);
  return [`${number}${citationHtml(result, lang)}`, highlightHtml(snippet, highlights), ...links].join('\n');
}

/**
 * An answer as one Telegram HTML message with paging and context buttons. Passages that
 * would push the message past the limit are left for the next page.
 */
export function formatAnswer(
  answer: Answer,
  options: { lang: Lang; offset: number; queryKey: string; examples?: readonly string[]; scopeTitle?: string | undefined; note?: string | undefined },
): FormattedMessage {
  const m = MESSAGES[options.lang];
  const head: string[] = [];
  if (options.note) head.push(`<i>${escapeHtml(options.note)}</i>`);
  if (options.scopeTitle) head.push(`<i>${escapeHtml(m.scopedAnswer(truncate(options.scopeTitle, MAX_TITLE)))}</i>`);
  const query = truncate(answer.query.replace(/\s+/g, ' ').trim(), MAX_QUERY_ECHO);

  if (answer.smallTalk) {
    const lines = [escapeHtml(answer.smallTalk === 'thanks' ? m.thanks : m.greeting)];
    if (answer.smallTalk === 'greeting' && options.examples?.length) lines.push('', escapeHtml(m.examplesTitle), ...options.examples.map((q) => `• ${escapeHtml(q)}`));
    const html = lines.join('\n');
    return { html, visibleLength: visibleLength(html), keyboard: [] };
  }

  // A question about an article itself: its front matter first, then any passages.
  if (answer.articleInfo) {
    head.push(escapeHtml(answer.articleInfo.length ? m.aboutArticles : m.aboutArticlesUnknown));
    for (const info of answer.articleInfo) {
      const facts = [info.source && `${m.source}: ${info.source}`, info.date && `${m.date}: ${info.date}`].filter(Boolean).join(' · ');
      head.push(linkHtml(info.title, info.url, MAX_TITLE));
      if (facts) head.push(escapeHtml(truncate(facts, 200)));
    }
    if (!answer.results.length) {
      const html = head.join('\n');
      return { html, visibleLength: visibleLength(html), keyboard: [] };
    }
    head.push('');
  }

  if (!answer.results.length) {
    const lines = [...head, escapeHtml(m.notFound(query))];
    if (answer.absent?.length) lines.push(escapeHtml(m.absentWords(answer.absent.slice(0, MAX_ABSENT_WORDS).map((w) => truncate(w, 30)))));
    lines.push(escapeHtml(m.notFoundHint));
    if (options.examples?.length) lines.push('', escapeHtml(m.examplesTitle), ...options.examples.map((q) => `• ${escapeHtml(q)}`));
    const html = lines.join('\n');
    return { html, visibleLength: visibleLength(html), keyboard: [] };
  }

  // Asked for articles: list them above the passages, on the first page.
  if (options.offset === 0 && answer.relatedArticles?.length) {
    head.push(`<b>${escapeHtml(m.relatedArticles)}</b>`);
    for (const info of answer.relatedArticles) {
      head.push(`• ${linkHtml(info.title, info.url, MAX_TITLE)}${info.date ? ` · ${escapeHtml(info.date)}` : ''}`);
    }
    head.push('');
  }
  const blocks: string[] = [];
  const shown: AnswerResult[] = [];
  let used = visibleLength(head.join('\n')) + 40;
  for (const result of answer.results) {
    const block = passageHtml(result, options.lang, options.offset + shown.length + 1);
    const size = visibleLength(block) + 2;
    if (shown.length > 0 && used + size > BUDGET) break;
    // A single passage is cropped already (~200 chars), so the first always fits.
    blocks.push(block);
    shown.push(result);
    used += size;
  }
  const from = options.offset + 1;
  const to = options.offset + shown.length;
  const footer = `<i>${escapeHtml(m.resultsFooter(from, to, answer.total))}</i>`;
  const html = [...head, ...blocks.flatMap((b, i) => (i ? ['', b] : [b])), '', footer].join('\n');

  const keyboard: InlineButton[][] = [];
  keyboard.push(shown.map((r, i) => ({ text: m.context(from + i), callback_data: `ctx:${r.passageId}:${options.queryKey}:${options.offset}` })).filter((b) => Buffer.byteLength(b.callback_data) <= 64));
  const paging: InlineButton[] = [];
  if (options.offset > 0) paging.push({ text: m.previous, callback_data: `more:${options.queryKey}:${Math.max(0, options.offset - shown.length)}` });
  if (to < answer.total) paging.push({ text: m.more, callback_data: `more:${options.queryKey}:${to}` });
  if (paging.length) keyboard.push(paging);
  return { html, visibleLength: visibleLength(html), keyboard: keyboard.filter((row) => row.length) };
}

/** The full paragraph with its neighbours, the target in an expandable quote. */
export function formatContext(context: PassageContext, lang: Lang, back?: { queryKey: string; offset: number }): FormattedMessage {
  const m = MESSAGES[lang];
  const target = context.paragraphs.find((p) => p.isTarget);
  const citation = citationHtml(
    { articleTitle: context.article.title, url: context.article.url, heading: context.heading, paragraph: (target?.paragraphIndex ?? 0) + 1 },
    lang,
  );
  let budget = BUDGET - visibleLength(citation) - 20;
  const parts: string[] = [];
  // The target first gets its room, then the neighbours share what is left.
  const targetText = truncate(target?.text ?? '', Math.min(budget, 2500));
  budget -= targetText.length;
  for (const p of context.paragraphs) {
    if (p.isTarget) {
      parts.push(`<blockquote expandable>${escapeHtml(targetText)}</blockquote>`);
    } else {
      const room = Math.max(0, Math.min(600, Math.floor(budget / 2)));
      if (room < 20) continue;
      const text = truncate(p.text, room);
      budget -= text.length;
      parts.push(`<i>${escapeHtml(text)}</i>`);
    }
  }
  const html = `${citation}\n\n${parts.join('\n\n')}`;
  const keyboard = back ? [[{ text: m.back, callback_data: `more:${back.queryKey}:${back.offset}` }]] : [];
  return { html, visibleLength: visibleLength(html), keyboard };
}
