import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/bot/state.js';
import type { StubMessage } from '../support/telegram-stub.js';
import { library, startBotHarness, type BotHarness } from './helpers.js';

const USER = { id: 1001, first_name: 'Reader', language_code: 'zh-hans' };
const SLOW_DOWN = '提问太快了，请稍等一分钟再问。';
const GROUP = { id: -100321, type: 'supergroup' as const, title: '读者群' };
/** Telegram's shared sender of messages posted "as a channel", and of anonymous group admins. */
const CHANNEL_BOT = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };

const settle = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the per-reader limit', () => {
  let h: BotHarness;
  afterEach(async () => {
    await h.close();
  });

  it('answers up to the limit, says "slow down" once, then stays quiet', async () => {
    h = await startBotHarness({ questionsPerMinute: 20 });
    for (let i = 0; i < 60; i++) h.stub.sendText(`东芝 ${i}`, { from: USER });
    await h.stub.waitForCall((c) => c.method === 'sendMessage' && c.params['text'] === SLOW_DOWN);
    await settle();
    const sent = h.stub.callsOf('sendMessage').map((c) => String(c.params['text']));
    expect(sent.filter((t) => t === SLOW_DOWN)).toHaveLength(1);
    expect(sent).toHaveLength(21);
  });

  it('counts inline queries too: over the limit they get no results', async () => {
    h = await startBotHarness({ questionsPerMinute: 5 });
    for (let i = 0; i < 12; i++) h.stub.sendInlineQuery(`东芝 ${i}`, { from: USER });
    await h.stub.waitForCall(() => h.stub.callsOf('answerInlineQuery').length === 12);
    const answers = h.stub.callsOf('answerInlineQuery').map((c) => (c.params['results'] as unknown[]).length);
    expect(answers.filter((n) => n > 0)).toHaveLength(5);
    expect(answers.filter((n) => n === 0)).toHaveLength(7);
  });

  it('counts button presses: 100 presses of a button in a group post no more than the limit', async () => {
    h = await startBotHarness({ questionsPerMinute: 5 });
    const article = library.articles()[0]!;
    const message: StubMessage = { message_id: 5, date: 0, chat: GROUP, text: 'x', reply_markup: { inline_keyboard: [[{ text: 's', callback_data: `sec:${article.id}` }]] } };
    for (let i = 0; i < 100; i++) h.stub.clickButton(message, `sec:${article.id}`, { from: USER });
    await h.stub.waitForCall(() => h.stub.callsOf('answerCallbackQuery').length === 100, { timeoutMs: 20_000 });
    await settle();
    expect(h.stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === GROUP.id)).toHaveLength(5);
    expect(h.stub.callsOf('answerCallbackQuery').filter((c) => c.params['text'] === SLOW_DOWN)).toHaveLength(1);
  });

  it('keys messages sent as a channel on the channel, not on the shared sender id', async () => {
    h = await startBotHarness({ questionsPerMinute: 3 });
    h.stub.setChatAdministrators(GROUP.id, []);
    const botName = `@${h.stub.botUser.username}`;
    const asChannel = (channelId: number, text: string) => {
      const id = Math.floor(Math.random() * 1e9);
      h.stub.pushUpdate({ message: { message_id: id, date: 0, chat: GROUP, from: CHANNEL_BOT, sender_chat: { id: channelId, type: 'channel', title: `C${channelId}` }, text } });
      return id;
    };
    const first = Array.from({ length: 6 }, (_, i) => asChannel(-1001, `${botName} 东芝 ${i}`));
    const second = Array.from({ length: 3 }, (_, i) => asChannel(-1002, `${botName} 康斯伯格 ${i}`));
    await h.stub.waitForCall(() => h.stub.callsOf('sendMessage').length >= 7, { timeoutMs: 15_000 });
    await settle();
    const replies = h.stub.callsOf('sendMessage');
    const repliesTo = (ids: number[]) => replies.filter((c) => ids.includes(Number((c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id)));
    // Channel -1001: three answers and one "slow down"; channel -1002: all three answered.
    expect(replies.filter((c) => c.params['text'] === SLOW_DOWN)).toHaveLength(1);
    expect(repliesTo(first)).toHaveLength(3);
    expect(repliesTo(second)).toHaveLength(3);
    expect(replies).toHaveLength(7);
  });

  it('limits the question of the member who pressed "ask about this article", no one else\'s', async () => {
    h = await startBotHarness();
    const article = library.articles()[0]!;
    const botName = `@${h.stub.botUser.username}`;
    const notice: StubMessage = { message_id: 9, date: 0, chat: GROUP, text: '📰', reply_markup: { inline_keyboard: [[{ text: '就这篇提问', callback_data: `scope:${article.id}` }]] } };
    const other = { id: 2002, first_name: 'Other', language_code: 'zh' };
    h.stub.clickButton(notice, `scope:${article.id}`, { from: USER });
    const toast = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery');
    expect(String(toast.params['text'])).toContain('你的下一个问题');
    // No message to the whole group for a press.
    expect(h.stub.callsOf('sendMessage')).toHaveLength(0);
    h.stub.sendText(`${botName} 东芝`, { from: other, chat: GROUP });
    const first = await h.stub.waitForCall((c) => c.method === 'sendMessage');
    expect(String(first.params['text'])).not.toContain('仅在《');
    const since = h.stub.calls.length;
    h.stub.sendText(`${botName} 东芝`, { from: USER, chat: GROUP });
    const second = await h.stub.waitForCall((c) => c.method === 'sendMessage', { since });
    expect(String(second.params['text'])).toContain('仅在《');
  });
});

describe('createRateLimiter', () => {
  it('forgets the least recently seen reader past its capacity, not everyone', () => {
    let t = 0;
    const limiter = createRateLimiter(2, () => t, 3);
    for (const reader of [1, 2]) {
      expect(limiter.check(reader)).toBe('allow');
      expect(limiter.check(reader)).toBe('allow');
      expect(limiter.check(reader)).toBe('warn');
    }
    t += 10;
    expect(limiter.check(3)).toBe('allow');
    expect(limiter.check(4)).toBe('allow');
    expect(limiter.size).toBe(3);
    // Reader 1 was seen longest ago and was forgotten; reader 2 is still held to its limit.
    expect(limiter.check(2)).toBe('quiet');
    expect(limiter.check(1)).toBe('allow');
  });

  it('frees a reader when the minute has passed, and warns again after that', () => {
    let t = 0;
    const limiter = createRateLimiter(1, () => t);
    expect(limiter.check(7)).toBe('allow');
    expect(limiter.check(7)).toBe('warn');
    expect(limiter.check(7)).toBe('quiet');
    t += 60_000;
    expect(limiter.check(7)).toBe('allow');
    expect(limiter.check(7)).toBe('warn');
  });
});
