// What hostile inputs cost: a heading line with many inner spaces, a question over an article
// holding one huge paragraph, and /healthz in front of a database with millions of deliveries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createAnswerer } from '../src/answer/answer.js';
import { createBot } from '../src/bot/create-bot.js';
import { runBot } from '../src/bot/run-bot.js';
import { parseArticle } from '../src/corpus/parse-article.js';
import { openLibrary } from '../src/library.js';
import { openStore } from '../src/notices/store.js';
import { createSearchIndex } from '../src/search/search-index.js';
import { createTokenizer } from '../src/search/tokenizer.js';
import { startTelegramStub } from '../tests/support/telegram-stub.js';
import { percentile, round, timeMs } from './stats.js';

const FRONT = '---\ntitle: 测试\nurl: https://example.com/a\n---\n\n';

export async function benchHostile(options: { deliveries?: number } = {}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const kb of [10, 39, 78]) {
    const bytes = Buffer.from(`${FRONT}# a${' '.repeat(kb * 1024)}b\n\n正文。\n`);
    out[`heading_line_${kb}kb_parse_ms`] = round(timeMs(() => parseArticle('x.md', bytes)));
  }
  const tokenizer = createTokenizer();
  const article = parseArticle('big.md', Buffer.from(`${FRONT}${'出口管制是一种手段，它影响供应链安全。'.repeat(422 * 1024 / 19)}\n`));
  const index = createSearchIndex(tokenizer);
  out['paragraph_422kb_index_ms'] = round(timeMs(() => index.add(article)));
  const answer = createAnswerer(index, tokenizer);
  answer('出口管制的手段');
  out['paragraph_422kb_question_ms'] = round(timeMs(() => answer('出口管制的手段')));

  // /healthz with a big delivery log: strangers get state from memory, the operator cached counts.
  const dir = mkdtempSync(join(tmpdir(), 'health-bench-'));
  try {
    const path = join(dir, 'bot.db');
    openStore(path).close();
    const db = new Database(path);
    const total = options.deliveries ?? 3_000_000;
    db.exec(`INSERT INTO articles (article_id, content_hash, title, url, summary, first_seen) WITH RECURSIVE c(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM c WHERE v < 3000) SELECT 'a' || v, 'h', 't', 'u', 's', '2024' FROM c`);
    db.exec(`INSERT INTO deliveries (chat_id, article_id, state, attempts, next_attempt_at, updated_at) WITH RECURSIVE c(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM c WHERE v < ${total - 1}) SELECT v % 1000, 'a' || (v / 1000 + 1), 'sent', 1, 0, '' FROM c`);
    db.close();
    const store = openStore(path);
    out['deliveries'] = total;
    out['counts_query_ms'] = round(timeMs(() => store.counts()));
    out['backlog_query_ms'] = round(timeMs(() => store.backlog()));
    const stub = await startTelegramStub();
    const logger = pino({ level: 'silent' });
    const { library } = openLibrary('corpus');
    const bot = createBot({ config: { telegramToken: stub.token, telegramApiRoot: stub.apiRoot, adminIds: [], questionsPerMinute: 20 }, library, logger });
    const secret = 'bench-secret-token-123456';
    const running = await runBot(bot, {
      logger,
      webhook: { url: 'https://bot.example.com/hook', secret, port: 0, host: '127.0.0.1' },
      health: { backlog: () => store.backlog(), counts: () => ({ ...store.counts() }) },
    });
    const { port } = running.server!.address() as { port: number };
    const times = async (headers: Record<string, string>) => {
      const ms: number[] = [];
      for (let i = 0; i < 200; i++) {
        const started = performance.now();
        await (await fetch(`http://127.0.0.1:${port}/healthz`, { headers })).text();
        ms.push(performance.now() - started);
      }
      return ms.sort((a, b) => a - b);
    };
    const open = await times({});
    const operator = await times({ 'x-telegram-bot-api-secret-token': secret });
    out['healthz_p50_ms'] = round(percentile(open, 50));
    out['healthz_p99_ms'] = round(percentile(open, 99));
    out['healthz_operator_p50_ms'] = round(percentile(operator, 0.5));
    out['healthz_operator_max_ms'] = round(operator[operator.length - 1] ?? 0);
    await running.stop();
    await stub.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
