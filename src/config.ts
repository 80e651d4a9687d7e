import { z } from 'zod';

/** Everything the bot reads from the environment, validated once at start-up. */
export interface Config {
  /** Absent: no Telegram; the console chat runs instead. */
  telegramToken: string | undefined;
  telegramApiRoot: string;
  webhook: { url: string; secret: string; port: number; host: string } | undefined;
  corpusDir: string;
  dataDir: string;
  adminIds: number[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Questions one user may ask per minute before a polite slow-down reply. */
  questionsPerMinute: number;
  /** Watch the corpus folder for new and changed articles. */
  watchCorpus: boolean;
  /** Feed URLs from the configuration (admins add more with /addfeed or OPML). */
  feeds: string[];
  /** Seconds between two reads of one feed (before jitter and backoff). */
  feedIntervalSeconds: number;
  /** Let feeds and links reach loopback, private and link-local addresses (tests, intranets). */
  fetchAllowPrivate: boolean;
  fetchTimeoutSeconds: number;
  /** A response longer than this is cut off and reported, never read whole. */
  fetchMaxBytes: number;
  /** Days questions and votes are kept in the question log; 0 turns the log (and vote buttons) off. */
  questionLogDays: number;
  /** Key of the hashes that stand for user ids in the log; absent: one generated once into DATA_DIR. */
  questionLogSecret: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const schema = z.object({
    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA… (the token @BotFather gave you)').optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org')),
    WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ message: 'must be the public https URL Telegram posts updates to' }).optional()),
    WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -').optional(),
    ),
    WEBHOOK_HOST: z.preprocess(
      emptyToUndefined,
      z.string().trim().regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'must be an address to listen on, e.g. 127.0.0.1 (behind a reverse proxy) or 0.0.0.0').default('0.0.0.0'),
    ),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a port number, 1–65535' }).int().min(1).max(65535).default(8080)),
    CORPUS_DIR: z.preprocess(emptyToUndefined, z.string().default('corpus')),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
    ADMIN_IDS: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^\s*-?\d+(\s*,\s*-?\d+)*\s*$/, 'must be Telegram user ids separated by commas, e.g. 12345,67890').optional(),
    ),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    QUESTIONS_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a whole number, 1–1000' }).int().min(1).max(1000).default(20)),
    WATCH_CORPUS: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).default('true')),
    FEEDS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((v) => splitList(v).every(isHttpUrl), 'must be http(s) feed URLs separated by commas, e.g. https://example.com/feed.xml,https://rsshub.app/…')
        .optional(),
    ),
    FEED_INTERVAL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a whole number of seconds, 1–604800' }).int().min(1).max(604_800).default(1800)),
    FETCH_ALLOW_PRIVATE: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0']).default('false')),
    FETCH_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a whole number of seconds, 1–300' }).int().min(1).max(300).default(20)),
    FETCH_MAX_MB: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number of megabytes, 0.1–100' }).min(0.1).max(100).default(10)),
    QUESTION_LOG_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a whole number of days, 0–3650 (0 turns the question log off)' }).int().min(0).max(3650).default(90)),
    QUESTION_LOG_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().trim().min(16, 'must be at least 16 characters, e.g. the output of `openssl rand -base64 32`').optional(),
    ),
  });

/** Items of a comma- (or space-) separated list. */
function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

const isTrue = (value: string) => value === 'true' || value === '1';

/** Pure: environment variables → Config, or a ConfigError listing every bad key and how to fix it. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'} ${issue.message}`);
  const set = (key: string) => Boolean(env[key]?.trim());
  if (set('WEBHOOK_URL') && !set('WEBHOOK_SECRET')) problems.push('WEBHOOK_SECRET is required with WEBHOOK_URL, so forged updates are rejected');
  if (set('WEBHOOK_URL') && !set('TELEGRAM_BOT_TOKEN')) problems.push('TELEGRAM_BOT_TOKEN is required with WEBHOOK_URL');
  // Never echo values: a malformed token is still a secret.
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    telegramToken: e.TELEGRAM_BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    webhook: e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.PORT, host: e.WEBHOOK_HOST } : undefined,
    corpusDir: e.CORPUS_DIR,
    dataDir: e.DATA_DIR,
    adminIds: (e.ADMIN_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number),
    logLevel: e.LOG_LEVEL,
    questionsPerMinute: e.QUESTIONS_PER_MINUTE,
    watchCorpus: isTrue(e.WATCH_CORPUS),
    feeds: [...new Set(splitList(e.FEEDS ?? ''))],
    feedIntervalSeconds: e.FEED_INTERVAL_SECONDS,
    fetchAllowPrivate: isTrue(e.FETCH_ALLOW_PRIVATE),
    fetchTimeoutSeconds: e.FETCH_TIMEOUT_SECONDS,
    fetchMaxBytes: Math.round(e.FETCH_MAX_MB * 1024 * 1024),
    questionLogDays: e.QUESTION_LOG_DAYS,
    questionLogSecret: e.QUESTION_LOG_SECRET,
  };
}
