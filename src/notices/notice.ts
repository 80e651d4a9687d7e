import type { Article } from '../corpus/article.js';
import { MESSAGES, type Lang } from '../bot/messages.js';
import { escapeHtml, truncate } from '../format/html.js';
import type { ArticleRecord } from './store.js';
import { summarizeArticle } from './summary.js';

export interface NoticeMessage {
  html: string;
  keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>>;
}

export function articleRecordOf(article: Article): ArticleRecord {
  return {
    articleId: article.id,
    contentHash: article.contentHash,
    title: article.title,
    url: article.url,
    source: article.source ?? null,
    date: article.date ?? null,
    summary: summarizeArticle(article),
  };
}

const NEW_ARTICLE: Record<Lang, string> = { zh: '📰 新文章', en: '📰 New article' };
const READ: Record<Lang, string> = { zh: '阅读原文', en: 'Read it' };

/** The notice of a new article: title, source, date, summary, link, and "ask about this article". */
export function formatNotice(article: ArticleRecord, lang: Lang): NoticeMessage {
  const meta = [article.source, article.date].filter(Boolean).map((s) => escapeHtml(truncate(String(s), 60))).join(' · ');
  const lines = [`${NEW_ARTICLE[lang]}`, `<b>${escapeHtml(truncate(article.title, 200))}</b>`];
  if (meta) lines.push(`<i>${meta}</i>`);
  if (article.summary) lines.push('', escapeHtml(truncate(article.summary, 400)));
  // An article saved without its link is noticed without one.
  if (/^https?:\/\//i.test(article.url)) lines.push('', `<a href="${escapeHtml(article.url)}">${READ[lang]}</a>`);
  return {
    html: lines.join('\n'),
    keyboard: [[{ text: MESSAGES[lang].askAboutArticle, callback_data: `scope:${article.articleId}` }]],
  };
}
