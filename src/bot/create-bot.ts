import { Telegraf, type Context } from 'telegraf';
import type { Config } from '../config.js';
import type { FeedsControl } from '../feeds/feeds-service.js';
import type { Library } from '../library-types.js';
import { redactToken, type Logger } from '../logger.js';
import { createAskFeature, createFallbackFeature } from './ask.js';
import { createBrowseFeature } from './browse.js';
import { messagesFor, readerKeyOf, type ArticleUploadHandler, type BotDeps, type Subscriptions } from './context.js';
import { createFeedsFeature } from './feeds.js';
import { createAnswerFeedback, createFeedbackFeature, type QuestionLogDeps } from './feedback.js';
import { createInlineFeature } from './inline.js';
import { MESSAGES } from './messages.js';
import { createQueryMemory, createRateLimiter, createUpdateDeduper } from './state.js';
import { createSubscribeFeature } from './subscribe.js';
import { createUploadFeature } from './upload.js';

export interface CreateBotOptions {
  config: Pick<Config, 'telegramToken' | 'telegramApiRoot' | 'adminIds' | 'questionsPerMinute'>;
  library: Library;
  logger: Logger;
  subscriptions?: Subscriptions | undefined;
  onArticleUpload?: ArticleUploadHandler | undefined;
  feeds?: FeedsControl | undefined;
  /** The question log: questions are logged and answers get 👍/👎 buttons. */
  questionLog?: QuestionLogDeps | undefined;
}

export interface Bot {
  telegraf: Telegraf<Context>;
  /** Registers the command menus (Chinese, and English for `en` users); failures are logged, not fatal. */
  registerCommands(): Promise<void>;
  /** When the last update arrived (for health checks). */
  lastUpdateAt(): Date | undefined;
}

/** The bot's features behind one error boundary. Not launched: see run-bot.ts. */
export function createBot(options: CreateBotOptions): Bot {
  const token = options.config.telegramToken;
  if (!token) throw new Error('createBot needs a token');
  const telegraf = new Telegraf<Context>(token, { telegram: { apiRoot: options.config.telegramApiRoot }, handlerTimeout: 60_000 });
  const deps: BotDeps = {
    config: options.config,
    library: options.library,
    logger: options.logger,
    queries: createQueryMemory(),
    scopes: new Map(),
    limiter: createRateLimiter(options.config.questionsPerMinute),
    subscriptions: options.subscriptions,
    onArticleUpload: options.onArticleUpload,
    feeds: options.feeds,
    feedback: createAnswerFeedback(options.questionLog, options.logger),
  };
  const isNew = createUpdateDeduper();

  // One error boundary: log what failed with the update id, tell the user kindly.
  telegraf.catch(async (error, ctx) => {
    const err = error instanceof Error ? { name: error.name, message: redactToken(error.message) } : { message: redactToken(String(error)) };
    options.logger.error({ err, update_id: ctx.update.update_id }, 'update failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery(messagesFor(ctx).m.error);
      else if (ctx.chat && ctx.chat.type === 'private') await ctx.reply(messagesFor(ctx).m.error);
    } catch {
      // The apology failing too is not worth more noise.
    }
  });

  // A crash mid-batch makes telegraf fetch the same updates again: handle each once.
  let lastUpdateAt: Date | undefined;
  telegraf.use((ctx, next) => {
    lastUpdateAt = new Date();
    return isNew(ctx.update.update_id) ? next() : undefined;
  });

  // Inline queries and button presses count against the reader's limit like questions: over
  // it, one "slow down", then nothing (a button in a group must not post a message per press).
  telegraf.use(async (ctx, next) => {
    if (!ctx.callbackQuery && !ctx.inlineQuery) return next();
    const reader = readerKeyOf(ctx);
    const verdict = reader === undefined ? 'allow' : deps.limiter.check(reader);
    if (verdict === 'allow') return next();
    const { m } = messagesFor(ctx);
    if (ctx.callbackQuery) return void (await ctx.answerCbQuery(verdict === 'warn' ? m.slowDown : undefined));
    return void (await ctx.answerInlineQuery([], { cache_time: 10, is_personal: true }));
  });

  const ask = createAskFeature(deps);
  telegraf.use(createBrowseFeature(deps, ask.answerQuestion));
  // Before subscriptions and questions: an admin's .opml document or link is for the feeds.
  telegraf.use(createFeedsFeature(deps));
  telegraf.use(createSubscribeFeature(deps));
  telegraf.use(createUploadFeature(deps));
  telegraf.use(createInlineFeature(deps));
  telegraf.use(createFeedbackFeature({ logger: options.logger, questionLog: options.questionLog }));
  telegraf.use(ask.feature);
  telegraf.use(createFallbackFeature(deps));

  async function registerCommands(): Promise<void> {
    const names = ['start', 'help', 'articles', 'sections', 'ask', 'subscribe', 'unsubscribe', 'subscriptions', 'privacy'] as const;
    for (const [lang, languageCode] of [['zh', undefined], ['en', 'en']] as const) {
      const commands = names.map((command) => ({ command, description: MESSAGES[lang].commands[command] }));
      try {
        await telegraf.telegram.setMyCommands(commands, languageCode ? { language_code: languageCode } : {});
      } catch (error) {
        options.logger.warn({ err: redactToken(String(error)), lang }, 'setMyCommands failed; continuing without the command menu');
      }
    }
  }

  return { telegraf, registerCommands, lastUpdateAt: () => lastUpdateAt };
}
