import type Database from 'better-sqlite3';
import { DAY_MS } from './question-log.js';

/** A group of not-found questions that ask the same thing (questions with no informative word are left out). */
export interface NotFoundTopic {
  topic: string;
  count: number;
  /** Distinct wordings in the group. */
  phrasings: number;
  /** The commonest wording (the latest among equals). */
  example: string;
  /** Words no article mentions, as the latest answer named them. */
  absent: string[];
}

/** A passage answers showed, with the votes on those answers. */
export interface PassageVotes {
  passageId: string;
  articleTitle: string;
  url: string;
  heading: string;
  paragraph: number;
  up: number;
  down: number;
  /** A question that was answered with it and voted on. */
  example: string;
}

export interface QuestionSummary {
  /** First and last day of the period (UTC, YYYY-MM-DD). */
  from: string;
  to: string;
  /** One entry per day of the period, oldest first, days without questions included. */
  days: Array<{ day: string; asked: number; answered: number }>;
  asked: number;
  answered: number;
  votes: { up: number; down: number };
  byChatType: Record<string, number>;
  notFound: NotFoundTopic[];
  mostDown: PassageVotes[];
  mostUp: PassageVotes[];
}

export const dayOf = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

/**
 * What readers asked in the `days` UTC days up to the one holding `now` (default: today,
 * included; later rows are left out, so a past period can be reported): questions per
 * day, the share answered, the commonest not-found questions (rephrasings grouped by
 * topic), and the passages of the answers readers liked and disliked most. A vote counts
 * for every passage its answer showed.
 */
export function summarizeQuestions(db: Database.Database, options: { days: number; now?: number; limit?: number }): QuestionSummary {
  const now = options.now ?? Date.now();
  const limit = options.limit ?? 10;
  const today = Math.floor(now / DAY_MS);
  const firstDay = today - Math.max(1, options.days) + 1;
  const since = firstDay * DAY_MS;
  const end = (today + 1) * DAY_MS;

  const perDay = new Map<number, { asked: number; answered: number }>();
  for (const row of db
    .prepare('SELECT asked_at / 86400000 AS day, COUNT(*) AS asked, SUM(answered) AS answered FROM question_log WHERE asked_at >= ? AND asked_at < ? GROUP BY day')
    .all(since, end) as Array<{ day: number; asked: number; answered: number }>) {
    perDay.set(row.day, { asked: row.asked, answered: row.answered });
  }
  const days: QuestionSummary['days'] = [];
  for (let d = firstDay; d <= today; d++) days.push({ day: dayOf(d * DAY_MS), ...(perDay.get(d) ?? { asked: 0, answered: 0 }) });

  const byChatType: Record<string, number> = {};
  for (const row of db.prepare('SELECT chat_type, COUNT(*) AS n FROM question_log WHERE asked_at >= ? AND asked_at < ? GROUP BY chat_type').all(since, end) as Array<{ chat_type: string; n: number }>) {
    byChatType[row.chat_type] = row.n;
  }

  const votes = db
    .prepare('SELECT COALESCE(SUM(v.vote = 1), 0) AS up, COALESCE(SUM(v.vote = -1), 0) AS down FROM question_log_votes v JOIN question_log q ON q.id = v.question_id WHERE q.asked_at >= ? AND q.asked_at < ?')
    .get(since, end) as { up: number; down: number };

  // The groups first, then an example for each of the few kept: not a subquery per group.
  const exampleOf = db.prepare(`
    SELECT question FROM question_log WHERE topic = ? AND answered = 0 AND asked_at >= ? AND asked_at < ?
    GROUP BY question ORDER BY COUNT(*) DESC, MAX(asked_at) DESC LIMIT 1`);
  const absentOf = db.prepare(`
    SELECT absent FROM question_log WHERE topic = ? AND answered = 0 AND asked_at >= ? AND asked_at < ?
    ORDER BY asked_at DESC, id DESC LIMIT 1`);
  const notFound = (db
    .prepare(`
      SELECT topic, COUNT(*) AS count, COUNT(DISTINCT question) AS phrasings FROM question_log
      WHERE answered = 0 AND asked_at >= ? AND asked_at < ? AND topic != ''
      GROUP BY topic ORDER BY count DESC, MAX(asked_at) DESC LIMIT ?`)
    .all(since, end, limit) as Array<{ topic: string; count: number; phrasings: number }>)
    .map((row) => ({
      ...row,
      example: (exampleOf.get(row.topic, since, end) as { question: string }).question,
      absent: parseWords((absentOf.get(row.topic, since, end) as { absent: string | null }).absent),
    }));

  const details = db.prepare(`
    SELECT a.title AS article_title, a.url, p.heading, p.paragraph,
      (SELECT q2.question FROM question_log q2 JOIN question_log_passages p2 ON p2.question_id = q2.id
        JOIN question_log_votes v2 ON v2.question_id = q2.id
        WHERE p2.passage_id = @passageId AND q2.asked_at >= @since AND q2.asked_at < @end ORDER BY (v2.vote = @sign) DESC, q2.asked_at DESC LIMIT 1) AS example
    FROM question_log_passages p JOIN question_log q ON q.id = p.question_id JOIN question_log_articles a ON a.article_id = p.article_id
    WHERE p.passage_id = @passageId ORDER BY q.asked_at DESC LIMIT 1`);
  // Votes per passage: from the votes of the period (few) to the passages their answers showed,
  // never a scan of every passage ever shown. Both rankings come from the one result.
  const votedPassages = db
    .prepare(`
      WITH voted AS MATERIALIZED (
        SELECT v.question_id, SUM(v.vote = 1) AS up, SUM(v.vote = -1) AS down
        FROM question_log q JOIN question_log_votes v ON v.question_id = q.id
        WHERE q.asked_at >= ? AND q.asked_at < ? GROUP BY v.question_id)
      SELECT p.passage_id, SUM(voted.up) AS up, SUM(voted.down) AS down
      FROM voted CROSS JOIN question_log_passages p ON p.question_id = voted.question_id
      GROUP BY p.passage_id`)
    .all(since, end) as Array<{ passage_id: string; up: number; down: number }>;
  const passageVotes = (sign: 1 | -1): PassageVotes[] => {
    const [mine, theirs] = sign === -1 ? (['down', 'up'] as const) : (['up', 'down'] as const);
    return votedPassages
      .filter((row) => row[mine] > 0)
      .sort((a, b) => b[mine] - a[mine] || a[theirs] - b[theirs] || (a.passage_id < b.passage_id ? -1 : 1))
      .slice(0, limit)
      .map((row) => {
        const d = details.get({ passageId: row.passage_id, since, end, sign }) as { article_title: string; url: string; heading: string; paragraph: number; example: string | null };
        return { passageId: row.passage_id, articleTitle: d.article_title, url: d.url, heading: d.heading, paragraph: d.paragraph, up: row.up, down: row.down, example: d.example ?? '' };
      });
  };

  return {
    from: dayOf(since),
    to: dayOf(now),
    days,
    asked: days.reduce((n, d) => n + d.asked, 0),
    answered: days.reduce((n, d) => n + d.answered, 0),
    votes,
    byChatType,
    notFound,
    mostDown: passageVotes(-1),
    mostUp: passageVotes(1),
  };
}

function parseWords(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}
