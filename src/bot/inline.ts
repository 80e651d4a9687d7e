import { Composer, type Context } from 'telegraf';
import type { InlineQueryResult } from 'telegraf/types';
import { escapeHtml, linkHtml, truncate } from '../format/html.js';
import { messagesFor, withRetry, type BotDeps } from './context.js';
import { passageHtml } from './format-answer.js';

const MAX_INLINE_RESULTS = 10;

/** `@bot 问题` in any chat: one result per passage; an empty query suggests questions. */
export function createInlineFeature(deps: BotDeps): Composer<Context> {
  const feature = new Composer<Context>();
  feature.on('inline_query', async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    const query = ctx.inlineQuery.query.trim().slice(0, 256);
    let results: InlineQueryResult[];
    if (!query) {
      results = deps.library.exampleQuestions(5).map((question, i) => ({
        type: 'article',
        id: `example-${i}`,
        title: question,
        description: m.examplesTitle,
        input_message_content: { message_text: escapeHtml(question), parse_mode: 'HTML' },
      }));
    } else {
      const answer = deps.library.answer(query, { limit: MAX_INLINE_RESULTS });
      // A question about an article itself: the article, linked, with its source and date.
      const about = (answer.articleInfo ?? []).map((info, i): InlineQueryResult => {
        const facts = [info.source, info.date].filter(Boolean).join(' · ');
        return {
          type: 'article',
          id: `about-${i}`,
          title: truncate(info.title, 100),
          description: facts || info.url,
          ...(info.url ? { url: info.url } : {}),
          input_message_content: { message_text: `${linkHtml(info.title, info.url, 120)}${facts ? `\n${escapeHtml(facts)}` : ''}`, parse_mode: 'HTML' },
        };
      });
      results = [...about, ...answer.results.slice(0, MAX_INLINE_RESULTS - about.length).map((result): InlineQueryResult => ({
        type: 'article',
        id: result.passageId,
        title: truncate(`${result.heading} · ${result.articleTitle}`, 100),
        description: truncate(result.snippet, 200),
        ...(result.url ? { url: result.url } : {}),
        input_message_content: { message_text: passageHtml(result, lang), parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      }))];
    }
    await withRetry(() => ctx.answerInlineQuery(results, { cache_time: 60, is_personal: false }));
  });
  return feature;
}
