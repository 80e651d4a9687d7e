import { mkdirSync } from 'node:fs';
import { runConsoleChat } from './bot/console-chat.js';
import { createBot } from './bot/create-bot.js';
import { runBot, type RunningBot } from './bot/run-bot.js';
import type { Config } from './config.js';
import { openLibrary } from './library.js';
import type { Logger } from './logger.js';

export interface App {
  /** Resolves when the app has nothing more to do (the console chat ended); the bot runs until stopped. */
  done: Promise<void>;
  stop(reason?: string): Promise<void>;
}

export interface AppIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

/** Wires configuration, corpus, index, bot or console chat. */
export async function startApp(config: Config, logger: Logger, io: AppIo): Promise<App> {
  mkdirSync(config.dataDir, { recursive: true });
  const { library, corpus } = openLibrary(config.corpusDir);
  for (const error of corpus.errors) logger.warn({ file: error.file, reason: error.reason }, 'article skipped');
  logger.info({ articles: corpus.articles.length, passages: library.index.passageCount, skipped: corpus.errors.length }, 'corpus indexed');

  if (!config.telegramToken) {
    io.output.write('TELEGRAM_BOT_TOKEN is not set, so the Telegram bot is off. Here is a console chat over the same answers\n(set the token in .env to run the bot; see .env.example).\n\n');
    const done = runConsoleChat({ library, input: io.input, output: io.output, prompt: io.interactive });
    return { done, stop: async () => undefined };
  }

  const bot = createBot({ config, library, logger });
  let running: RunningBot | undefined = await runBot(bot, {
    logger,
    webhook: config.webhook,
    health: () => ({ articles: library.articles().length }),
  });
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  return {
    done,
    async stop(reason) {
      await running?.stop(reason);
      running = undefined;
      resolveDone();
    },
  };
}
