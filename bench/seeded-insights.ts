// The figures for a seeded log (a month of made-up traffic over the real corpus, see
// tests/insights/seed-log.ts): /stats as the bot sends it to an admin through the local Bot API
// server, and the editor's report page. `npx tsx bench/seeded-insights.ts [--lang en]`; the
// report's screenshot is the browser test's artifact (test-results/report.png).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createQuestionLog } from '../src/insights/question-log.js';
import { summarizeQuestions } from '../src/insights/question-summary.js';
import { questionTopic } from '../src/insights/question-topic.js';
import { renderReport } from '../src/insights/report-html.js';
import { openStore } from '../src/notices/store.js';
import { library, startBotHarness } from '../tests/bot/helpers.js';
import { seedQuestionLog } from '../tests/insights/seed-log.js';

const lang = process.argv.includes('--lang') && process.argv[process.argv.indexOf('--lang') + 1] === 'en' ? 'en' : 'zh';
const dir = mkdtempSync(join(tmpdir(), 'seeded-insights-'));
try {
  seedQuestionLog(dir, library.tokenizer, { days: 30, now: Date.now() }).close();
  const store = openStore(join(dir, 'bot.db'));
  const log = createQuestionLog({ db: store.db, secret: 'seeded-insights-secret-0123456789', retentionDays: 90, topicOf: (q) => questionTopic(library.tokenizer.analyzeQuery(q)) });
  const subscriptions = { subscribe: store.subscribe, unsubscribe: store.unsubscribe, subscription: store.subscription, stats: () => ({ ...store.counts() }) };
  const h = await startBotHarness({ subscriptions, questionLog: { log, db: store.db } });
  try {
    h.stub.sendCommand('/stats', { from: { id: 4242, first_name: 'Admin', language_code: lang } });
    const text = String((await h.stub.waitForCall((c) => c.method === 'sendMessage')).params['text']);
    console.log(`${text}\n--- /stats: ${text.length} characters (Telegram's limit: 4,096)`);
  } finally {
    await h.close();
  }
  mkdirSync('bench/out', { recursive: true });
  const out = resolve('bench/out/report.html');
  writeFileSync(out, renderReport(summarizeQuestions(store.db, { days: 30 }), { lang }));
  console.log(`report: ${out}`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
