import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/bot/messages.js';
import { createQuestionLog, DAY_MS, type QuestionLog } from '../../src/insights/question-log.js';
import { questionTopic } from '../../src/insights/question-topic.js';
import { openStore, type NoticeStore } from '../../src/notices/store.js';
import { tempDir } from '../notices/helpers.js';
import type { ApiCall, StubMessage, StubUser } from '../support/telegram-stub.js';
import { library, startBotHarness, type BotHarness } from './helpers.js';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const READER = { id: 7_391_846_205, first_name: 'Reader', username: 'reader_name', language_code: 'zh-hans' };
const MEMBER = { id: 7_391_846_206, first_name: 'Member', language_code: 'zh' };
const THIRD = { id: 7_391_846_207, first_name: 'Third', language_code: 'zh' };
const EN_READER = { id: 7_391_846_208, first_name: 'Ann', language_code: 'en' };
const ADMIN = { id: 4242, first_name: 'Admin', language_code: 'zh' };
const GROUP = { id: -100_888, type: 'supergroup' as const, title: '读者群' };
const zh = MESSAGES.zh;
const topicOf = (question: string) => questionTopic(library.tokenizer.analyzeQuery(question));

type Button = { text: string; callback_data?: string };
const buttonsOf = (message: StubMessage): Button[] => (message.reply_markup?.inline_keyboard ?? []).flat();
const voteButtons = (message: StubMessage) => buttonsOf(message).filter((b) => b.callback_data?.startsWith('fb:'));

