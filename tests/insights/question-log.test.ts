import Database from 'better-sqlite3';
import fc from 'fast-check';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatQuestionStats } from '../../src/bot/format-question-stats.js';
import { loadLogSecret, SECRET_FILE } from '../../src/insights/log-secret.js';
import { createQuestionLog, DAY_MS, schedulePurge, type LoggedPassage, type QuestionEntry } from '../../src/insights/question-log.js';
import { summarizeQuestions } from '../../src/insights/question-summary.js';
import { questionTopic } from '../../src/insights/question-topic.js';
import { createCorpusTokenizer } from '../../src/library.js';
import { openStore, type NoticeStore } from '../../src/notices/store.js';
import type { Tokenizer } from '../../src/search/tokenizer.js';
import { tempDir } from '../notices/helpers.js';
import { askedOn, NOT_FOUND_GROUPS, SEED_NOW, seedQuestionLog } from './seed-log.js';

// A user id long enough that its digits cannot turn up in a hash or a timestamp by chance.
const READER = 7_391_846_205;
const OTHER = 7_391_846_206;
const T0 = Date.UTC(2026, 10, 1, 9, 30);
const topicOf = (question: string) => `topic of ${question}`;

const passage = (n: number, score = 2.5): LoggedPassage => ({
  passageId: `abcdef0123:1:${n}`,
  articleId: 'abcdef0123',
  articleTitle: '出口管制的回归',
  url: 'https://mp.weixin.qq.com/s?__biz=1',
  heading: '合作的种子',
  paragraph: n + 1,
  score,
});
const entry = (overrides: Partial<QuestionEntry> = {}): QuestionEntry => ({
  userId: READER,
  chatType: 'private',
  language: 'zh',
  question: '东芝丑闻是哪一年开始的？',
  answered: true,
  passages: [passage(0, 3.25), passage(1, 1.5)],
  ...overrides,
});

