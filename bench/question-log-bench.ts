// What logging costs a question: the bot's answer path (answer + format) with and without the
// question log (topic key, HMAC, the vote row, and the rows written in batches: here, with no
// idle event loop for the timer, every 200th question pays for the batch's transaction), one
// run, interleaved so machine noise hits both alike. The mean shows the batches' share.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Context } from 'telegraf';
import { createAnswerFeedback } from '../src/bot/feedback.js';
import { formatAnswer } from '../src/bot/format-answer.js';
import { createQuestionLog } from '../src/insights/question-log.js';
import { questionTopic } from '../src/insights/question-topic.js';
import { openLibrary } from '../src/library.js';
import { openStore } from '../src/notices/store.js';
import { percentile, round, timeMs } from './stats.js';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function benchQuestionLog(options: { rounds?: number } = {}): Promise<Record<string, number>> {
  const rounds = options.rounds ?? 30;
  const questions = ['tests/fixtures/dev.jsonl', 'tests/fixtures/extra.jsonl'].flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q),
  );
  const { library } = openLibrary('corpus');
  const dir = mkdtempSync(join(tmpdir(), 'qlog-bench-'));
  const store = openStore(join(dir, 'bot.db'));
  const log = createQuestionLog({ db: store.db, secret: 'bench-secret-0123456789abcdef', retentionDays: 90 });
  const feedback = createAnswerFeedback({ log, db: store.db, topicOf: (q) => questionTopic(library.tokenizer.analyzeQuery(q)) }, pino({ level: 'silent' }));
  // What a handler's context offers the feedback: the reader, the chat, the update.
  const contextFor = (i: number) => ({ from: { id: 7_000_000_000 + (i % 500), language_code: 'zh' }, chat: { id: 7_000_000_000 + (i % 500), type: 'private' }, update: { update_id: i } }) as unknown as Context;

  const answerPath = (question: string) => {
    const answer = library.answer(question, { limit: 3 });
    return { answer, message: formatAnswer(answer, { lang: 'zh', offset: 0, queryKey: 'AAAAAAAAAA', examples: [] }) };
  };
  let n = 0;
  const withLog = (question: string) => {
    const { answer, message } = answerPath(question);
    const row = feedback.logAnswer(contextFor(n++), question, answer);
    return row ? [...message.keyboard, row] : message.keyboard;
  };

  for (let w = 0; w < 20; w++) {
    for (const q of questions) {
      answerPath(q);
      withLog(q);
    }
  }
  log.flush();
  const rowsBefore = (store.db.prepare('SELECT COUNT(*) AS n FROM question_log').get() as { n: number }).n;
  const without: number[] = [];
  const withIt: number[] = [];
  // Alternate which goes first: the second run of a question finds the caches warm.
  for (let r = 0; r < rounds; r++) {
    questions.forEach((q, i) => {
      if ((r + i) % 2) {
        without.push(timeMs(() => answerPath(q)));
        withIt.push(timeMs(() => withLog(q)));
      } else {
        withIt.push(timeMs(() => withLog(q)));
        without.push(timeMs(() => answerPath(q)));
      }
    });
  }
  log.close();
  const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM question_log').get() as { n: number }).n;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const bytes = statSync(join(dir, 'bot.db')).size;
  rmSync(dir, { recursive: true, force: true });
  return {
    questions: questions.length * rounds,
    logged: rows - rowsBefore,
    without_log_p50_ms: round(percentile(without, 50), 3),
    without_log_p99_ms: round(percentile(without, 99), 3),
    with_log_p50_ms: round(percentile(withIt, 50), 3),
    with_log_p99_ms: round(percentile(withIt, 99), 3),
    ratio_p50: round(percentile(withIt, 50) / percentile(without, 50)),
    ratio_p99: round(percentile(withIt, 99) / percentile(without, 99)),
    without_log_mean_ms: round(mean(without), 3),
    with_log_mean_ms: round(mean(withIt), 3),
    added_mean_ms: round(mean(withIt) - mean(without), 3),
    database_bytes_per_question: Math.round(bytes / rows),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchQuestionLog());
}
