import { Composer, type Context } from 'telegraf';
import { messagesFor, withRetry, type BotDeps } from './context.js';

async function isGroupAdmin(ctx: Context): Promise<boolean> {
  if (!ctx.chat || ctx.chat.type === 'private') return true;
  if (!ctx.from) return false;
  const member = await ctx.telegram.getChatMember(ctx.chat.id, ctx.from.id);
  return member.status === 'creator' || member.status === 'administrator';
}

/** /subscribe [关键词], /unsubscribe, /subscriptions, /stats (admins). */
export function createSubscribeFeature(deps: BotDeps): Composer<Context> {
  const feature = new Composer<Context>();
  const isBotAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
  const subscriptions = deps.subscriptions;

  feature.command('subscribe', async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    if (!subscriptions) return;
    if (!(await isGroupAdmin(ctx))) return void (await ctx.reply(m.adminsOnly));
    const keywords = ctx.message.text.replace(/^\/subscribe(@\w+)?\s*/i, '').trim().slice(0, 200) || null;
    subscriptions.subscribe({ id: ctx.chat.id, type: ctx.chat.type, language: lang }, keywords);
    await withRetry(() => ctx.reply(keywords ? m.subscribedKeywords(keywords) : m.subscribed));
  });

  feature.command('unsubscribe', async (ctx) => {
    const { m } = messagesFor(ctx);
    if (!subscriptions) return;
    if (!(await isGroupAdmin(ctx))) return void (await ctx.reply(m.adminsOnly));
    await withRetry(() => ctx.reply(subscriptions.unsubscribe(ctx.chat.id) ? m.unsubscribed : m.notSubscribed));
  });

  feature.command('subscriptions', async (ctx) => {
    const { m } = messagesFor(ctx);
    if (!subscriptions) return;
    const current = subscriptions.subscription(ctx.chat.id);
    await withRetry(() => ctx.reply(current ? m.subscriptionStatus(current.keywords, current.since.slice(0, 10)) : m.notSubscribed));
  });

  feature.command('stats', async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    if (!isBotAdmin(ctx)) return void (await ctx.reply(m.botAdminsOnly));
    const stats = { ...(subscriptions?.stats() ?? {}), articles: deps.library.articles().length };
    const notices = m.stats(stats);
    // What readers asked (the question log), within Telegram's 4,096 characters.
    const questions = deps.feedback?.statsText(lang, 4096 - notices.length - 2);
    await withRetry(() => ctx.reply(questions ? `${notices}\n\n${questions}` : notices));
  });

  return feature;
}