describe('the question log', () => {
  let cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.reverse()) c();
    cleanups = [];
  });
  function open(options: { days?: number } = {}) {
    const t = tempDir('qlog-');
    const store = openStore(join(t.dir, 'bot.db'));
    let now = T0;
    const log = createQuestionLog({ db: store.db, secret: 'a-test-secret-of-some-length', retentionDays: options.days ?? 90, topicOf, now: () => now });
    cleanups.push(t.cleanup, () => store.db.open && store.close());
    return { dir: t.dir, store, log, setNow: (ms: number) => (now = ms) };
  }
  const rows = (store: NoticeStore, sql: string) => store.db.prepare(sql).all() as Array<Record<string, unknown>>;

  it('keeps the question, time, chat type, language, outcome and the passages shown with their scores', () => {
    const { store, log } = open();
    const id = log.record(entry());
    log.record(entry({ chatType: 'supergroup', language: 'en', question: '光刻机是什么', answered: false, absent: ['光刻机'], passages: [] }));
    log.flush();
    const questions = rows(store, 'SELECT * FROM question_log ORDER BY id');
    expect(questions).toHaveLength(2);
    expect(questions[0]).toMatchObject({ id, asked_at: T0, chat_type: 'private', language: 'zh', question: '东芝丑闻是哪一年开始的？', topic: 'topic of 东芝丑闻是哪一年开始的？', answered: 1, absent: null });
    expect(questions[1]).toMatchObject({ chat_type: 'supergroup', language: 'en', answered: 0, absent: '["光刻机"]' });
    expect(questions[0]!['asker']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(questions[0]!['asker']).toBe(questions[1]!['asker']);
    expect(rows(store, 'SELECT rank, passage_id, score, paragraph FROM question_log_passages ORDER BY rank')).toEqual([
      { rank: 1, passage_id: 'abcdef0123:1:0', score: 3.25, paragraph: 1 },
      { rank: 2, passage_id: 'abcdef0123:1:1', score: 1.5, paragraph: 2 },
    ]);
    // The article's title and link are kept once, not per passage.
    expect(rows(store, 'SELECT * FROM question_log_articles')).toEqual([{ article_id: 'abcdef0123', title: '出口管制的回归', url: 'https://mp.weixin.qq.com/s?__biz=1' }]);
  });

  it('never writes a raw user id: not in the database file, not in its WAL, as text or as an integer', () => {
    const { dir, store, log } = open();
    const id = log.record(entry());
    log.vote(id, READER, 1);
    log.vote(id, OTHER, -1);
    log.record(entry({ userId: OTHER, answered: false, passages: [] }));
    log.flush();
    const encodings = (userId: number) => {
      const big = Buffer.alloc(8);
      big.writeBigInt64BE(BigInt(userId));
      // SQLite stores integers big-endian in 1–8 bytes: 6 bytes for ids of this size, 8 at most.
      return [Buffer.from(String(userId)), big.subarray(2), big];
    };
    const files = () => ['bot.db', 'bot.db-wal'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f)));
    const check = () => {
      const bytes = files();
      expect(bytes.length).toBeGreaterThan(0);
      for (const file of bytes) for (const userId of [READER, OTHER]) for (const pattern of encodings(userId)) expect(file.includes(pattern)).toBe(false);
    };
    // While open (the rows are in the WAL), and after a checkpoint and close (in the main file).
    expect(files()[1]?.length ?? 0).toBeGreaterThan(0);
    check();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    check();
    // The rows are there all the same, and the test would see an id if one were written.
    const raw = new Database(join(dir, 'bot.db'), { readonly: true });
    expect((raw.prepare('SELECT COUNT(*) AS n FROM question_log_votes').get() as { n: number }).n).toBe(2);
    raw.close();
    expect(Buffer.from(`x${READER}x`).includes(encodings(READER)[0]!)).toBe(true);
  });

  it('writes questions in batches, off the answer\'s path: within flushAfterMs, at once when enough wait, and before any vote, forget or purge', async () => {
    const t = tempDir('qlog-');
    const store = openStore(join(t.dir, 'bot.db'));
    cleanups.push(t.cleanup, () => store.db.open && store.close());
    const log = createQuestionLog({ db: store.db, secret: 'a-test-secret-of-some-length', retentionDays: 90, topicOf, flushAfterMs: 30, maxPending: 3 });
    const written = () => (store.db.prepare('SELECT COUNT(*) AS n FROM question_log').get() as { n: number }).n;
    const first = log.record(entry());
    expect(written()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(written()).toBe(1);
    log.record(entry());
    log.record(entry());
    expect(written()).toBe(1);
    log.record(entry()); // the third waiting: written at once
    expect(written()).toBe(4);
    const waiting = log.record(entry());
    expect(log.vote(waiting, READER, 1)).toBe('recorded');
    log.record(entry({ userId: OTHER }));
    expect(log.forget(OTHER)).toEqual({ questions: 1, votes: 0 });
    log.record(entry());
    log.close();
    expect(written()).toBe(6);
    expect(first).toBe(1);
  });

  it('logs a question the tokenizer fails on under its own text', () => {
    const t = tempDir('qlog-');
    const store = openStore(join(t.dir, 'bot.db'));
    cleanups.push(t.cleanup, () => store.close());
    const log = createQuestionLog({ db: store.db, secret: 'a-test-secret-of-some-length', retentionDays: 90, topicOf: () => { throw new Error('tokenizer broke'); } });
    log.record(entry({ question: ' 奇怪的问题 ' }));
    log.flush();
    expect(store.db.prepare('SELECT topic FROM question_log').all()).toEqual([{ topic: '奇怪的问题' }]);
  });

  it('reports a batch it cannot write, and drops it, without throwing', () => {
    const t = tempDir('qlog-');
    const store = openStore(join(t.dir, 'bot.db'));
    cleanups.push(t.cleanup);
    const failures: Array<[string, number]> = [];
    const log = createQuestionLog({ db: store.db, secret: 'a-test-secret-of-some-length', retentionDays: 90, topicOf, onWriteError: (e, lost) => failures.push([String(e), lost]) });
    log.record(entry());
    log.record(entry());
    store.close();
    expect(() => log.flush()).not.toThrow();
    expect(failures).toEqual([[expect.stringContaining('not open'), 2]]);
  });

  it('counts one vote per reader per answer; a reader can change it', () => {
    const { store, log } = open();
    const id = log.record(entry());
    expect(log.vote(id, READER, 1)).toBe('recorded');
    expect(log.vote(id, READER, 1)).toBe('unchanged');
    expect(log.vote(id, READER, -1)).toBe('changed');
    expect(log.vote(id, OTHER, -1)).toBe('recorded');
    expect(log.vote(id + 1, READER, 1)).toBe('gone');
    expect(rows(store, 'SELECT vote FROM question_log_votes ORDER BY vote')).toEqual([{ vote: -1 }, { vote: -1 }]);
  });

  it('purges questions older than the retention period, with their passages and votes, by the injected clock', () => {
    const { store, log, setNow } = open({ days: 90 });
    const old = log.record(entry({ question: 'old' }));
    log.vote(old, OTHER, 1);
    setNow(T0 + 10 * DAY_MS);
    const recent = log.record(entry({ question: 'recent' }));
    log.vote(recent, OTHER, -1);
    setNow(T0 + 90 * DAY_MS - 1);
    expect(log.purge()).toBe(0);
    setNow(T0 + 90 * DAY_MS + 1);
    expect(log.purge()).toBe(1);
    expect(rows(store, 'SELECT question FROM question_log')).toEqual([{ question: 'recent' }]);
    expect(rows(store, 'SELECT DISTINCT question_id FROM question_log_passages')).toEqual([{ question_id: recent }]);
    expect(rows(store, 'SELECT question_id, vote FROM question_log_votes')).toEqual([{ question_id: recent, vote: -1 }]);
    expect(log.vote(old, READER, 1)).toBe('gone');
  });

  it('keeps nothing when kept 0 days (the log is off): a purge empties it', () => {
    const { store, log } = open({ days: 0 });
    log.record(entry());
    expect(log.purge()).toBe(1);
    expect(rows(store, 'SELECT COUNT(*) AS n FROM question_log_passages')).toEqual([{ n: 0 }]);
  });

  it('purges at once and then daily; a failing purge is reported, not thrown', () => {
    const { log, setNow } = open({ days: 1 });
    log.record(entry());
    setNow(T0 + 2 * DAY_MS);
    const results: unknown[] = [];
    const stop = schedulePurge(log, (r) => results.push(r));
    stop();
    expect(results).toEqual([{ purged: 1 }]);
    const failing = { ...log, purge: () => { throw new Error('disk I/O error'); } };
    const stopFailing = schedulePurge(failing, (r) => results.push(r));
    stopFailing();
    expect(String((results[1] as { error: unknown }).error)).toContain('disk I/O error');
  });

  it('forgets a reader: their questions (and the votes on them) and the votes they cast, and says how many', () => {
    const { store, log } = open();
    const mine = log.record(entry());
    log.record(entry({ answered: false, passages: [] }));
    const theirs = log.record(entry({ userId: OTHER }));
    log.vote(mine, READER, 1);
    log.vote(mine, OTHER, 1);
    log.vote(theirs, READER, -1);
    log.vote(theirs, OTHER, 1);
    expect(log.forget(READER)).toEqual({ questions: 2, votes: 2 });
    expect(rows(store, 'SELECT id FROM question_log')).toEqual([{ id: theirs }]);
    expect(rows(store, 'SELECT question_id, vote FROM question_log_votes')).toEqual([{ question_id: theirs, vote: 1 }]);
    expect(rows(store, 'SELECT DISTINCT question_id FROM question_log_passages')).toEqual([{ question_id: theirs }]);
    expect(log.forget(READER)).toEqual({ questions: 0, votes: 0 });
    // Ids are never reused, after a restart either: an old vote button cannot land on a newer question.
    expect(log.record(entry())).toBe(theirs + 1);
    expect(log.vote(mine, READER, 1)).toBe('gone');
    log.forget(READER);
    const restarted = createQuestionLog({ db: store.db, secret: 'a-test-secret-of-some-length', retentionDays: 90, topicOf });
    expect(restarted.record(entry())).toBe(theirs + 2);
    restarted.close();
  });

  it('hashes the same reader alike under one key and differently under another', () => {
    const a = open();
    const b = open();
    const other = createQuestionLog({ db: b.store.db, secret: 'another-secret-entirely', retentionDays: 90, topicOf });
    a.log.record(entry());
    other.record(entry());
    a.log.flush();
    other.flush();
    const [ha, hb] = [rows(a.store, 'SELECT asker FROM question_log')[0]!['asker'], rows(b.store, 'SELECT asker FROM question_log')[0]!['asker']];
    expect(ha).not.toBe(hb);
    expect(a.log.tag('1:2')).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(a.log.tag('1:2')).not.toBe(other.tag('1:2'));
  });
});