describe('feedback on answers and the question log, over a local Bot API server', () => {
  let h: BotHarness;
  let store: NoticeStore;
  let log: QuestionLog;
  let cleanup: () => void;
  let clock = Date.now();
  beforeAll(async () => {
    const t = tempDir('feedback-');
    cleanup = t.cleanup;
    store = openStore(join(t.dir, 'bot.db'));
    // Rows are written on the next turn of the event loop: before the test sees the reply.
    log = createQuestionLog({ db: store.db, secret: 'feedback-test-secret-0123456789', retentionDays: 90, topicOf, now: () => clock, flushAfterMs: 0 });
    const subscriptions = {
      subscribe: store.subscribe,
      unsubscribe: store.unsubscribe,
      subscription: store.subscription,
      stats: () => ({ ...store.counts() }),
    };
    h = await startBotHarness({ questionsPerMinute: 1000, subscriptions, questionLog: { log, db: store.db } });
  });
  afterAll(async () => {
    await h.close();
    store.close();
    cleanup();
  });

  // Reads see what waits to be written too, as /stats does.
  const count = (sql: string, ...params: unknown[]) => {
    log.flush();
    return (store.db.prepare(sql).get(...params) as { n: number }).n;
  };
  const all = (sql: string, ...params: unknown[]) => {
    log.flush();
    return store.db.prepare(sql).all(...params);
  };
  const sent = (call: ApiCall) => (call.response as { result: StubMessage }).result;
  async function ask(text: string, from: StubUser = READER, chat?: typeof GROUP): Promise<StubMessage> {
    const before = h.stub.calls.length;
    if (text.startsWith('/')) h.stub.sendCommand(text, { from, ...(chat ? { chat } : {}) });
    else h.stub.sendText(text, { from, ...(chat ? { chat } : {}) });
    const chatId = chat?.id ?? from.id;
    return sent(await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId, { since: before }));
  }
  /** Presses a button as `from`; resolves with the toast the bot answered it with. */
  async function press(message: StubMessage, data: string, from: StubUser = READER): Promise<string | undefined> {
    const update = h.stub.clickButton(message, data, { from }) as { callback_query: { id: string } };
    const answer = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === update.callback_query.id);
    return answer.params['text'] as string | undefined;
  }
  const current = (message: StubMessage) => h.stub.messagesTo(message.chat.id).find((m) => m.message_id === message.message_id)!;
  const lastQuestionId = () => count('SELECT MAX(id) AS n FROM question_log');

  it('puts 👍 / 👎 in a row of their own under an answer, and none under a not-found, a greeting or an inline answer', async () => {
    const questionsBefore = count('SELECT COUNT(*) AS n FROM question_log');
    const answer = await ask('东芝丑闻是哪一年开始的？');
    const rows = answer.reply_markup!.inline_keyboard!;
    expect(rows.at(-1)!.map((b) => b.text)).toEqual(['👍', '👎']);
    for (const b of rows.at(-1)!) {
      expect(b.callback_data).toMatch(/^fb:[ud]:[0-9a-z]+:[A-Za-z0-9_-]{10}$/);
      expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);
    }
    expect(voteButtons(await ask('明天上海会下雨吗'))).toEqual([]);
    expect(voteButtons(await ask('你好'))).toEqual([]);
    const beforeInline = h.stub.calls.length;
    h.stub.sendInlineQuery('东芝丑闻', { from: READER });
    const inline = await h.stub.waitForCall((c) => c.method === 'answerInlineQuery', { since: beforeInline });
    expect(JSON.stringify(inline.params['results'])).not.toContain('fb:');
    // The two questions are logged (the greeting and the inline query are not), with what they showed.
    expect(count('SELECT COUNT(*) AS n FROM question_log') - questionsBefore).toBe(2);
    const rowsLogged = all('SELECT question, answered, chat_type, language, absent FROM question_log ORDER BY id DESC LIMIT 2');
    expect(rowsLogged).toEqual([
      { question: '明天上海会下雨吗', answered: 0, chat_type: 'private', language: 'zh', absent: expect.stringContaining('上海') },
      { question: '东芝丑闻是哪一年开始的？', answered: 1, chat_type: 'private', language: 'zh', absent: null },
    ]);
    expect(count('SELECT COUNT(*) AS n FROM question_log_passages WHERE question_id = ?', lastQuestionId() - 1)).toBeGreaterThan(0);
    // Names and usernames go nowhere near the log.
    const dump = JSON.stringify(all('SELECT * FROM question_log'));
    expect(dump).not.toContain('reader_name');
    expect(dump).not.toContain(String(READER.id));
  });

  it('takes a vote with a short toast, lets the reader change it, and neither re-sends nor edits the answer', async () => {
    const answer = await ask('COCOM成立时欧洲和日本处于什么状况？');
    const questionId = lastQuestionId();
    const [up, down] = voteButtons(answer);
    const afterAnswer = h.stub.calls.length;
    expect(await press(answer, up!.callback_data!)).toBe(zh.voteRecorded(true));
    expect(await press(answer, up!.callback_data!)).toBe(zh.voteUnchanged(true));
    expect(await press(answer, down!.callback_data!)).toBe(zh.voteChanged(false));
    expect(all('SELECT vote FROM question_log_votes WHERE question_id = ?', questionId)).toEqual([{ vote: -1 }]);
    const after = h.stub.calls.slice(afterAnswer).map((c) => c.method);
    expect(after.filter((m) => m !== 'answerCallbackQuery' && m !== 'getUpdates')).toEqual([]);
    expect(h.stub.messagesTo(READER.id).filter((m) => m.message_id === answer.message_id)).toHaveLength(1);
    // Toasts in the reader's language.
    const english = await ask('What was COCOM?', EN_READER);
    expect(await press(english, voteButtons(english)[0]!.callback_data!, EN_READER)).toBe(MESSAGES.en.voteRecorded(true));
  });

  it('counts each reader of a group once, on the answer pressed, older answers and paged answers included', async () => {
    const first = await ask('/ask 出口管制', READER, GROUP);
    const firstId = lastQuestionId();
    const second = await ask('@test_bot 东芝丑闻是哪一年开始的？', MEMBER, GROUP);
    const secondId = lastQuestionId();
    expect(secondId).toBeGreaterThan(firstId);
    expect(all('SELECT chat_type FROM question_log WHERE id IN (?, ?)', firstId, secondId)).toEqual([{ chat_type: 'supergroup' }, { chat_type: 'supergroup' }]);
    // Votes on the older answer land on it, one per reader.
    const [up, down] = voteButtons(first);
    expect(await press(first, down!.callback_data!, MEMBER)).toBe(zh.voteRecorded(false));
    expect(await press(first, up!.callback_data!, READER)).toBe(zh.voteRecorded(true));
    expect(count('SELECT COUNT(*) AS n FROM question_log_votes WHERE question_id = ?', firstId)).toBe(2);
    expect(count('SELECT COUNT(*) AS n FROM question_log_votes WHERE question_id = ?', secondId)).toBe(0);
    // Paging edits the answer in place; its vote buttons stay, and still count for it.
    const more = buttonsOf(first).find((b) => b.callback_data?.startsWith('more:'))!;
    const beforeEdit = h.stub.calls.length;
    await press(first, more.callback_data!, THIRD);
    await h.stub.waitForCall((c) => c.method === 'editMessageText', { since: beforeEdit });
    const paged = current(first);
    expect(paged.text).toMatch(/^4\. /);
    expect(voteButtons(paged)).toEqual(voteButtons(first));
    expect(await press(paged, voteButtons(paged)[0]!.callback_data!, THIRD)).toBe(zh.voteRecorded(true));
    expect(count('SELECT COUNT(*) AS n FROM question_log_votes WHERE question_id = ?', firstId)).toBe(3);
    // And after the context view and back.
    const context = buttonsOf(paged).find((b) => b.callback_data?.startsWith('ctx:'))!;
    const beforeContext = h.stub.calls.length;
    await press(paged, context.callback_data!, THIRD);
    await h.stub.waitForCall((c) => c.method === 'editMessageText' && String(c.params['text']).includes('<blockquote'), { since: beforeContext });
    expect(voteButtons(current(first))).toEqual(voteButtons(first));
    expect(second.message_id).toBeGreaterThan(first.message_id);
  });

  it('answers forged, tampered or copied vote buttons politely and records nothing', async () => {
    const answer = await ask('盟国怀疑华盛顿怎样玩弄出口管制体系');
    const questionId = lastQuestionId();
    const [up] = voteButtons(answer);
    const [, , id36, tag] = up!.callback_data!.split(':');
    const votesBefore = count('SELECT COUNT(*) AS n FROM question_log_votes');
    const forged = [
      `fb:u:${id36}:AAAAAAAAAA`, // tag tampered
      `fb:u:${(questionId - 1).toString(36)}:${tag}`, // another question with this tag
      `fb:x:${id36}:${tag}`, // no such direction
      `fb:u:${id36}`, // cut short
      `fb:u:${'z'.repeat(11)}:${tag}`, // an id past any real one
      `fb:${'u'.repeat(61)}`, // 64 bytes of nonsense
    ];
    for (const data of forged) expect(await press(answer, data), data).toBe(zh.invalidButton);
    // A genuine button copied onto a message in another chat does not vote either.
    const elsewhere = { ...answer, chat: { id: MEMBER.id, type: 'private' as const } };
    expect(await press(elsewhere, up!.callback_data!, MEMBER)).toBe(zh.invalidButton);
    // A callback without its message (too old for Telegram to send it along).
    const bare = h.stub.pushUpdate({ callback_query: { id: 'bare-1', from: READER, chat_instance: 'ci', data: up!.callback_data } });
    expect(bare).toBeDefined();
    const bareAnswer = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === 'bare-1');
    expect(bareAnswer.params['text']).toBe(zh.invalidButton);
    expect(count('SELECT COUNT(*) AS n FROM question_log_votes')).toBe(votesBefore);
  });

  it('says so, kindly, when a vote comes for an answer whose record is gone (past the keeping period)', async () => {
    const answer = await ask('出口管制为什么曾经从公众视野中消失');
    const questionId = lastQuestionId();
    const realNow = clock;
    clock = realNow + 91 * DAY_MS;
    try {
      const purged = createQuestionLog({ db: store.db, secret: 'feedback-test-secret-0123456789', retentionDays: 90, topicOf, now: () => clock }).purge();
      expect(purged).toBeGreaterThanOrEqual(1);
    } finally {
      clock = realNow;
    }
    expect(count('SELECT COUNT(*) AS n FROM question_log WHERE id = ?', questionId)).toBe(0);
    expect(await press(answer, voteButtons(answer)[0]!.callback_data!)).toBe(zh.voteGone);
    expect(count('SELECT COUNT(*) AS n FROM question_log_votes WHERE question_id = ?', questionId)).toBe(0);
  });

  it('/forgetme deletes what a reader asked and voted and says how many; other readers keep theirs', async () => {
    const forgetful = { id: 7_391_846_209, first_name: 'F', language_code: 'zh' };
    const a = await ask('东芝的决定为什么威胁北约的集体安全', forgetful);
    await ask('光刻机是什么', forgetful);
    const other = await ask('东芝的决定为什么威胁北约的集体安全', MEMBER);
    await press(a, voteButtons(a)[0]!.callback_data!, forgetful);
    await press(other, voteButtons(other)[1]!.callback_data!, forgetful);
    await press(other, voteButtons(other)[0]!.callback_data!, MEMBER);
    const questions = count('SELECT COUNT(*) AS n FROM question_log');
    const reply = await ask('/forgetme', forgetful);
    expect(reply.text).toBe(zh.forgotten(2, 2));
    expect(count('SELECT COUNT(*) AS n FROM question_log')).toBe(questions - 2);
    expect(all('SELECT vote FROM question_log_votes v JOIN question_log q ON q.id = v.question_id WHERE q.question = ?', '东芝的决定为什么威胁北约的集体安全')).toEqual([{ vote: 1 }]);
    expect((await ask('/forgetme', forgetful)).text).toBe(zh.forgotten(0, 0));
    expect(await press(a, voteButtons(a)[1]!.callback_data!, forgetful)).toBe(zh.voteGone);
  });

  it('logs a question sent as a channel under that channel, not under Telegram\'s shared sender id, and /forgetme there forgets only it', async () => {
    const CHANNEL_BOT = { id: 136_817_688, is_bot: true, first_name: 'Channel' };
    const asChannel = async (channelId: number, text: string) => {
      const before = h.stub.calls.length;
      const sender_chat = { id: channelId, type: 'channel', title: `C${channelId}` };
      h.stub.pushUpdate({ message: { message_id: 5_000_000 + before, date: 0, chat: GROUP, from: CHANNEL_BOT, sender_chat, text, ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}) } });
      return (await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === GROUP.id, { since: before })).params['text'] as string;
    };
    const questions = count('SELECT COUNT(*) AS n FROM question_log');
    await asChannel(-1_001, '/ask 东芝丑闻是哪一年开始的？');
    await asChannel(-1_002, '/ask 东芝丑闻是哪一年开始的？');
    expect(count('SELECT COUNT(DISTINCT asker) AS n FROM (SELECT asker FROM question_log ORDER BY id DESC LIMIT 2)')).toBe(2);
    expect(await asChannel(-1_001, '/forgetme')).toBe(zh.forgotten(1, 0));
    expect(count('SELECT COUNT(*) AS n FROM question_log')).toBe(questions + 1);
  });

  it('/privacy says what is kept and for how long, in the reader\'s language', async () => {
    const text = (await ask('/privacy')).text!;
    expect(text).toBe(zh.privacy(90));
    for (const part of ['90 天', 'HMAC-SHA256', '/forgetme', '不记录名字和用户名', '群组']) expect(text).toContain(part);
    expect((await ask('/privacy', EN_READER)).text).toContain('keeps it 90 days');
  });

  it('logs nothing for a chat that only receives notices (subscribing, the notice\'s button)', async () => {
    const questions = count('SELECT COUNT(*) AS n FROM question_log');
    const notices = { id: -100_999, type: 'supergroup' as const, title: '通知群' };
    h.stub.setChatAdministrators(notices.id, [MEMBER.id]);
    await ask('/subscribe', MEMBER, notices);
    const articleId = library.articles()[0]!.id;
    const notice = { message_id: 77, date: 0, chat: notices, text: '📰 新文章' };
    await press(notice, `scope:${articleId}`, MEMBER);
    expect(count('SELECT COUNT(*) AS n FROM question_log')).toBe(questions);
  });

  it('/stats gives admins the questions of 14 days, the share answered, the commonest not-found questions and the most 👎 passages', async () => {
    for (const q of ['量子计算机有哪些', '量子計算機有哪些？', '有哪些量子计算机']) await ask(q, MEMBER);
    const answer = await ask('东芝丑闻是哪一年开始的？', MEMBER);
    await press(answer, voteButtons(answer)[1]!.callback_data!, MEMBER);
    const text = (await ask('/stats', ADMIN)).text!;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain('订阅者：1');
    expect(text).toContain(zh.questionStatsTitle(14));
    const dayLines = text.split('\n').filter((l) => /^\d\d-\d\d /.test(l));
    expect(dayLines).toHaveLength(14);
    expect(text).toMatch(/共 \d+ 个问题，已回答 \d+ 个（\d+%）/);
    // The three wordings of one question are one entry, asked three times, with the words no article has.
    expect(text).toMatch(/\d\. ×3 (量子计算机有哪些|量子計算機有哪些？|有哪些量子计算机)（3 种问法）\n {3}文章中没有：「量子」/);
    expect(text).toContain(zh.questionStatsMostDown);
    expect(text).toMatch(/1\. 👎\d+ 👍\d+ 《/);
    expect((await ask('/stats', READER)).text).toBe(zh.botAdminsOnly);
  });
});

