import { Composer, type Context } from 'telegraf';
import { messagesFor, withRetry, type BotDeps } from './context.js';

/** `/subscribe 来源:看雪学苑` follows a source by name; without the prefix the words are keywords. */
const SOURCE_PREFIX = /^(?:来源|來源|source)\s*[:：]\s*/i;

async function isGroupAdmin(ctx: Context): Promise<boolean> {
  if (!ctx.chat || ctx.chat.type === 'private') return true;
  if (!ctx.from) return false;
  const member = await ctx.telegram.getChatMember(ctx.chat.id, ctx.from.id);
  return member.status === 'creator' || member.status === 'administrator';
}

/** /subscribe [关键词 | 来源:名称], /unsubscribe [来源:名称], /subscriptions, /stats (admins). */
export function createSubscribeFeature(deps: BotDeps): Composer<Context> {
  const feature = new Composer<Context>();
  const isBotAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
  const subscriptions = deps.subscriptions;

  feature.command('subscribe', async (ctx) => {
    const { lang, m } = messagesFor(ctx);
    if (!subscriptions) return;
    if (!(await isGroupAdmin(ctx))) return void (await ctx.reply(m.adminsOnly));
    const text = ctx.message.text.replace(/^\/subscribe(@\w+)?\s*/i, '').trim();
    const chat = { id: ctx.chat.id, type: ctx.chat.type, language: lang };
    const sourcePrefix = SOURCE_PREFIX.exec(text);
    if (sourcePrefix && subscriptions.followSource) {
      const source = text.slice(sourcePrefix[0].length).trim().slice(0, 100);
      if (!source) return void (await ctx.reply(m.sourceUsage));
      const { isKnown } = subscriptions.followSource(chat, source);
      const current = subscriptions.subscription(chat.id);
      const status = current ? `\n${m.subscriptionStatus(current.keywords, current.since.slice(0, 10), current.sources)}` : '';
      const known = (subscriptions.knownSources?.() ?? []).slice(0, 20);
      return void (await withRetry(() => ctx.reply(`${isKnown ? m.subscribedSource(source) : m.unknownSource(source, known)}${status}`)));
    }
    const keywords = text.slice(0, 200) || null;
    subscriptions.subscribe(chat, keywords);
    // Words that are exactly a source's name: say how to follow the source instead.
    const isSourceName = keywords !== null && (subscriptions.knownSources?.() ?? []).some((s) => s.trim().toLowerCase() === keywords.toLowerCase());
    await withRetry(() => ctx.reply(keywords ? `${m.subscribedKeywords(keywords)}${isSourceName ? `\n${m.sourceHint(keywords)}` : ''}` : m.subscribed));
  });

  feature.command('unsubscribe', async (ctx) => {
    const { m } = messagesFor(ctx);
    if (!subscriptions) return;
    if (!(await isGroupAdmin(ctx))) return void (await ctx.reply(m.adminsOnly));
    const text = ctx.message.text.replace(/^\/unsubscribe(@\w+)?\s*/i, '').trim();
    const sourcePrefix = SOURCE_PREFIX.exec(text);
    if (sourcePrefix && subscriptions.unfollowSource) {
      const source = text.slice(sourcePrefix[0].length).trim();
      if (!subscriptions.unfollowSource(ctx.chat.id, source)) return void (await withRetry(() => ctx.reply(m.notFollowingSource(source))));
      const current = subscriptions.subscription(ctx.chat.id);
      const reply = current ? `${m.unsubscribedSource(source)}\n${m.subscriptionStatus(current.keywords, current.since.slice(0, 10), current.sources)}` : m.unsubscribedLastSource(source);
      return void (await withRetry(() => ctx.reply(reply)));
    }
    await withRetry(() => ctx.reply(subscriptions.unsubscribe(ctx.chat.id) ? m.unsubscribed : m.notSubscribed));
  });

  feature.command('subscriptions', async (ctx) => {
    const { m } = messagesFor(ctx);
    if (!subscriptions) return;
    const current = subscriptions.subscription(ctx.chat.id);
    await withRetry(() => ctx.reply(current ? m.subscriptionStatus(current.keywords, current.since.slice(0, 10), current.sources) : m.notSubscribed));
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
