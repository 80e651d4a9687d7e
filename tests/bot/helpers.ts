import pino from 'pino';
import { createBot, type CreateBotOptions } from '../../src/bot/create-bot.js';
import { runBot, type RunningBot } from '../../src/bot/run-bot.js';
import { openLibrary } from '../../src/library.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';

export const silentLogger = pino({ level: 'silent' });
export const library = openLibrary('corpus').library;

export interface BotHarness {
  stub: TelegramStub;
  running: RunningBot;
  close(): Promise<void>;
}

/** A real bot, long polling a local Bot API server, over the real corpus. */
export async function startBotHarness(
  overrides: Partial<Omit<CreateBotOptions, 'config'>> & { questionsPerMinute?: number } = {},
  prepare?: (stub: TelegramStub) => void,
): Promise<BotHarness> {
  const stub = await startTelegramStub();
  prepare?.(stub);
  const bot = createBot({
    config: { telegramToken: stub.token, telegramApiRoot: stub.apiRoot, adminIds: [4242], questionsPerMinute: overrides.questionsPerMinute ?? 20 },
    library,
    logger: silentLogger,
    ...overrides,
  });
  const running = await runBot(bot, { logger: silentLogger });
  return {
    stub,
    running,
    async close() {
      await running.stop();
      await stub.close();
    },
  };
}
