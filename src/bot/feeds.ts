import { Composer, type Context } from 'telegraf';
import type { FeedRecord } from '../feeds/feed-store.js';
import { escapeHtml, truncate } from '../format/html.js';
import { HTML_OPTIONS, messagesFor, withRetry, type BotDeps } from './context.js';
import type { Messages } from './messages.js';
import { downloadCapped, TooLargeError } from './upload.js';

const MAX_OPML_BYTES = 1024 * 1024;
/** Room under Telegram's 4,096 characters for one message of the feed list. */
const MAX_MESSAGE_CHARS = 3500;

/** A message that is a link and nothing else (angle brackets and trailing punctuation allowed). */
export function linkIn(text: string): string | undefined {
  const match = /^<?(https?:\/\/[^\s<>]+?)>?[。.,，]?$/i.exec(text.trim());
  return match?.[1];
}

/** "5 分钟前", "in 3 h": the coarsest unit that is not zero. */
function relative(m: Messages, at: number, now: number): string {
  const diff = at - now;
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const [n, unit] = minutes < 60 ? [minutes, 'm' as const] : minutes < 48 * 60 ? [Math.round(minutes / 60), 'h' as const] : [Math.round(minutes / 1440), 'd' as const];
  return diff < 0 ? m.feeds.ago(n, unit) : m.feeds.later(n, unit);
}

/** One feed in the list: number, title, health, URL, and when it was and will be read. */
export function formatFeed(feed: FeedRecord, m: Messages, now = Date.now()): string {
  const title = feed.title ?? new URL(feed.url).hostname;
  const health = feed.failures > 0 ? m.feeds.failing(feed.failures) : feed.firstReadAt ? m.feeds.ok : m.feeds.unread;
  const lines = [`#${feed.id} <b>${escapeHtml(truncate(title, 80))}</b> ${health}`, escapeHtml(truncate(feed.url, 200))];
  if (feed.failures > 0 && feed.lastError) lines.push(escapeHtml(m.feeds.error(truncate(feed.lastError, 200), feed.lastErrorAt ? relative(m, Date.parse(feed.lastErrorAt), now) : '')));
  const when = feed.failures > 0 ? m.feeds.retry : m.feeds.next;
  lines.push(
    [feed.lastOkAt ? m.feeds.lastOk(relative(m, Date.parse(feed.lastOkAt), now)) : m.feeds.never, m.feeds.articles(feed.items), when(relative(m, Math.max(feed.nextPollAt, now), now))]
      .map(escapeHtml)
      .join(' · '),
  );
  return lines.join('\n');
}

/** The feed list in as few messages as fit. */
export function formatFeedList(feeds: FeedRecord[], m: Messages, now = Date.now()): string[] {
  if (!feeds.length) return [escapeHtml(m.feeds.none)];
  const messages: string[] = [];
  let current = escapeHtml(m.feeds.title(feeds.length));
  for (const feed of feeds) {
    const block = formatFeed(feed, m, now);
    if (current.length + block.length + 2 > MAX_MESSAGE_CHARS) {
      messages.push(current);
      current = block;
    } else current += `\n\n${block}`;
  }
  messages.push(`${current}\n\n${escapeHtml(m.feeds.footer)}`);
  return messages;
}

