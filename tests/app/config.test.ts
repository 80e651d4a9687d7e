import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

describe('parseConfig', () => {
  it('gives every key a default, and no token means console mode', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ telegramToken: undefined, telegramApiRoot: 'https://api.telegram.org', corpusDir: 'corpus', dataDir: 'data', adminIds: [], questionsPerMinute: 20, watchCorpus: true });
    expect(config.webhook).toBeUndefined();
  });

  it('reads a webhook setup and admin ids', () => {
    const config = parseConfig({ TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example.com/hook', WEBHOOK_SECRET: 'abcdefghijklmnop', PORT: '9000', ADMIN_IDS: '1, 22,333', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' });
    expect(config.webhook).toEqual({ url: 'https://bot.example.com/hook', secret: 'abcdefghijklmnop', port: 9000, host: '0.0.0.0' });
    expect(config.adminIds).toEqual([1, 22, 333]);
    expect(config.telegramApiRoot).toBe('http://127.0.0.1:8081');
  });

  it('listens where WEBHOOK_HOST says, and refuses an address that is not one', () => {
    const env = { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', WEBHOOK_URL: 'https://bot.example.com/hook', WEBHOOK_SECRET: 'abcdefghijklmnop' };
    expect(parseConfig({ ...env, WEBHOOK_HOST: '127.0.0.1' }).webhook?.host).toBe('127.0.0.1');
    expect(() => parseConfig({ ...env, WEBHOOK_HOST: 'a b/c' })).toThrow(/WEBHOOK_HOST/);
  });

  it('lists every bad key with how to fix it, and never echoes the token', () => {
    let error: unknown;
    try {
      parseConfig({ TELEGRAM_BOT_TOKEN: 'secret-but-malformed-token', PORT: 'eighty', ADMIN_IDS: 'alice', WEBHOOK_URL: 'https://x.example/h', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const key of ['TELEGRAM_BOT_TOKEN', 'PORT', 'ADMIN_IDS', 'WEBHOOK_SECRET', 'LOG_LEVEL']) expect(message).toContain(key);
    expect(message).not.toContain('secret-but-malformed-token');
  });
});

describe('parseConfig: the question log', () => {
  it('keeps questions 90 days by default, any whole number of days up to ten years, 0 for off', () => {
    expect(parseConfig({})).toMatchObject({ questionLogDays: 90, questionLogSecret: undefined });
    expect(parseConfig({ QUESTION_LOG_DAYS: '0' }).questionLogDays).toBe(0);
    expect(parseConfig({ QUESTION_LOG_DAYS: '365', QUESTION_LOG_SECRET: ' a-secret-of-16-chars+ ' })).toMatchObject({ questionLogDays: 365, questionLogSecret: 'a-secret-of-16-chars+' });
  });

  it('names a bad period or a short secret, without echoing the secret', () => {
    for (const days of ['-1', '1.5', 'forever', '3651']) {
      expect(() => parseConfig({ QUESTION_LOG_DAYS: days })).toThrow(/QUESTION_LOG_DAYS must be a whole number of days, 0–3650/);
    }
    let error: unknown;
    try {
      parseConfig({ QUESTION_LOG_SECRET: 'tooshort-secret' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).message).toMatch(/QUESTION_LOG_SECRET must be at least 16 characters/);
    expect((error as ConfigError).message).not.toContain('tooshort-secret');
  });
});

describe('createLogger', () => {
  it('never writes a bot token, even inside messages and URLs', () => {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
    const logger = createLogger('info', sink);
    logger.info({ url: `https://api.telegram.org/bot${TOKEN}/getMe`, token: TOKEN }, `failed with ${TOKEN}`);
    expect(out).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0');
    expect(out).toContain('<token>');
  });
});

describe('parseConfig: feeds and fetching', () => {
  it('reads feed URLs, the interval and the fetch limits, with defaults', () => {
    expect(parseConfig({})).toMatchObject({ feeds: [], feedIntervalSeconds: 1800, fetchAllowPrivate: false, fetchTimeoutSeconds: 20, fetchMaxBytes: 10 * 1024 * 1024 });
    const config = parseConfig({ FEEDS: 'https://a.example/feed.xml, http://b.example/rss ,https://a.example/feed.xml', FEED_INTERVAL_SECONDS: '600', FETCH_ALLOW_PRIVATE: 'true', FETCH_MAX_MB: '0.5' });
    expect(config.feeds).toEqual(['https://a.example/feed.xml', 'http://b.example/rss']);
    expect(config).toMatchObject({ feedIntervalSeconds: 600, fetchAllowPrivate: true, fetchMaxBytes: 524288 });
  });

  it('names a bad feed URL or interval', () => {
    expect(() => parseConfig({ FEEDS: 'https://ok.example/f, ftp://files.example/f' })).toThrow(/FEEDS must be http\(s\) feed URLs/);
    expect(() => parseConfig({ FEED_INTERVAL_SECONDS: '0' })).toThrow(/FEED_INTERVAL_SECONDS/);
    expect(() => parseConfig({ FETCH_ALLOW_PRIVATE: 'yes' })).toThrow(/FETCH_ALLOW_PRIVATE/);
  });
});
