import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AnswerResult } from '../answer/types.js';

export const DAY_MS = 86_400_000;

/** A passage an answer showed, as the log keeps it (the article may change or go later). */
export type LoggedPassage = Pick<AnswerResult, 'passageId' | 'articleId' | 'articleTitle' | 'url' | 'heading' | 'paragraph' | 'score'>;

export interface QuestionEntry {
  /** Telegram user id: only its keyed hash is written. */
  userId: number;
  chatType: string;
  language: string;
  question: string;
  answered: boolean;
  /** Words of the question no article mentions (a not-found answer names them). */
  absent?: readonly string[] | undefined;
  passages: readonly LoggedPassage[];
}

export type Vote = 1 | -1;
/** recorded: first vote; changed: 👍 ↔ 👎; unchanged: the same again; gone: the question was purged or forgotten. */
export type VoteOutcome = 'recorded' | 'changed' | 'unchanged' | 'gone';

export interface QuestionLog {
  /** Days rows are kept; 0: the log is off (nothing is recorded, purge empties it). */
  readonly retentionDays: number;
  /**
   * Records a question and what it was shown; returns its id (what a vote refers to). The
   * row is written with others in one transaction a moment later (see `flushAfterMs`), off
   * the answer's path; everything that reads or changes the log writes what waits first.
   */
  record(entry: QuestionEntry): number;
  /** Writes the questions recorded and not yet written (before reading the log elsewhere). Never throws: see `onWriteError`. */
  flush(): void;
  /** Writes what waits and stops the timer (at shutdown, before the database closes). */
  close(): void;
  /** One vote per reader per question, changeable. */
  vote(questionId: number, userId: number, vote: Vote): VoteOutcome;
  /** Deletes a reader's questions (with the votes on them) and the votes they cast. */
  forget(userId: number): { questions: number; votes: number };
  /** Deletes questions older than the retention period, with their passages and votes. */
  purge(): number;
  /** A short keyed tag of `text` (same key as the user hashes): makes callback data unforgeable. */
  tag(text: string): string;
}

export interface QuestionLogOptions {
  /** The bot's database (src/notices/store.ts runs the migration that makes these tables). */
  db: Database.Database;
  secret: string;
  retentionDays: number;
  /**
   * What a question asks about (question-topic.ts over the library's tokenizer): rephrasings
   * share it. Worked out when the row is written, off the answer's path.
   */
  topicOf: (question: string) => string;
  now?: () => number;
  /** Longest a recorded question waits before it is written (ms). Default 1000; 0: on the next turn of the event loop. */
  flushAfterMs?: number;
  /** Questions waiting that make a write happen at once. Default 200. */
  maxPending?: number;
  /** A batch that could not be written (it is dropped: the log must not hold the bot up). */
  onWriteError?: (error: unknown, lost: number) => void;
}

/**
 * The question log: what readers ask and what they think of the answers, for the editors.
 * No names or usernames are ever given to it, and user ids only leave `hashUser` as
 * HMAC-SHA256 under a secret kept outside the database.
 */
