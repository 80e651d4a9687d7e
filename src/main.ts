import 'dotenv/config';
import { startApp } from './app.js';
import { BotFatalError } from './bot/run-bot.js';
import { ConfigError, parseConfig } from './config.js';
import { createLogger, redactToken } from './logger.js';

/** `npm start`: configuration → corpus → index → bot (or console chat) + notices. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // The console chat is for people: keep routine logs out of its way unless asked for.
  const logger = createLogger(config.telegramToken || process.env['LOG_LEVEL'] ? config.logLevel : 'warn');
  let app;
  try {
    app = await startApp(config, logger, { input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY === true });
  } catch (error) {
    // A missing folder or an unwritable database is a setup problem: say so, no stack trace.
    process.stderr.write(`Could not start: ${redactToken(error instanceof Error ? error.message : String(error))}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void app.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await app.done;
  } catch (error) {
    // The bot gave up: one plain line, and a non-zero exit for the supervisor.
    if (!(error instanceof BotFatalError)) throw error;
    process.stderr.write(`The bot stopped: ${redactToken(error.message)}\n`);
    if (!stopping) await app.stop('fatal').catch(() => undefined);
    process.exit(1);
  }
  if (!stopping) await app.stop('done');
}

await main();
