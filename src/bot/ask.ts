import { Composer, type Context } from 'telegraf';
import type { Message } from 'telegraf/types';
import { MAX_QUERY_CHARS } from '../answer/answer.js';
import { escapeHtml } from '../format/html.js';
import { HTML_OPTIONS, isNotModified, messagesFor, readerKeyOf, scopeKey, withRetry, type BotDeps } from './context.js';
import { keepVoteRow } from './feedback.js';
import { formatAnswer, formatContext } from './format-answer.js';

const PAGE_SIZE = 3;

/** Decodes a /start deep-link payload: base64url of a UTF-8 question. */
export function decodeStartPayload(payload: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(payload)) return undefined;
  const text = Buffer.from(payload, 'base64url').toString('utf8').trim();
  return text && !text.includes('\uFFFD') ? text : undefined;
}

export function encodeStartPayload(question: string): string | undefined {
  const payload = Buffer.from(question, 'utf8').toString('base64url');
  return payload.length <= 64 ? payload : undefined;
}

/** Questions (private chats, /ask, mentions and replies in groups), paging and context. */
export function createAskFeature(deps: BotDeps): { feature: Composer<Context>; answerQuestion: (ctx: Context, question: string) => Promise<void> } {
  const { library, queries, scopes, limiter } = deps;
  const feature = new Composer<Context>();

  async function answerQuestion(ctx: Context, raw: string): Promise<void> {
    const { lang, m } = messagesFor(ctx);
    const asked = ctx.message ?? ctx.editedMessage;
    const reader = readerKeyOf(ctx);
    // Over the limit: say so once, then stay quiet until the window frees.
    const verdict = reader === undefined ? 'allow' : limiter.check(reader);
    if (verdict === 'warn') await withRetry(() => ctx.reply(m.slowDown));
    if (verdict !== 'allow') return;
    const question = raw.trim();
    const note = question.length > MAX_QUERY_CHARS ? m.queryCut(MAX_QUERY_CHARS) : undefined;
    const query = question.slice(0, MAX_QUERY_CHARS);
    const chatId = ctx.chat?.id;
    const scope = chatId === undefined ? undefined : scopeKey(chatId, reader);
    const articleId = scope === undefined ? undefined : scopes.get(scope);
    if (scope !== undefined) scopes.delete(scope);
    const scopeTitle = articleId ? library.article(articleId)?.title : undefined;
    const answer = library.answer(query, { limit: PAGE_SIZE, ...(scopeTitle ? { articleId } : {}) });
    const queryKey = queries.remember(query, scopeTitle ? articleId : undefined);
    const examples = answer.results.length ? [] : library.exampleQuestions(3);
    const message = formatAnswer(answer, { lang, offset: 0, queryKey, examples, scopeTitle, note });
    // The question goes to the log (if any); an answer to judge gets a 👍/👎 row.
    const voteRow = deps.feedback?.logAnswer(ctx, query, answer);
    const keyboard = voteRow ? [...message.keyboard, voteRow] : message.keyboard;
    await withRetry(() =>
      ctx.reply(message.html, {
        ...HTML_OPTIONS,
        ...(keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        ...(ctx.chat?.type !== 'private' && asked ? { reply_parameters: { message_id: asked.message_id, allow_sending_without_reply: true } } : {}),
      }),
    );
  }

  feature.command('ask', async (ctx) => {
    const question = ctx.message.text.replace(/^\/ask(@\w+)?\s*/i, '');
    if (!question.trim()) {
      await ctx.reply(messagesFor(ctx).m.askUsage);
      return;
    }
    await answerQuestion(ctx, question);
  });

  /** A text message (new, or edited to fix the question): answered in private chats; in groups, mentions and replies to the bot. */
  async function onText(ctx: Context, message: Message, next: () => Promise<void>): Promise<void> {
    if (!('text' in message) || message.text.startsWith('/')) return next();
    const text = message.text;
    if (message.chat.type === 'private') return answerQuestion(ctx, text);
    // In groups: only mentions of the bot and replies to it.
    const username = ctx.botInfo.username;
    const mention = new RegExp(`@${username}\\b`, 'i');
    const isReplyToBot = message.reply_to_message?.from?.id === ctx.botInfo.id;
    if (mention.test(text)) return answerQuestion(ctx, text.replace(mention, ' '));
    if (isReplyToBot) return answerQuestion(ctx, text);
    return undefined;
  }
  feature.on('message', (ctx, next) => onText(ctx, ctx.message, next));
  // Telegram tells of edits too: a corrected question gets a fresh answer.
  feature.on('edited_message', (ctx, next) => onText(ctx, ctx.editedMessage, next));

  // more:<queryKey>:<offset> — a page of the answer, edited in place.
  feature.action(/^more:([A-Za-z0-9_-]{10}):(\d{1,4})$/, async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    const [, key = '', offsetText = '0'] = ctx.match;
    const remembered = queries.recall(key);
    if (!remembered) {
      await ctx.answerCbQuery(m.expired);
      return;
    }
    const offset = Number(offsetText);
    const answer = library.answer(remembered.query, { offset, limit: PAGE_SIZE, ...(remembered.articleId ? { articleId: remembered.articleId } : {}) });
    const scopeTitle = remembered.articleId ? library.article(remembered.articleId)?.title : undefined;
    const message = formatAnswer(answer, { lang, offset, queryKey: key, scopeTitle });
    await ctx.answerCbQuery();
    try {
      await withRetry(() => ctx.editMessageText(message.html, { ...HTML_OPTIONS, reply_markup: { inline_keyboard: keepVoteRow(ctx, message.keyboard) } }));
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  });

  // ctx:<articleId>:<section>:<paragraph>:<queryKey>:<offset> — the paragraph with its neighbours.
  feature.action(/^ctx:([0-9a-f]{10}:\d{1,4}:\d{1,4}):([A-Za-z0-9_-]{10}):(\d{1,4})$/, async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    const [, passageId = '', key = '', offset = '0'] = ctx.match;
    const context = library.passageContext(passageId, 1);
    if (!context) {
      await ctx.answerCbQuery(m.noContext);
      return;
    }
    const message = formatContext(context, lang, { queryKey: key, offset: Number(offset) });
    await ctx.answerCbQuery();
    try {
      await withRetry(() => ctx.editMessageText(message.html, { ...HTML_OPTIONS, reply_markup: { inline_keyboard: keepVoteRow(ctx, message.keyboard) } }));
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  });

  return { feature, answerQuestion };
}

/** Last in line: stickers, photos, voice, unknown commands in private chats get a short hint. */
export function createFallbackFeature(deps: BotDeps): Composer<Context> {
  const feature = new Composer<Context>();
  // Every callback gets an answer, even one no feature knows (stale or forged).
  feature.on('callback_query', (ctx) => ctx.answerCbQuery(messagesFor(ctx).m.invalidButton));
  feature.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    const { m } = messagesFor(ctx);
    const examples = deps.library.exampleQuestions(2);
    await withRetry(() => ctx.reply([escapeHtml(m.nonText), ...examples.map((q) => `• ${escapeHtml(q)}`)].join('\n'), HTML_OPTIONS));
  });
  return feature;
}
