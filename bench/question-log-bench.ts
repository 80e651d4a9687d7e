// What logging costs a question, from one run on the real corpus and the dev and extra questions:
// - on the answer's path: the bot's answer path (answer + format) with and without the log
//   (hash of the user id, the question queued, the vote row and its tag), interleaved so machine
//   noise hits both alike, alternating which goes first (the second finds the caches warm);
// - off it: writing the queued rows (topic keys, one transaction per batch), timed per batch as
//   the bot's timer does it, here once per round of questions.
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

export async function benchQuestionLog(options: { rounds?: number } = {}): Promise<Record<string, number>> {
  const rounds = options.rounds ?? 30;
  const questions = ['tests/fixtures/dev.jsonl', 'tests/fixtures/extra.jsonl'].flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q),
  );
  const { library } = openLibrary('corpus');
  const dir = mkdtempSync(join(tmpdir(), 'qlog-bench-'));
  const store = openStore(join(dir, 'bot.db'));
  // Batches are written here, between rounds, and timed; never inside a question's time.
  const log = createQuestionLog({
    db: store.db,
    secret: 'bench-secret-0123456789abcdef',
    retentionDays: 90,
    topicOf: (q) => questionTopic(library.tokenizer.analyzeQuery(q)),
    flushAfterMs: 3_600_000,
    maxPending: Number.MAX_SAFE_INTEGER,
  });
  const feedback = createAnswerFeedback({ log, db: store.db }, pino({ level: 'silent' }));
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
  const count = () => (store.db.prepare('SELECT COUNT(*) AS n FROM question_log').get() as { n: number }).n;

  for (let w = 0; w < 20; w++) {
    for (const q of questions) {
      answerPath(q);
      withLog(q);
    }
    log.flush();
  }
  const rowsBefore = count();
  const without: number[] = [];
  const withIt: number[] = [];
  const batches: number[] = [];
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
    batches.push(timeMs(() => log.flush()));
  }
  const logged = count() - rowsBefore;
  log.close();
  const rows = count();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const bytes = statSync(join(dir, 'bot.db')).size;
  rmSync(dir, { recursive: true, force: true });
  const written = batches.reduce((a, b) => a + b, 0);
  return {
    questions: questions.length * rounds,
    logged,
    without_log_p50_ms: round(percentile(without, 50), 3),
    without_log_p99_ms: round(percentile(without, 99), 3),
    with_log_p50_ms: round(percentile(withIt, 50), 3),
    with_log_p99_ms: round(percentile(withIt, 99), 3),
    ratio_p50: round(percentile(withIt, 50) / percentile(without, 50)),
    ratio_p99: round(percentile(withIt, 99) / percentile(without, 99)),
    batch_rows: Math.round(logged / rounds),
    batch_write_p50_ms: round(percentile(batches, 50), 2),
    batch_write_p99_ms: round(percentile(batches, 99), 2),
    write_per_question_ms: round(written / logged, 3),
    database_bytes_per_question: Math.round(bytes / rows),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchQuestionLog());
}
