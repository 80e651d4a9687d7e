import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeStartPayload } from '../../src/bot/ask.js';
import { parseTelegramHtml } from '../support/telegram-html.js';
import type { ApiCall, StubMessage } from '../support/telegram-stub.js';
import { startBotHarness, type BotHarness } from './helpers.js';

const USER = { id: 1001, first_name: 'Reader', language_code: 'zh-hans' };
const EN_USER = { id: 1002, first_name: 'Ann', language_code: 'en' };
const GROUP = { id: -100777, type: 'supergroup' as const, title: '读者群' };

describe('the bot over a local Bot API server', () => {
  let h: BotHarness;
  let since = 0;
  beforeAll(async () => {
    // Limits have their own tests (limits.test.ts): here one reader asks a lot.
    h = await startBotHarness({ questionsPerMinute: 1000 });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    since = h.stub.calls.length;
  });

  const nextSend = (chatId: number) =>
    h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId, { since });
  const sentMessage = (call: ApiCall) => (call.response as { result: StubMessage }).result;

  it('registers its commands in Chinese and in English', () => {
    const registered = h.stub.callsOf('setMyCommands');
    expect(registered.map((c) => (c.params['language_code'] as string | undefined) ?? 'default')).toEqual(['default', 'en']);
    expect(JSON.stringify(registered[0]!.params['commands'])).toContain('文章列表');
  });

  it('answers a question with cited passages, matched words in bold, as valid Telegram HTML', async () => {
    h.stub.sendText('东芝丑闻是哪一年开始的？', { from: USER });
    const call = await nextSend(USER.id);
    const html = String(call.params['text']);
    expect(call.params['parse_mode']).toBe('HTML');
    expect(html).toContain('<a href="https://mp.weixin.qq.com/');
    expect(html).toContain('出口管制的回归');
    expect(html).toContain('› 合作的种子 · 第');
    expect(html).toMatch(/<b>东芝<\/b>/);
    expect(parseTelegramHtml(html).text).toContain('Tekmashimport');
  });

  it('pages to more results by editing the same message', async () => {
    h.stub.sendText('出口管制', { from: USER });
    const message = sentMessage(await nextSend(USER.id));
    const more = message.reply_markup!.inline_keyboard!.flat().find((b) => b.callback_data?.startsWith('more:'))!;
    expect(more.text).toBe('更多结果 ›');
    const before = h.stub.calls.length;
    h.stub.clickButton(message, more.callback_data!, { from: USER });
    const edit = await h.stub.waitForCall((c) => c.method === 'editMessageText', { since: before });
    expect(edit.params['message_id']).toBe(message.message_id);
    expect(String(edit.params['text'])).toMatch(/^4\. /);
    await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery', { since: before });
    expect(h.stub.messagesTo(USER.id).filter((m) => m.message_id === message.message_id)).toHaveLength(1);
  });

  it('shows a passage with its neighbouring paragraphs, and goes back', async () => {
    h.stub.sendText('东芝在报纸上登广告做什么', { from: USER });
    const message = sentMessage(await nextSend(USER.id));
    const context = message.reply_markup!.inline_keyboard![0]![0]!;
    expect(context.text).toBe('上下文 1');
    expect(Buffer.byteLength(context.callback_data!)).toBeLessThanOrEqual(64);
    const before = h.stub.calls.length;
    h.stub.clickButton(message, context.callback_data!, { from: USER });
    const edit = await h.stub.waitForCall((c) => c.method === 'editMessageText', { since: before });
    const html = String(edit.params['text']);
    expect(html).toContain('<blockquote expandable>');
    expect(html).toContain('整版广告');
    expect(html.match(/<i>/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    const back = (edit.params['reply_markup'] as StubMessage['reply_markup'])!.inline_keyboard![0]![0]!;
    h.stub.clickButton(h.stub.messagesTo(USER.id).find((m) => m.message_id === message.message_id)!, back.callback_data!, { from: USER });
    await h.stub.waitForCall((c) => c.method === 'editMessageText' && String(c.params['text']).startsWith('1. '), { since: before });
  });

  it('answers stale or forged buttons politely', async () => {
    const message = { message_id: 1, date: 0, chat: { id: USER.id, type: 'private' as const }, text: 'x' };
    for (const data of ['more:AAAAAAAAAA:3', 'ctx:0000000000:0:0:AAAAAAAAAA:0', 'garbage', 'scope:ffffffffff', 'x'.repeat(64)]) {
      h.stub.clickButton(message, data, { from: USER });
    }
    await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['text'] === '这个问题已过期，请重新提问。', { since });
    await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['text'] === '找不到这段原文了，文章可能已更新。', { since });
    await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['text'] === '这个按钮已失效。', { since });
    await h.stub.waitForCall(() => h.stub.calls.slice(since).filter((c) => c.method === 'answerCallbackQuery').length === 5, { since });
    expect(h.stub.calls.slice(since).every((c) => (c.response as { ok: boolean }).ok)).toBe(true);
  });

  it('escapes HTML characters in questions and says honestly when nothing is found', async () => {
    h.stub.sendText('<b>&</i> 明天上海会下雨吗', { from: USER });
    const call = await nextSend(USER.id);
    const html = String(call.params['text']);
    expect((call.response as { ok: boolean }).ok).toBe(true);
    expect(html).toContain('&lt;b&gt;&amp;&lt;/i&gt;');
    expect(parseTelegramHtml(html).text).toContain('没有在文章中找到');
    expect(parseTelegramHtml(html).text).toContain('文章中没有提到：「明天」、「上海」、「下雨」。');
    expect(parseTelegramHtml(html).text).toContain('可以这样问');
  });

  it('answers a question again when the user edits it', async () => {
    h.stub.pushUpdate({
      edited_message: {
        message_id: 999_001,
        from: USER,
        chat: { id: USER.id, type: 'private', first_name: USER.first_name },
        date: Math.floor(Date.now() / 1000) - 5,
        edit_date: Math.floor(Date.now() / 1000),
        text: '东芝丑闻是哪一年开始的？',
      },
    });
    const html = String((await nextSend(USER.id)).params['text']);
    expect(parseTelegramHtml(html).text).toContain('1981年');
  });

  it('greets back and thanks back instead of searching for 你好 or 谢谢', async () => {
    h.stub.sendText('你好！', { from: USER });
    const hello = parseTelegramHtml(String((await nextSend(USER.id)).params['text'])).text;
    expect(hello).toContain('你好！直接发关于文章的问题即可。');
    expect(hello.match(/^• /gm)).toHaveLength(3);
    expect(hello).not.toContain('没有在文章中找到');
    since = h.stub.calls.length;
    h.stub.sendText('谢谢 🙏', { from: USER });
    expect(parseTelegramHtml(String((await nextSend(USER.id)).params['text'])).text).toBe('不客气！还有问题可以直接问。');
  });

  it('lists the articles above the passages when asked which articles there are', async () => {
    h.stub.sendText('出口管制的相关文章有哪些？', { from: USER });
    const html = String((await nextSend(USER.id)).params['text']);
    expect(html).toMatch(/^<b>相关文章：<\/b>\n• <a href="https:\/\/mp\.weixin\.qq\.com\/[^"]+">出口管制的回归：一个需要盟国合作的风险策略（外专观点）<\/a> · 2023-01-26\n\n1\. /);
  });

  it('links the matching items of a reading list to the articles they name', async () => {
    h.stub.sendText('苏联油气管道事件', { from: USER });
    const html = String((await nextSend(USER.id)).params['text']);
    expect(html).toMatch(/→ <a href="http:\/\/mp\.weixin\.qq\.com\/s\?__biz=MzIxODM0NDU4MQ==&amp;mid=2247488702&amp;[^"]*">美国出口管制制度系列文章之三：苏联油气管道的“华为”事件<\/a>/);
  });

  it('answers a question about the article itself with its title, link, source and date', async () => {
    h.stub.sendText('這篇文章的作者是誰？', { from: USER });
    const html = String((await nextSend(USER.id)).params['text']);
    const text = parseTelegramHtml(html).text;
    expect(text).toContain('关于文章本身');
    expect(text).toContain('出口管制的回归');
    expect(text).toContain('来源: 网安寻路人 · 日期: 2023-01-26');
    expect(html).toMatch(/<a href="https:\/\/mp\.weixin\.qq\.com\/s\?/);
    // When the text says more than the front matter, its passage follows.
    since = h.stub.calls.length;
    h.stub.sendText('这篇文章是谁翻译的', { from: USER });
    const more = parseTelegramHtml(String((await nextSend(USER.id)).params['text'])).text;
    expect(more.indexOf('关于文章本身')).toBe(0);
    expect(more).toMatch(/\n\n1\. 出口管制的回归.* › 导语 · 第1段\n今天和大家分享的是公号君翻译的《外交事务》/);
  });

  it('welcomes with /start and three example questions, and answers a deep-link question', async () => {
    h.stub.sendCommand('/start', { from: USER });
    const welcome = String((await nextSend(USER.id)).params['text']);
    expect(welcome).toContain('你好，Reader');
    expect(welcome.match(/^• /gm)).toHaveLength(3);
    const payload = encodeStartPayload('SMIC')!;
    const before = h.stub.calls.length;
    h.stub.sendCommand(`/start ${payload}`, { from: USER });
    const answer = await h.stub.waitForCall((c) => c.method === 'sendMessage', { since: before });
    expect(String(answer.params['text'])).toContain('中芯国际');
  });

  it('speaks English to English users and keeps passages in Chinese', async () => {
    h.stub.sendCommand('/help', { from: EN_USER });
    expect(String((await nextSend(EN_USER.id)).params['text'])).toContain('Just send a question');
    const before = h.stub.calls.length;
    h.stub.sendText('COCOM dissolved', { from: EN_USER });
    const answer = String((await h.stub.waitForCall((c) => c.method === 'sendMessage', { since: before })).params['text']);
    expect(answer).toContain('¶');
    expect(answer).toContain('解散');
    expect(answer).toMatch(/of \d+/);
  });

  it('lists the articles with dates and links, and an article\'s sections', async () => {
    h.stub.sendCommand('/articles', { from: USER });
    const list = String((await nextSend(USER.id)).params['text']);
    expect(list).toContain('2023-01-26');
    expect(list).toContain('<a href="https://mp.weixin.qq.com/');
    const before = h.stub.calls.length;
    h.stub.sendCommand('/sections', { from: USER });
    const toc = String((await h.stub.waitForCall((c) => c.method === 'sendMessage', { since: before })).params['text']);
    for (const heading of ['导语', '合作的种子', '糟糕的时机', '一个新的世界', '团结一致']) expect(toc).toContain(heading);
  });

  it('in groups answers /ask, mentions and replies to it, and stays quiet otherwise', async () => {
    const unaddressed = h.stub.sendText('东芝丑闻是哪一年开始的？', { from: USER, chat: GROUP }) as { message: { message_id: number } };
    h.stub.sendCommand('/ask 苏联是哪一年解体的', { from: USER, chat: GROUP });
    const first = await nextSend(GROUP.id);
    expect(String(first.params['text'])).toContain('1991');
    const botMessage = sentMessage(first);
    h.stub.sendText('@test_bot 瓦森纳安排的设立目的是什么', { from: USER, chat: GROUP });
    h.stub.sendText('SMIC', { from: USER, chat: GROUP, replyTo: botMessage });
    await h.stub.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('中芯国际'), { since });
    const sends = h.stub.calls.slice(since).filter((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === GROUP.id);
    expect(sends).toHaveLength(3);
    // Each answer in a group replies to the question it answers; none replies to the unaddressed message.
    const repliedTo = sends.map((c) => (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id);
    expect(repliedTo.every((id) => typeof id === 'number')).toBe(true);
    expect(repliedTo).not.toContain(unaddressed.message.message_id);
  });

  it('answers inline queries with one result per passage, and suggestions when empty', async () => {
    h.stub.sendInlineQuery('康斯伯格', { from: USER });
    const answer = await h.stub.waitForCall((c) => c.method === 'answerInlineQuery', { since });
    const results = answer.params['results'] as Array<Record<string, unknown>>;
    expect(results.length).toBeGreaterThan(1);
    expect(new Set(results.map((r) => r['id'])).size).toBe(results.length);
    expect((answer.response as { ok: boolean }).ok).toBe(true);
    const before = h.stub.calls.length;
    h.stub.sendInlineQuery('', { from: USER });
    const empty = await h.stub.waitForCall((c) => c.method === 'answerInlineQuery', { since: before });
    expect((empty.params['results'] as unknown[]).length).toBeGreaterThan(0);
    const beforeAbout = h.stub.calls.length;
    h.stub.sendInlineQuery('这篇文章的作者是谁', { from: USER });
    const about = await h.stub.waitForCall((c) => c.method === 'answerInlineQuery', { since: beforeAbout });
    const [article] = about.params['results'] as Array<{ id: string; input_message_content: { message_text: string } }>;
    expect(article?.id).toBe('about-0');
    expect(article?.input_message_content.message_text).toMatch(/^<a href="https:\/\/mp\.weixin\.qq\.com\/.+<\/a>\n网安寻路人 · 2023-01-26$/s);
    expect((about.response as { ok: boolean }).ok).toBe(true);
  });

  it('gives a hint for stickers, photos and voice', async () => {
    h.stub.sendMessage({ sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }, { from: USER });
    const hint = String((await nextSend(USER.id)).params['text']);
    expect(hint).toContain('我只能读文字');
  });

  it('cuts an over-long question with a note and still answers within 4096 characters', async () => {
    h.stub.sendText(`东芝${'丑闻'.repeat(2500)}`, { from: USER });
    const call = await nextSend(USER.id);
    expect((call.response as { ok: boolean }).ok).toBe(true);
    expect(String(call.params['text'])).toContain('问题太长');
  });
});
