import { Telegraf, Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { isValidTelegramHtml, parseTelegramHtml } from './telegram-html.js';
import { startTelegramStub, type TelegramStub } from './telegram-stub.js';

describe('the local Bot API stub', () => {
  let stub: TelegramStub;
  let bot: Telegraf | undefined;
  afterEach(async () => {
    bot?.stop();
    bot = undefined;
    await stub.close();
  });

  it('serves a real telegraf bot over long polling, each update once and in order', async () => {
    stub = await startTelegramStub();
    bot = new Telegraf(stub.token, { telegram: { apiRoot: stub.apiRoot } });
    const seen: string[] = [];
    bot.on('text', async (ctx) => {
      seen.push(ctx.message.text);
      await ctx.reply(`echo ${ctx.message.text}`);
    });
    void bot.launch();
    stub.sendText('one');
    stub.sendText('two');
    await stub.waitForCall((c) => c.method === 'sendMessage' && c.params['text'] === 'echo two');
    expect(seen).toEqual(['one', 'two']);
    expect(stub.messagesTo(1001).map((m) => m.text)).toEqual(['echo one', 'echo two']);
  });

  it('injects faults that telegraf reports as TelegramError with code and retry_after', async () => {
    stub = await startTelegramStub();
    const telegram = new Telegram(stub.token, { apiRoot: stub.apiRoot });
    stub.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    await expect(telegram.sendMessage(5, 'hi')).rejects.toMatchObject({ code: 429, response: { parameters: { retry_after: 7 } } });
    stub.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' }, { chatId: 6 });
    await expect(telegram.sendMessage(5, 'hi')).resolves.toMatchObject({ text: 'hi' });
    await expect(telegram.sendMessage(6, 'hi')).rejects.toMatchObject({ code: 403 });
  });

  it('rejects invalid HTML, over-long text and unmodified edits like Telegram', async () => {
    stub = await startTelegramStub();
    const telegram = new Telegram(stub.token, { apiRoot: stub.apiRoot });
    await expect(telegram.sendMessage(5, '<b>x', { parse_mode: 'HTML' })).rejects.toMatchObject({ code: 400 });
    await expect(telegram.sendMessage(5, 'x'.repeat(4097))).rejects.toMatchObject({ description: 'Bad Request: message is too long' });
    const sent = await telegram.sendMessage(5, '<b>ok</b>', { parse_mode: 'HTML' });
    await expect(telegram.editMessageText(5, sent.message_id, undefined, '<b>ok</b>', { parse_mode: 'HTML' })).rejects.toMatchObject({ code: 400 });
    await expect(telegram.sendMessage(5, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] } })).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
  });

  it('answers 429 when rate limits are enforced', async () => {
    stub = await startTelegramStub();
    stub.enforceLimits({ perChatPerSecond: 1 });
    const telegram = new Telegram(stub.token, { apiRoot: stub.apiRoot });
    await telegram.sendMessage(5, 'one');
    await expect(telegram.sendMessage(5, 'two')).rejects.toMatchObject({ code: 429 });
    expect(stub.stats().rateLimited).toBe(1);
  });
});

describe('parseTelegramHtml', () => {
  it.each(['plain', '<b>bold</b> &amp; &lt;tag&gt; &quot;', '<a href="https://e.com/?a=1&amp;b=2">x</a>', '<blockquote expandable>q</blockquote>', '&#128512; &#x1F600;', '<i><b>nested</b></i>'])(
    'accepts %s',
    (html) => expect(isValidTelegramHtml(html)).toBe(true),
  );
  it.each(['<b>open', '<b><i>x</b></i>', 'a & b', 'a < b', 'x > y', '<div>x</div>', '&nbsp;', '<a>no href</a>', '</b>'])('rejects %s', (html) => {
    expect(isValidTelegramHtml(html)).toBe(false);
  });
  it('returns the text Telegram shows', () => {
    expect(parseTelegramHtml('<b>a</b>&amp;<i>b</i>').text).toBe('a&b');
  });
});