export function createQuestionLog(options: QuestionLogOptions): QuestionLog {
  const { db, secret, retentionDays } = options;
  // A question the tokenizer chokes on is still logged, under its own text.
  const topicOf = (question: string) => {
    try {
      return options.topicOf(question);
    } catch {
      return question.trim();
    }
  };
  const now = options.now ?? Date.now;
  const hmac = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');
  // 128 bits: collisions are out of reach, and the key makes the hash useless without it.
  const hashUser = (userId: number) => hmac(`user:${userId}`).slice(0, 22);

  const stmt = {
    insertQuestion: db.prepare(`
      INSERT INTO question_log (id, asked_at, asker, chat_type, language, question, topic, answered, absent)
      VALUES (@id, @askedAt, @asker, @chatType, @language, @question, @topic, @answered, @absent)`),
    lastId: db.prepare(`SELECT MAX(COALESCE((SELECT MAX(id) FROM question_log), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'question_log'), 0)) AS id`),
    insertPassage: db.prepare(`
      INSERT INTO question_log_passages (question_id, rank, passage_id, article_id, heading, paragraph, score)
      VALUES (@questionId, @rank, @passageId, @articleId, @heading, @paragraph, @score)`),
    upsertArticle: db.prepare(`
      INSERT INTO question_log_articles (article_id, title, url) VALUES (?, ?, ?)
      ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, url = excluded.url`),
    questionExists: db.prepare('SELECT 1 FROM question_log WHERE id = ?'),
    currentVote: db.prepare('SELECT vote FROM question_log_votes WHERE question_id = ? AND voter = ?'),
    upsertVote: db.prepare(`
      INSERT INTO question_log_votes (question_id, voter, vote, voted_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (question_id, voter) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`),
    forgetVotesCast: db.prepare('DELETE FROM question_log_votes WHERE voter = ?'),
    forgetVotesOnQuestions: db.prepare('DELETE FROM question_log_votes WHERE question_id IN (SELECT id FROM question_log WHERE asker = ?)'),
    forgetPassages: db.prepare('DELETE FROM question_log_passages WHERE question_id IN (SELECT id FROM question_log WHERE asker = ?)'),
    forgetQuestions: db.prepare('DELETE FROM question_log WHERE asker = ?'),
    purgeVotes: db.prepare('DELETE FROM question_log_votes WHERE question_id IN (SELECT id FROM question_log WHERE asked_at < ?)'),
    purgePassages: db.prepare('DELETE FROM question_log_passages WHERE question_id IN (SELECT id FROM question_log WHERE asked_at < ?)'),
    purgeQuestions: db.prepare('DELETE FROM question_log WHERE asked_at < ?'),
  };

  // Rows wait here, hashed already, and are written in batches: a write per question would
  // cost every answer a transaction (and now and then a checkpoint's fsync) on its way out.
  // Ids are handed out here (this process owns the database), never reused (AUTOINCREMENT).
  type PendingRow = { id: number; askedAt: number; asker: string; entry: Omit<QuestionEntry, 'userId'> };
  let pending: PendingRow[] = [];
  let lastId = (stmt.lastId.get() as { id: number }).id;
  let timer: NodeJS.Timeout | undefined;
  const flushAfterMs = options.flushAfterMs ?? 1000;
  const maxPending = options.maxPending ?? 200;
  const onWriteError = options.onWriteError ?? ((error: unknown, lost: number) => process.emitWarning(`question log: ${lost} questions not written: ${String(error)}`));

  // Articles' titles and links are kept once each, not with every passage shown (a row per
  // article ever shown: bounded by the corpus, and nothing personal, so never purged).
  const articlesWritten = new Map<string, string>();
  const writeRows = db.transaction((rows: PendingRow[]) => {
    for (const { id, askedAt, asker, entry } of rows) {
      stmt.insertQuestion.run({
        id,
        askedAt,
        asker,
        chatType: entry.chatType,
        language: entry.language,
        question: entry.question,
        topic: topicOf(entry.question),
        answered: entry.answered ? 1 : 0,
        absent: entry.absent?.length ? JSON.stringify(entry.absent) : null,
      });
      entry.passages.forEach((p, i) => {
        const article = `${p.articleTitle}\u0000${p.url}`;
        if (articlesWritten.get(p.articleId) !== article) {
          stmt.upsertArticle.run(p.articleId, p.articleTitle, p.url);
          articlesWritten.set(p.articleId, article);
        }
        stmt.insertPassage.run({ questionId: id, rank: i + 1, passageId: p.passageId, articleId: p.articleId, heading: p.heading, paragraph: p.paragraph, score: p.score });
      });
    }
  });

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    try {
      writeRows(rows);
    } catch (error) {
      onWriteError(error, rows.length);
    }
  }

  function record({ userId, ...entry }: QuestionEntry): number {
    const id = ++lastId;
    pending.push({ id, askedAt: Math.floor(now()), asker: hashUser(userId), entry });
    if (pending.length >= maxPending) flush();
    else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        flush();
      }, flushAfterMs);
      timer.unref();
    }
    return id;
  }

  const vote = db.transaction((questionId: number, userId: number, value: Vote): VoteOutcome => {
    if (!stmt.questionExists.get(questionId)) return 'gone';
    const voter = hashUser(userId);
    const previous = (stmt.currentVote.get(questionId, voter) as { vote: number } | undefined)?.vote;
    if (previous === value) return 'unchanged';
    stmt.upsertVote.run(questionId, voter, value, now());
    return previous === undefined ? 'recorded' : 'changed';
  });

  // Votes and passages are deleted explicitly (not only by ON DELETE CASCADE), so the log
  // stays right on a connection that has foreign keys off.
  const forget = db.transaction((userId: number) => {
    const hash = hashUser(userId);
    const votes = stmt.forgetVotesCast.run(hash).changes;
    stmt.forgetVotesOnQuestions.run(hash);
    stmt.forgetPassages.run(hash);
    return { questions: stmt.forgetQuestions.run(hash).changes, votes };
  });

  const purge = db.transaction((): number => {
    // Kept 0 days: the log is off, and whatever it still holds goes.
    const cutoff = retentionDays ? now() - retentionDays * DAY_MS : Number.MAX_SAFE_INTEGER;
    stmt.purgeVotes.run(cutoff);
    stmt.purgePassages.run(cutoff);
    return stmt.purgeQuestions.run(cutoff).changes;
  });

  return {
    retentionDays,
    record,
    flush,
    close: flush,
    vote: (questionId, userId, value) => {
      flush();
      return vote(questionId, userId, value);
    },
    forget: (userId) => {
      flush();
      return forget(userId);
    },
    purge: () => {
      flush();
      return purge();
    },
    tag: (text) => hmac(`tag:${text}`).slice(0, 10),
  };
}

/**
 * Purges the log now and then once a day; returns a stop function. A failure is reported
 * and tried again the next day, never thrown into the bot.
 */
export function schedulePurge(log: QuestionLog, onResult: (result: { purged: number } | { error: unknown }) => void, everyMs = DAY_MS): () => void {
  const run = () => {
    try {
      onResult({ purged: log.purge() });
    } catch (error) {
      onResult({ error });
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