describe('grouping not-found questions', () => {
  let tokenizer: Tokenizer;
  beforeAll(() => {
    tokenizer = createCorpusTokenizer('corpus');
  });
  const topic = (q: string) => questionTopic(tokenizer.analyzeQuery(q));

  it('gives rephrasings of one question one key: question words, traditional characters, spacing, case and glossary spellings aside', () => {
    for (const group of [
      ['光刻机是什么？', '什么是光刻機', '光刻机 是啥', '请问，光刻机是什么'],
      ['明天上海会下雨吗', '上海明天下雨吗？', '明天 上海 下雨'],
      ['ASML光刻机', 'asml 光刻机', 'ＡＳＭＬ 光刻機'],
      ['What is SMIC?', '中芯国际是什么'],
    ]) {
      expect(new Set(group.map(topic)).size, group.join(' / ')).toBe(1);
    }
    expect(topic('光刻机是什么？')).not.toBe(topic('光刻机出口管制'));
    expect(topic('量子计算机有哪些')).not.toBe(topic('光刻机是什么？'));
    expect(topic('？？')).toBe('');
  });

  it('ranks groups by how often they were asked, with the commonest wording as the example, over the last N UTC days', () => {
    const t = tempDir('qlog-');
    const seeded = seedQuestionLog(t.dir, tokenizer, { days: 30 });
    try {
      const summary = summarizeQuestions(seeded.store.db, { days: 30, now: SEED_NOW, limit: 10 });
      expect(summary.days).toHaveLength(30);
      expect(summary.days.map((d) => d.asked)).toEqual(seeded.perDay);
      expect(summary.days.at(-1)!.day).toBe('2026-11-24');
      expect(summary.from).toBe('2026-10-26');
      expect(summary.asked).toBe(seeded.perDay.reduce((a, b) => a + b, 0));
      // Each group of rephrasings is one entry, in the order of how often it was asked.
      const examples = summary.notFound.map((g) => g.example);
      expect(summary.notFound).toHaveLength(NOT_FOUND_GROUPS.length);
      NOT_FOUND_GROUPS.forEach((group, i) => expect(group).toContain(examples[i]));
      const counts = summary.notFound.map((g) => g.count);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
      expect(summary.notFound[0]!.phrasings).toBe(3);
      expect(summary.notFound[0]!.absent).toEqual(['光刻机']);
      expect(summary.answered + counts.reduce((a, b) => a + b, 0)).toBe(summary.asked);
      // A shorter window counts fewer days, and only theirs.
      const week = summarizeQuestions(seeded.store.db, { days: 7, now: SEED_NOW });
      expect(week.days.map((d) => d.asked)).toEqual(seeded.perDay.slice(-7));
      expect(week.days.some((d, i) => d.asked === 0 && askedOn(23 + i) === 0)).toBe(true);
      // Votes: the disliked passages, most 👎 first.
      const downs = summary.mostDown.map((p) => p.down);
      expect(downs.length).toBeGreaterThan(0);
      expect([...downs].sort((a, b) => b - a)).toEqual(downs);
      expect(summary.mostUp[0]!.up).toBeGreaterThan(0);
    } finally {
      seeded.close();
      t.cleanup();
    }
  });

  it('formats /stats within the limit it is given, however long the questions', () => {
    const day = (i: number) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, asked: i * 3, answered: i });
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 0, maxLength: 400 }), { minLength: 0, maxLength: 12 }), fc.integer({ min: 200, max: 4096 }), (texts, max) => {
        const text = formatQuestionStats(
          {
            from: '2026-11-01', to: '2026-11-14', days: Array.from({ length: 14 }, (_, i) => day(i)), asked: 273, answered: 91, votes: { up: 3, down: 2 }, byChatType: {},
            notFound: texts.map((t, i) => ({ topic: t, count: 20 - i, phrasings: 2, example: t || '?', absent: [t, t] })),
            mostDown: texts.map((t, i) => ({ passageId: `p${i}`, articleTitle: t, url: 'https://x', heading: t, paragraph: 1, up: 0, down: 9 - i, example: t })),
            mostUp: [],
          },
          'zh',
          max,
        );
        expect(text.length).toBeLessThanOrEqual(max);
        expect(text).toContain('📊');
      }),
      { numRuns: 60 },
    );
  });
});

describe('the log secret', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('is generated once into DATA_DIR, owner-only, and read back the same; a configured one wins', () => {
    const t = tempDir('secret-');
    cleanup = t.cleanup;
    const dataDir = join(t.dir, 'data');
    const first = loadLogSecret(undefined, dataDir);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadLogSecret(undefined, dataDir)).toBe(first);
    expect(loadLogSecret('configured-secret-0123', dataDir)).toBe('configured-secret-0123');
    chmodSync(join(dataDir, SECRET_FILE), 0o644);
    expect(loadLogSecret(undefined, dataDir)).toBe(first);
    expect(statSync(join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dataDir, SECRET_FILE), 'short\n');
    expect(() => loadLogSecret(undefined, dataDir)).toThrow(/no usable key.*QUESTION_LOG_SECRET/);
  });
});
