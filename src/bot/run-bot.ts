import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Update } from 'telegraf/types';
import { redactToken, type Logger } from '../logger.js';
import type { Bot } from './create-bot.js';

export interface RunningBot {
  /** The HTTP server in webhook mode (for tests: its port). */
  server?: Server;
  stop(reason?: string): Promise<void>;
}

export interface WebhookSettings {
  url: string;
  secret: string;
  port: number;
  host?: string;
}

function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Starts the bot with long polling, or with a webhook when settings are given: an HTTP
 * server that accepts updates only with the right X-Telegram-Bot-Api-Secret-Token and
 * serves GET /healthz.
 */
export async function runBot(bot: Bot, options: { logger: Logger; webhook?: WebhookSettings | undefined; health: () => Record<string, unknown> }): Promise<RunningBot> {
  const { telegraf } = bot;
  const { logger } = options;
  await bot.registerCommands();

  if (!options.webhook) {
    let stopped = false;
    const polling = telegraf.launch({ dropPendingUpdates: false }).catch((error: unknown) => {
      if (!stopped) logger.fatal({ err: redactToken(String(error)) }, 'long polling stopped');
    });
    logger.info('bot running with long polling');
    return {
      async stop(reason = 'stop') {
        stopped = true;
        telegraf.stop(reason);
        await polling;
      },
    };
  }

  const webhook = options.webhook;
  const path = new URL(webhook.url).pathname || '/';
  telegraf.botInfo ??= await telegraf.telegram.getMe();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, ...options.health() }));
        return;
      }
      if (req.method !== 'POST' || url.pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      if (!secretMatches(webhook.secret, req.headers['x-telegram-bot-api-secret-token'])) {
        logger.warn({ remote: req.socket.remoteAddress }, 'webhook request without the right secret token rejected');
        res.writeHead(401).end();
        return;
      }
      let body = '';
      for await (const chunk of req) {
        body += String(chunk);
        if (body.length > 1_000_000) {
          res.writeHead(413).end();
          return;
        }
      }
      let update: Update;
      try {
        update = JSON.parse(body) as Update;
      } catch {
        res.writeHead(400).end();
        return;
      }
      // Answer Telegram at once; the update is handled behind the error boundary.
      res.writeHead(200).end();
      await telegraf.handleUpdate(update);
    })().catch((error: unknown) => logger.error({ err: redactToken(String(error)) }, 'webhook request failed'));
  });
  await new Promise<void>((resolve) => server.listen(webhook.port, webhook.host ?? '0.0.0.0', resolve));
  await telegraf.telegram.setWebhook(webhook.url, { secret_token: webhook.secret, drop_pending_updates: false });
  logger.info({ port: webhook.port, path }, 'bot running with a webhook');
  return {
    server,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