/** Admins, in private: /feeds, /addfeed, /removefeed, an .opml document, a link to take. */
export function createFeedsFeature(deps: BotDeps): Composer<Context> {
  const feature = new Composer<Context>();
  const feeds = deps.feeds;
  if (!feeds) return feature;
  const isBotAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);

  /** Admin commands answer only admins, and only in private (feed URLs can carry secrets). */
  async function allowed(ctx: Context): Promise<boolean> {
    const { m } = messagesFor(ctx);
    if (!isBotAdmin(ctx)) {
      await ctx.reply(m.botAdminsOnly);
      return false;
    }
    if (ctx.chat?.type !== 'private') {
      await ctx.reply(m.feeds.privateOnly);
      return false;
    }
    return true;
  }
  const argumentOf = (text: string) => text.replace(/^\/\w+(@\w+)?\s*/, '').trim();

  feature.command('feeds', async (ctx) => {
    if (!(await allowed(ctx))) return;
    const { m } = messagesFor(ctx);
    if (argumentOf(ctx.message.text).toLowerCase() === 'opml') {
      await ctx.replyWithDocument({ source: Buffer.from(feeds.exportOpml()), filename: 'feeds.opml' });
      return;
    }
    for (const html of formatFeedList(feeds.list(), m)) await withRetry(() => ctx.reply(html, HTML_OPTIONS));
  });

  feature.command('addfeed', async (ctx) => {
    if (!(await allowed(ctx))) return;
    const { m } = messagesFor(ctx);
    const url = linkIn(argumentOf(ctx.message.text));
    if (!url) return void (await ctx.reply(m.feeds.addUsage));
    await ctx.sendChatAction('typing');
    const chatId = ctx.chat.id;
    const result = await feeds.add(url, (outcome) => {
      const title = outcome.report?.title ?? url;
      const text = outcome.report ? m.feeds.firstRead(title, outcome.report.added, outcome.report.failed.length) : m.feeds.firstReadFailed(title, outcome.error ?? '');
      ctx.telegram.sendMessage(chatId, text).catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'could not tell the admin how a first read went'));
    });
    if (result.ok) {
      const title = result.title ?? result.feed.title ?? url;
      await withRetry(() => ctx.reply(result.status === 'restored' ? m.feeds.restored(result.feed.id, title) : m.feeds.added(result.feed.id, title, result.items)));
    } else if (result.feed) {
      await withRetry(() => ctx.reply(m.feeds.already(result.feed!.id, result.feed!.title ?? result.feed!.url)));
    } else {
      await withRetry(() => ctx.reply(m.feeds.addFailed(result.reason)));
    }
  });

  feature.command('removefeed', async (ctx) => {
    if (!(await allowed(ctx))) return;
    const { m } = messagesFor(ctx);
    const ref = argumentOf(ctx.message.text);
    if (!ref) return void (await ctx.reply(m.feeds.removeUsage));
    const removed = feeds.remove(ref);
    await withRetry(() => ctx.reply(removed ? m.feeds.removed(removed.id, removed.title ?? removed.url) : m.feeds.notFound(ref)));
  });

  feature.on('message', async (ctx, next) => {
    if (ctx.chat.type !== 'private' || !isBotAdmin(ctx)) return next();
    const { m } = messagesFor(ctx);
    const message = ctx.message;
    if ('document' in message && /\.opml$/i.test(message.document.file_name ?? '')) {
      if ((message.document.file_size ?? 0) > MAX_OPML_BYTES) return void (await ctx.reply(m.feeds.tooLarge));
      let bytes: Uint8Array;
      try {
        bytes = await downloadCapped(await ctx.telegram.getFileLink(message.document.file_id), MAX_OPML_BYTES);
      } catch (error) {
        if (error instanceof TooLargeError) return void (await ctx.reply(m.feeds.tooLarge));
        throw error;
      }
      let reply: string;
      try {
        reply = m.feeds.imported(feeds.importOpml(Buffer.from(bytes).toString('utf8')));
      } catch (error) {
        reply = m.feeds.importFailed(error instanceof Error ? error.message : String(error));
      }
      return void (await withRetry(() => ctx.reply(reply)));
    }
    const url = 'text' in message ? linkIn(message.text) : undefined;
    if (!url) return next();
    await ctx.sendChatAction('typing');
    const result = await feeds.addLink(url);
    const reply = !result.ok
      ? m.feeds.linkFailed(result.reason)
      : result.outcome === 'added'
        ? m.feeds.linkAdded(result.title, result.paragraphs)
        : result.outcome === 'updated'
          ? m.feeds.linkUpdated(result.title, result.paragraphs)
          : m.feeds.linkUnchanged(result.title, result.paragraphs);
    await withRetry(() => ctx.reply(reply));
  });

  return feature;
}
