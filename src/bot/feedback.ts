import type Database from 'better-sqlite3';
import { timingSafeEqual } from 'node:crypto';
import { Composer, type Context } from 'telegraf';
import type { Answer } from '../answer/types.js';
import type { QuestionLog, Vote } from '../insights/question-log.js';
import { summarizeQuestions } from '../insights/question-summary.js';
import type { Logger } from '../logger.js';
import { messagesFor, readerKeyOf, withRetry, type BotDeps } from './context.js';
import type { InlineButton } from './format-answer.js';
import { formatQuestionStats } from './format-question-stats.js';
import { MESSAGES, type Lang } from './messages.js';

/** The question log as the bot uses it. */
export interface QuestionLogDeps {
  log: QuestionLog;
  /** The database the log lives in, for /stats. */
  db: Database.Database;
}

/** What answering and /stats need from the feedback feature. */
export interface AnswerFeedback {
  /**
   * Logs a question and its answer; returns the 👍/👎 row for the reply when there is an
   * answer to judge (passages or article facts). Never throws: a logging failure is logged
   * and the answer goes out without buttons.
   */
  logAnswer(ctx: Context, question: string, answer: Answer): InlineButton[] | undefined;
  /** The log's part of /stats for admins, at most `maxChars` characters; undefined without a log. */
  statsText(lang: Lang, maxChars: number): string | undefined;
}

const STATS_DAYS = 14;
const VOTE_DATA = /^fb:([ud]):([0-9a-z]{1,11}):([A-Za-z0-9_-]{10})$/;
const isVoteData = (data: string) => data.startsWith('fb:');

/** fb:<u|d>:<question id, base 36>:<tag of id and chat>: at most 27 bytes, far below Telegram's 64. */
function voteRow(log: QuestionLog, questionId: number, chatId: number): InlineButton[] {
  const id = questionId.toString(36);
  const tag = log.tag(`${questionId}:${chatId}`);
  return [
    { text: '👍', callback_data: `fb:u:${id}:${tag}` },
    { text: '👎', callback_data: `fb:d:${id}:${tag}` },
  ];
}

/**
 * The 👍/👎 row of the message a button was pressed on, added to the keyboard that replaces
 * it (paging and context edit the answer in place; the votes stay with it).
 */
export function keepVoteRow(ctx: Context, keyboard: InlineButton[][]): InlineButton[][] {
  const message = ctx.callbackQuery?.message;
  const rows = message && 'reply_markup' in message ? (message.reply_markup?.inline_keyboard ?? []) : [];
  const row = rows.find((r) => r.some((b) => 'callback_data' in b && isVoteData(b.callback_data)));
  if (!row) return keyboard;
  const buttons = row.flatMap((b) => ('callback_data' in b ? [{ text: b.text, callback_data: b.callback_data }] : []));
  return [...keyboard, buttons];
}

export function createAnswerFeedback(questionLog: QuestionLogDeps | undefined, logger: Logger): AnswerFeedback {
  return {
    logAnswer(ctx, question, answer) {
      const log = questionLog?.log;
      // Greetings and thanks are not questions; a log kept 0 days is off.
      const reader = readerKeyOf(ctx);
      if (!questionLog || !log?.retentionDays || answer.smallTalk || reader === undefined || !ctx.chat) return undefined;
      try {
        const answered = answer.results.length > 0 || (answer.articleInfo?.length ?? 0) > 0;
        const questionId = log.record({
          // The reader as the limits know them: a message sent as a channel is the channel's.
          userId: reader,
          chatType: ctx.chat.type,
          language: messagesFor(ctx).lang,
          question,
          answered,
          absent: answer.absent,
          passages: answer.results.map((r) => ({
            passageId: r.passageId,
            articleId: r.articleId,
            articleTitle: r.articleTitle,
            url: r.url,
            heading: r.heading,
            paragraph: r.paragraph,
            score: r.score,
          })),
        });
        // A "not found" has nothing to judge, and the log already counts it.
        return answered ? voteRow(log, questionId, ctx.chat.id) : undefined;
      } catch (error) {
        logger.error({ err: String(error), update_id: ctx.update.update_id }, 'question not logged; answering without vote buttons');
        return undefined;
      }
    },
    statsText(lang, maxChars) {
      if (!questionLog) return undefined;
      if (!questionLog.log.retentionDays) return MESSAGES[lang].questionLogOff;
      questionLog.log.flush();
      return formatQuestionStats(summarizeQuestions(questionLog.db, { days: STATS_DAYS, limit: 10 }), lang, maxChars);
    },
  };
}

const tagsEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** 👍/👎 on answers, /privacy and /forgetme. */
export function createFeedbackFeature(deps: Pick<BotDeps, 'logger'> & { questionLog?: QuestionLogDeps | undefined }): Composer<Context> {
  const feature = new Composer<Context>();
  const log = deps.questionLog?.log;

  feature.action(VOTE_DATA, async (ctx) => {
    const { m } = messagesFor(ctx);
    const [, direction, id36 = '', tag = ''] = ctx.match;
    const questionId = parseInt(id36, 36);
    const chatId = ctx.callbackQuery.message?.chat.id;
    // The tag ties the button to its question and chat: forged or copied data is refused.
    if (!log || chatId === undefined || !Number.isSafeInteger(questionId) || !tagsEqual(tag, log.tag(`${questionId}:${chatId}`))) {
      await ctx.answerCbQuery(m.invalidButton);
      return;
    }
    const up = direction === 'u';
    let outcome;
    try {
      outcome = log.vote(questionId, ctx.from.id, (up ? 1 : -1) as Vote);
    } catch (error) {
      deps.logger.error({ err: String(error), update_id: ctx.update.update_id }, 'vote not recorded');
      await ctx.answerCbQuery(m.voteFailed);
      return;
    }
    const toast = { recorded: m.voteRecorded(up), changed: m.voteChanged(up), unchanged: m.voteUnchanged(up), gone: m.voteGone }[outcome];
    await ctx.answerCbQuery(toast);
  });

  feature.command('privacy', async (ctx) => {
    const { m } = messagesFor(ctx);
    await withRetry(() => ctx.reply(log?.retentionDays ? m.privacy(log.retentionDays) : m.privacyOff));
  });

  feature.command('forgetme', async (ctx) => {
    const { m } = messagesFor(ctx);
    let forgotten = { questions: 0, votes: 0 };
    try {
      const reader = readerKeyOf(ctx);
      if (log && reader !== undefined) forgotten = log.forget(reader);
    } catch (error) {
      deps.logger.error({ err: String(error), update_id: ctx.update.update_id }, 'forgetme failed');
      await withRetry(() => ctx.reply(m.forgetFailed));
      return;
    }
    await withRetry(() => ctx.reply(m.forgotten(forgotten.questions, forgotten.votes)));
  });

  return feature;
}
