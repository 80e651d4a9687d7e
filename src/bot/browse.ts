import { Composer, type Context } from 'telegraf';
import { escapeHtml, linkHtml, truncate } from '../format/html.js';
import { decodeStartPayload } from './ask.js';
import { HTML_OPTIONS, messagesFor, readerKeyOf, scopeKey, withRetry, type BotDeps } from './context.js';

const MAX_LIST = 30;

/** /start, /help, /articles, /sections and /cancel. */
export function createBrowseFeature(deps: BotDeps, askQuestion: (ctx: Context, question: string) => Promise<void>): Composer<Context> {
  const { library } = deps;
  const feature = new Composer<Context>();

  function helpHtml(ctx: Context, withWelcome: boolean): string {
    const { m } = messagesFor(ctx);
    const examples = library.exampleQuestions(3);
    const lines: string[] = [];
    if (withWelcome) lines.push(escapeHtml(m.welcome(ctx.from?.first_name ?? '')));
    lines.push(escapeHtml(m.howToAsk));
    if (examples.length) lines.push('', escapeHtml(m.examplesTitle), ...examples.map((q) => `• ${escapeHtml(q)}`));
    lines.push('', escapeHtml(m.helpCommands), '', escapeHtml(m.inlineHint.replace('{bot}', ctx.botInfo?.username ?? 'bot')));
    return lines.join('\n');
  }

  feature.start(async (ctx) => {
    const payload = ctx.message.text.split(/\s+/)[1] ?? '';
    const question = payload ? decodeStartPayload(payload) : undefined;
    if (question) return askQuestion(ctx, question);
    await withRetry(() => ctx.reply(helpHtml(ctx, true), HTML_OPTIONS));
  });

  feature.help((ctx) => withRetry(() => ctx.reply(helpHtml(ctx, false), HTML_OPTIONS)));

  feature.command('articles', async (ctx) => {
    const { m } = messagesFor(ctx);
    const articles = library.articles();
    if (!articles.length) return void (await ctx.reply(m.noArticles));
    const lines = articles.slice(0, MAX_LIST).map((a, i) => {
      const date = a.date ? `${a.date} · ` : '';
      return `${i + 1}. ${escapeHtml(date)}${linkHtml(a.title, a.url, 120)}${a.source ? ` · ${escapeHtml(truncate(a.source, 40))}` : ''}`;
    });
    if (articles.length > MAX_LIST) lines.push(`… (${articles.length})`);
    await withRetry(() =>
      ctx.reply([escapeHtml(m.articlesTitle), ...lines].join('\n'), {
        ...HTML_OPTIONS,
        reply_markup: { inline_keyboard: articles.slice(0, 10).map((a, i) => [{ text: `${i + 1}. ${truncate(a.title, 40)}`, callback_data: `sec:${a.id}` }]) },
      }),
    );
  });

  function sectionsHtml(ctx: Context, articleId: string): string | undefined {
    const { m } = messagesFor(ctx);
    const article = library.article(articleId);
    if (!article) return undefined;
    const headings = library.sectionHeadings(articleId);
    const lines = article.sections.map((s, i) => `${i + 1}. ${escapeHtml(truncate(headings[i] ?? s.heading, 60))} (${s.paragraphs.length})`);
    return [linkHtml(m.sectionsTitle(truncate(article.title, 120)), article.url), ...lines].join('\n');
  }

  feature.command('sections', async (ctx) => {
    const { m } = messagesFor(ctx);
    const articles = library.articles();
    if (!articles.length) return void (await ctx.reply(m.noArticles));
    if (articles.length === 1) return void (await withRetry(() => ctx.reply(sectionsHtml(ctx, articles[0]!.id) ?? '', HTML_OPTIONS)));
    await ctx.reply(m.chooseArticle, {
      reply_markup: { inline_keyboard: articles.slice(0, 10).map((a, i) => [{ text: `${i + 1}. ${truncate(a.title, 40)}`, callback_data: `sec:${a.id}` }]) },
    });
  });

  feature.action(/^sec:([0-9a-f]{10})$/, async (ctx) => {
    const { m } = messagesFor(ctx);
    const html = sectionsHtml(ctx, ctx.match[1] ?? '');
    if (!html) return void (await ctx.answerCbQuery(m.invalidButton));
    await ctx.answerCbQuery();
    await withRetry(() => ctx.reply(html, HTML_OPTIONS));
  });

  feature.command('cancel', async (ctx) => {
    const { m } = messagesFor(ctx);
    await ctx.reply(deps.scopes.delete(scopeKey(ctx.chat.id, readerKeyOf(ctx))) ? m.scopeCancelled : m.scopeNone);
  });

  // scope:<articleId> — from a new-article notice: the presser's next question in this chat
  // searches that article (in a group, only theirs: no member can limit another's question).
  feature.action(/^scope:([0-9a-f]{10})$/, async (ctx) => {
    const { m } = messagesFor(ctx);
    const article = library.article(ctx.match[1] ?? '');
    const chatId = ctx.chat?.id;
    if (!article || chatId === undefined) return void (await ctx.answerCbQuery(m.invalidButton));
    deps.scopes.set(scopeKey(chatId, readerKeyOf(ctx)), article.id);
    // In a group a toast to the one who pressed, not a message to everyone.
    if (ctx.chat?.type === 'private') {
      await ctx.answerCbQuery();
      await ctx.reply(m.scoped(truncate(article.title, 120)));
    } else {
      await ctx.answerCbQuery(m.scoped(truncate(article.title, 120)).slice(0, 200));
    }
  });

  return feature;
}

