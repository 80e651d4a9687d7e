import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';

export const DAY_MS = 86_400_000;

/** A passage an answer showed, as the log keeps it (the article may change or go later). */
export interface LoggedPassage {
  passageId: string;
  articleId: string;
  articleTitle: string;
  url: string;
  heading: string;
  paragraph: number;
  score: number;
}

export interface QuestionEntry {
  /** Telegram user id: only its keyed hash is written. */
  userId: number;
  chatType: string;
  language: string;
  question: string;
  /** What it asks about (question-topic.ts): rephrasings share it. */
  topic: string;
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
  /** Records a question and what it was shown; returns its id (what a vote refers to). */
  record(entry: QuestionEntry): number;
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
  now?: () => number;
}

/**
 * The question log: what readers ask and what they think of the answers, for the editors.
 * No names or usernames are ever given to it, and user ids only leave `hashUser` as
 * HMAC-SHA256 under a secret kept outside the database.
 */
export function createQuestionLog(options: QuestionLogOptions): QuestionLog {
  const { db, secret, retentionDays } = options;
  const now = options.now ?? Date.now;
  const hmac = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');
  // 128 bits: collisions are out of reach, and the key makes the hash useless without it.
  const hashUser = (userId: number) => hmac(`user:${userId}`).slice(0, 22);

  const stmt = {
    insertQuestion: db.prepare(`
      INSERT INTO question_log (asked_at, asker, chat_type, language, question, topic, answered, absent)
      VALUES (@askedAt, @asker, @chatType, @language, @question, @topic, @answered, @absent)`),
    insertPassage: db.prepare(`
      INSERT INTO question_log_passages (question_id, rank, passage_id, article_id, article_title, url, heading, paragraph, score)
      VALUES (@questionId, @rank, @passageId, @articleId, @articleTitle, @url, @heading, @paragraph, @score)`),
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

  const record = db.transaction((entry: QuestionEntry): number => {
    const { lastInsertRowid } = stmt.insertQuestion.run({
      askedAt: Math.floor(now()),
      asker: hashUser(entry.userId),
      chatType: entry.chatType,
      language: entry.language,
      question: entry.question,
      topic: entry.topic,
      answered: entry.answered ? 1 : 0,
      absent: entry.absent?.length ? JSON.stringify(entry.absent) : null,
    });
    const questionId = Number(lastInsertRowid);
    entry.passages.forEach((p, i) => stmt.insertPassage.run({ questionId, rank: i + 1, ...p }));
    return questionId;
  });

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
    record: (entry) => record(entry),
    vote: (questionId, userId, value) => vote(questionId, userId, value),
    forget: (userId) => forget(userId),
    purge: () => purge(),
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