describe('when the question log is off (QUESTION_LOG_DAYS=0)', () => {
  it('logs nothing, shows no vote buttons, and says so in /privacy and /stats', async () => {
    const t = tempDir('feedback-off-');
    const store = openStore(join(t.dir, 'bot.db'));
    const log = createQuestionLog({ db: store.db, secret: 'feedback-test-secret-0123456789', retentionDays: 0, topicOf, flushAfterMs: 0 });
    const h = await startBotHarness({ questionLog: { log, db: store.db } });
    const reply = async (text: string, from: StubUser) => {
      const before = h.stub.calls.length;
      h.stub.sendCommand(text, { from });
      return (await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === from.id, { since: before })).params['text'] as string;
    };
    try {
      const before = h.stub.calls.length;
      h.stub.sendText('东芝丑闻是哪一年开始的？', { from: READER });
      const answer = (await h.stub.waitForCall((c) => c.method === 'sendMessage', { since: before })).response as { result: StubMessage };
      expect(answer.result.text).toContain('出口管制的回归');
      expect(voteButtons(answer.result)).toEqual([]);
      expect((store.db.prepare('SELECT COUNT(*) AS n FROM question_log').get() as { n: number }).n).toBe(0);
      expect(await reply('/privacy', READER)).toBe(zh.privacyOff);
      expect(await reply('/stats', ADMIN)).toContain(zh.questionLogOff);
    } finally {
      await h.close();
      store.close();
      t.cleanup();
    }
  });
});

