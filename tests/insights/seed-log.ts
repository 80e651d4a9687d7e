// A question log with a month of made-up traffic over the real corpus: answered questions
// (the dev set's) with real passages, rephrased not-found questions, votes, a few hostile strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { passagesOf } from '../../src/corpus/article.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { createQuestionLog, DAY_MS, type LoggedPassage, type QuestionLog } from '../../src/insights/question-log.js';
import { questionTopic } from '../../src/insights/question-topic.js';
import { openStore, type NoticeStore } from '../../src/notices/store.js';
import type { Tokenizer } from '../../src/search/tokenizer.js';

/** 2026-11-24 15:00 UTC: "today" in the seeded log. */
export const SEED_NOW = Date.UTC(2026, 10, 24, 15, 0);
export const SEED_SECRET = 'seed-secret-for-tests-0123456789';

/** Rephrasings of the same not-found question, most asked first. */
export const NOT_FOUND_GROUPS = [
  ['光刻机是什么？', '什么是光刻機', '光刻机 是啥'],
  ['明天上海会下雨吗', '上海明天下雨吗？'],
  ['量子计算机有哪些', '量子計算機有哪些？'],
  ['ASML光刻机', 'asml 光刻机'],
  ['<script>alert("x")</script> & 芯片法案'],
];
/** The words no article mentions, as the answers to each group named them. */
const ABSENT = [['光刻机'], ['明天', '上海', '下雨'], ['量子', '计算机'], ['asml', '光刻机'], ['芯片法案', '<i>x</i>']];

/** Questions a day, oldest first: some days none. */
export const askedOn = (dayIndex: number) => (dayIndex % 7 === 3 ? 0 : 2 + ((dayIndex * 5) % 9));

export interface SeededLog {
  store: NoticeStore;
  log: QuestionLog;
  /** Questions per day as seeded, oldest first (day index 0 = `days - 1` days before today). */
  perDay: number[];
  close(): void;
}

export function seedQuestionLog(dataDir: string, tokenizer: Tokenizer, options: { days?: number; now?: number } = {}): SeededLog {
  const days = options.days ?? 30;
  const today = options.now ?? SEED_NOW;
  const store = openStore(join(dataDir, 'bot.db'));
  let clock = today;
  const log = createQuestionLog({ db: store.db, secret: SEED_SECRET, retentionDays: 90, now: () => clock, topicOf: (q) => questionTopic(tokenizer.analyzeQuery(q)) });
  // The dev questions the corpus answers (the others are there to be refused).
  const dev = readFileSync('tests/fixtures/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { q: string; gold: string[] }).filter((d) => d.gold.length).map((d) => d.q);
  const articles = loadCorpus('corpus').articles;
  const passages: LoggedPassage[] = articles.flatMap((a) =>
    passagesOf(a).map((p) => ({ passageId: p.id, articleId: a.id, articleTitle: a.title, url: a.url, heading: p.heading, paragraph: p.paragraphIndex + 1, score: 1 })),
  );
  const hostile: LoggedPassage = { passageId: 'ffffffffff:0:0', articleId: 'ffffffffff', articleTitle: '<img src=x onerror=alert(1)> "引号" & 符号', url: 'javascript:alert(1)', heading: '<b>标题</b>', paragraph: 1, score: 0.9 };
  const firstDay = Math.floor(today / DAY_MS) - days + 1;
  const perDay: number[] = [];
  let k = 0;
  let notFound = 0;
  for (let d = 0; d < days; d++) {
    const count = askedOn(d);
    perDay.push(count);
    for (let j = 0; j < count; j++, k++) {
      clock = (firstDay + d) * DAY_MS + 3_600_000 + j * 60_000;
      const userId = 7_000_000_000 + (k % 13);
      const chatType = k % 5 === 0 ? 'supergroup' : 'private';
      if (k % 10 < 7) {
        const question = dev[k % dev.length]!;
        const shown = [0, 1, 2].map((r) => ({ ...passages[(k * 7 + r * 3) % passages.length]!, score: 3 - r * 0.5 }));
        if (k % 31 === 5) shown[0] = hostile;
        const id = log.record({ userId, chatType, language: k % 4 ? 'zh' : 'en', question, answered: true, passages: shown });
        if (k % 3 === 0) log.vote(id, userId, 1);
        if (k % 4 === 1) log.vote(id, userId, -1);
        if (k % 31 === 5) log.vote(id, 9_000_000_001, 1);
      } else {
        // Group g is asked (5 - g) times as often as the last group: a clear ranking.
        const g = [0, 1, 2, 3, 4, 0, 1, 2, 3, 0, 1, 2, 0, 1, 0][notFound % 15]!;
        const group = NOT_FOUND_GROUPS[g]!;
        const question = group[Math.floor(notFound / 15) % group.length]!;
        notFound++;
        log.record({ userId, chatType, language: 'zh', question, answered: false, absent: ABSENT[g], passages: [] });
      }
    }
  }
  log.flush();
  return {
    store,
    log,
    perDay,
    close: () => {
      log.close();
      store.close();
    },
  };
}
