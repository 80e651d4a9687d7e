import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Redacts anything shaped like a bot token, wherever it hides (URLs, error messages). */
export function redactToken(text: string): string {
  return text.replace(/\d{5,}:[A-Za-z0-9_-]{30,}/g, '<token>');
}

/** Structured JSON logs on stderr; the bot token never reaches them. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'config.telegramToken', 'telegramToken'], censor: '<token>' },
      hooks: {
        streamWrite: (line) => redactToken(line),
      },
    },
    destination,
  );
}
