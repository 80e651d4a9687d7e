// A broadcast to many subscribers through a local Bot API server: the sender's own ceiling
// with the limits lifted, and the rate it keeps at Telegram's limits without provoking 429s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Telegram } from 'telegraf';
import { createNoticeSender, NO_LIMITS, TELEGRAM_LIMITS } from '../src/notices/sender.js';
import { openStore } from '../src/notices/store.js';
import { startTelegramStub } from '../tests/support/telegram-stub.js';
import { round } from './stats.js';

export async function benchBroadcast(options: { subscribers: number; limits: 'lifted' | 'real' }): Promise<{ sent: number; seconds: number; per_second: number; rate_limited: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'broadcast-'));
  const stub = await startTelegramStub();
  const store = openStore(join(dir, 'bot.db'));
  try {
    const ids = Array.from({ length: options.subscribers }, (_, i) => 1_000_000 + i);
    for (const id of ids) store.subscribe({ id, type: 'private', language: 'zh' }, null);
    store.recordNewArticle({ articleId: 'bench00001', contentHash: 'h', title: '基准测试文章', url: 'https://example.com/bench', source: '基准', date: '2026-11-24', summary: '一句话摘要。' }, ids);
    if (options.limits === 'real') stub.enforceLimits({ globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 });
    const telegram = new Telegram(stub.token, { apiRoot: stub.apiRoot });
    const sender = createNoticeSender({
      store,
      logger: pino({ level: 'silent' }),
      limits: options.limits === 'real' ? TELEGRAM_LIMITS : NO_LIMITS,
      callApi: (method, payload, opts) => telegram.callApi(method, payload as never, opts as never) as Promise<{ message_id: number }>,
    });
    const start = process.hrtime.bigint();
    sender.start();
    await sender.drain(30 * 60_000);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await sender.stop();
    const sent = store.counts().sent;
    return { sent, seconds: round(seconds), per_second: round(sent / seconds, 1), rate_limited: stub.stats().rateLimited };
  } finally {
    store.close();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table({
    lifted_10000: await benchBroadcast({ subscribers: 10_000, limits: 'lifted' }),
    real_1000: await benchBroadcast({ subscribers: 1_000, limits: 'real' }),
  });
}
