import { Composer, type Context } from 'telegraf';
import type { InlineQueryResult } from 'telegraf/types';
import { escapeHtml, truncate } from '../format/html.js';
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
      results = answer.results.map((result) => ({
        type: 'article',
        id: result.passageId,
        title: truncate(`${result.heading} · ${result.articleTitle}`, 100),
        description: truncate(result.snippet, 200),
        url: result.url,
        input_message_content: { message_text: passageHtml(result, lang), parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      }));
    }
    await withRetry(() => ctx.answerInlineQuery(results, { cache_time: 60, is_personal: false }));
  });
  return feature;
}
