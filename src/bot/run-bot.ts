import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { redactToken, type Logger } from '../logger.js';
import type { Bot } from './create-bot.js';

/** The bot cannot run and retrying will not help (bad token, another instance polling). */
export class BotFatalError extends Error {
  override name = 'BotFatalError';
}

export type BotState = 'starting' | 'running' | 'retrying' | 'stopped' | 'failed';

/** What the process knows of itself, kept in memory: /healthz reads only this. */
export interface BotStatus {
  mode: 'polling' | 'webhook';
  state: BotState;
  startedAt: string;
  /** When the last update arrived (any kind). */
  lastUpdateAt: string | undefined;
  /** Why the last attempt to reach Telegram failed, while retrying. */
  lastError: string | undefined;
}

export interface RunningBot {
  /** The HTTP server in webhook mode (for tests: its port). */
  server?: Server;
  status(): BotStatus;
  /** Rejects with a BotFatalError when the bot gives up; never settles otherwise. */
  failed: Promise<never>;
  stop(reason?: string): Promise<void>;
}

export interface WebhookSettings {
  url: string;
  secret: string;
  port: number;
  host?: string;
}

/** Numbers only an operator may see; each read may cost a query, so they are cached. */
export interface HealthSource {
  /** Notices waiting to be sent (cheap: counts the due index). */
  backlog(): number;
  /** Subscribers, articles, deliveries by state (costly on a big database). */
  counts(): Record<string, number>;
}

export interface RetrySettings {
  /** First wait after a transient failure; doubles up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** 409 Conflict (another getUpdates consumer) for this long means it is not going away. */
  conflictGiveUpMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { baseMs: 1000, maxMs: 60_000, conflictGiveUpMs: 120_000 };
/** How long /healthz reuses the backlog it read, and the operator's counts. */
const BACKLOG_CACHE_MS = 5_000;
const COUNTS_CACHE_MS = 60_000;
const MAX_BODY_BYTES = 1_000_000;

function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A failure that retrying will not mend, described in one line; undefined when it may pass. */
function permanentFailure(error: unknown, conflictFor: number, retry: RetrySettings): string | undefined {
  if (!(error instanceof TelegramError)) return undefined;
  if (error.code === 401 || (error.code === 404 && /not found/i.test(error.description))) {
    return `Telegram refused the bot token (${error.code} ${error.description}); check TELEGRAM_BOT_TOKEN`;
  }
  if (error.code === 409 && conflictFor >= retry.conflictGiveUpMs) {
    return `another process keeps using this bot token (409 Conflict for ${Math.round(conflictFor / 1000)} s); stop it, or give this one its own token`;
  }
  return undefined;
}

/** Reads a request body as bytes, at most `max` of them, decoded once (a character may span chunks). */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.byteLength;
    if (size > max) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts the bot with long polling, or with a webhook when settings are given: an HTTP
 * server that accepts updates only with the right X-Telegram-Bot-Api-Secret-Token and
 * serves GET /healthz. Long polling that fails is retried with backoff; a failure that
 * retrying cannot mend (bad token, another instance that stays) rejects `failed`.
 */
export async function runBot(
  bot: Bot,
  options: { logger: Logger; webhook?: WebhookSettings | undefined; health?: HealthSource | undefined; retry?: RetrySettings },
): Promise<RunningBot> {
  const { telegraf } = bot;
  const { logger } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const status: BotStatus = {
    mode: options.webhook ? 'webhook' : 'polling',
    state: 'starting',
    startedAt: new Date().toISOString(),
    lastUpdateAt: undefined,
    lastError: undefined,
  };
  const current = (): BotStatus => ({ ...status, lastUpdateAt: bot.lastUpdateAt()?.toISOString() });
  let fail: (error: BotFatalError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Nobody may be listening yet; the rejection is still delivered to whoever awaits it later.
  failed.catch(() => undefined);
  await bot.registerCommands();

  if (!options.webhook) return startPolling();
  return startWebhook(options.webhook);

  function startPolling(): RunningBot {
    let stopped = false;
    let wake: () => void = () => undefined;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    async function supervise(): Promise<void> {
      let failures = 0;
      let conflictSince: number | undefined;
      while (!stopped) {
        const launchedAt = Date.now();
        try {
          await telegraf.launch({ dropPendingUpdates: false }, () => {
            status.state = 'running';
          });
          if (stopped) break;
          throw new Error('long polling ended by itself');
        } catch (error) {
          if (stopped) break;
          const now = Date.now();
          const isConflict = error instanceof TelegramError && error.code === 409;
          conflictSince = isConflict ? (conflictSince ?? launchedAt) : undefined;
          const permanent = permanentFailure(error, isConflict ? now - (conflictSince ?? now) : 0, retry);
          if (permanent) {
            status.state = 'failed';
            status.lastError = permanent;
            logger.fatal({ reason: permanent }, 'the bot cannot run');
            fail(new BotFatalError(permanent));
            return;
          }
          // A run that went well for a while starts the backoff over.
          if (now - launchedAt > retry.maxMs) failures = 0;
          failures++;
          const waitMs = Math.min(retry.maxMs, retry.baseMs * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
          status.state = 'retrying';
          status.lastError = redactToken(error instanceof Error ? error.message : String(error));
          logger.warn({ err: status.lastError, retryInMs: Math.round(waitMs), failures }, 'long polling failed; retrying');
          await pause(waitMs);
        }
      }
    }

    const supervising = supervise();
    logger.info('bot running with long polling');
    return {
      status: current,
      failed,
      async stop(reason = 'stop') {
        stopped = true;
        wake();
        try {
          telegraf.stop(reason);
        } catch {
          // Not polling at this moment (between retries): nothing to stop.
        }
        await supervising;
        if (status.state !== 'failed') status.state = 'stopped';
      },
    };
  }

  async function startWebhook(webhook: WebhookSettings): Promise<RunningBot> {
    const path = new URL(webhook.url).pathname || '/';
    telegraf.botInfo ??= await telegraf.telegram.getMe();
    const cached = <T>(read: () => T, ttlMs: number) => {
      let value: { at: number; data: T } | undefined;
      return () => {
        if (!value || Date.now() - value.at > ttlMs) value = { at: Date.now(), data: read() };
        return value.data;
      };
    };
    const backlog = options.health ? cached(() => options.health?.backlog() ?? 0, BACKLOG_CACHE_MS) : () => 0;
    const counts = options.health ? cached(() => options.health?.counts() ?? {}, COUNTS_CACHE_MS) : () => ({});

    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (req.method === 'GET' && url.pathname === '/healthz') {
          // From memory: no counts for strangers, and no query per request.
          const ok = status.state === 'running';
          const { mode, state, startedAt, lastUpdateAt } = current();
          const body: Record<string, unknown> = { ok, mode, state, startedAt, lastUpdateAt: lastUpdateAt ?? null };
          if (secretMatches(webhook.secret, req.headers['x-telegram-bot-api-secret-token'])) Object.assign(body, { backlog: backlog(), ...counts() });
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify(body));
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
        const body = await readBody(req, MAX_BODY_BYTES);
        if (body === undefined) {
          res.writeHead(413, { connection: 'close' }).end();
          req.destroy();
          return;
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
    status.state = 'running';
    logger.info({ host: webhook.host ?? '0.0.0.0', port: webhook.port, path }, 'bot running with a webhook');
    return {
      server,
      status: current,
      failed,
      async stop() {
        status.state = 'stopped';
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }
}