describe('when the question log fails', () => {
  it('still answers, logs the error, and says so on a vote and on /forgetme', async () => {
    const t = tempDir('feedback-broken-');
    const store = openStore(join(t.dir, 'bot.db'));
    let logged = '';
    const logger = pino({ level: 'error' }, new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } }));
    const log = createQuestionLog({
      db: store.db,
      secret: 'feedback-test-secret-0123456789',
      retentionDays: 90,
      topicOf,
      flushAfterMs: 0,
      onWriteError: (error, lost) => logger.error({ err: String(error), lost }, 'questions not written to the log'),
    });
    store.close(); // every write now throws
    const h = await startBotHarness({ logger, questionLog: { log, db: store.db } });
    try {
      h.stub.sendText('东芝丑闻是哪一年开始的？', { from: READER });
      const reply = await h.stub.waitForCall((c) => c.method === 'sendMessage');
      const message = (reply.response as { result: StubMessage }).result;
      expect(message.text).toContain('出口管制的回归');
      expect(buttonsOf(message).some((b) => b.callback_data?.startsWith('ctx:'))).toBe(true);
      await until(() => logged.includes('questions not written to the log'));
      expect(logged).not.toContain(String(READER.id));
      const press = h.stub.clickButton(message, voteButtons(message)[0]!.callback_data!, { from: READER }) as { callback_query: { id: string } };
      const toast = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === press.callback_query.id);
      expect(toast.params['text']).toBe(zh.voteFailed);
      const before = h.stub.calls.length;
      h.stub.sendCommand('/forgetme', { from: READER });
      const forget = await h.stub.waitForCall((c) => c.method === 'sendMessage', { since: before });
      expect(forget.params['text']).toBe(zh.forgetFailed);
    } finally {
      await h.close();
      t.cleanup();
    }
  });
});
