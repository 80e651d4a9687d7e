// Questions answered end to end through a local Bot API server by one bot process.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createBot } from '../src/bot/create-bot.js';
import { runBot } from '../src/bot/run-bot.js';
import { openLibrary } from '../src/library.js';
import { startTelegramStub } from '../tests/support/telegram-stub.js';
import { percentile, round } from './stats.js';

export async function benchBot(options: { questions?: string[]; latencyCount?: number; burstCount?: number } = {}): Promise<Record<string, number>> {
  const questions = options.questions ?? readFileSync('tests/fixtures/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q);
  const latencyCount = options.latencyCount ?? 300;
  const burstCount = options.burstCount ?? 2000;
  const stub = await startTelegramStub();
  const logger = pino({ level: 'silent' });
  const { library } = openLibrary('corpus');
  const bot = createBot({ config: { telegramToken: stub.token, telegramApiRoot: stub.apiRoot, adminIds: [], questionsPerMinute: 1_000_000 }, library, logger });
  const running = await runBot(bot, { logger });
  try {
    const replies = () => stub.callsOf('sendMessage').length;
    const waitFor = async (count: number) => {
      while (replies() < count) await new Promise((r) => setImmediate(r));
    };
    // Latency: one question at a time, from the update being available to the reply arriving.
    const latencies: number[] = [];
    for (let i = 0; i < latencyCount; i++) {
      const before = replies();
      const start = process.hrtime.bigint();
      stub.sendText(questions[i % questions.length]!, { from: { id: 10 + (i % 50), first_name: 'B' } });
      await waitFor(before + 1);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // Throughput: a burst of questions from many users.
    const before = replies();
    const start = process.hrtime.bigint();
    for (let i = 0; i < burstCount; i++) stub.sendText(questions[i % questions.length]!, { from: { id: 1000 + (i % 500), first_name: 'B' } });
    await waitFor(before + burstCount);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return {
      questions_per_second: round(burstCount / seconds, 1),
      reply_p50_ms: round(percentile(latencies, 50)),
      reply_p99_ms: round(percentile(latencies, 99)),
    };
  } finally {
    await running.stop();
    await stub.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchBot());
}
