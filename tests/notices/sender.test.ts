import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_LIMITS, TELEGRAM_LIMITS, type NoticeSender } from '../../src/notices/sender.js';
import type { NoticeStore } from '../../src/notices/store.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { article, openTempStore, senderFor } from './helpers.js';

const noticesTo = (stub: TelegramStub, chatId: number) => stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId && (c.response as { ok: boolean }).ok);

describe('the notice sender over HTTP', () => {
  let stub: TelegramStub;
  let store: NoticeStore;
  let sender: NoticeSender | undefined;
  let cleanup: () => void;
  beforeEach(async () => {
    stub = await startTelegramStub();
    const t = openTempStore();
    store = t.store;
    cleanup = t.cleanup;
  });
  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    await stub.close();
    cleanup();
  });

  function subscribe(...ids: number[]) {
    for (const id of ids) store.subscribe({ id, type: id < 0 ? 'supergroup' : 'private', language: id === 3 ? 'en' : 'zh' }, null);
  }

  it('sends each subscriber one notice, with title, summary, link and the ask button', async () => {
    subscribe(1, 2, 3);
    store.recordNewArticle(article('a', '标题<b>&"C'), [1, 2, 3]);
    sender = senderFor(store, stub, NO_LIMITS);
    sender.start();
    await sender.drain();
    for (const id of [1, 2, 3]) expect(noticesTo(stub, id)).toHaveLength(1);
    const zh = noticesTo(stub, 1)[0]!.params;
    expect(zh['text']).toContain('<b>标题&lt;b&gt;&amp;&quot;C</b>');
    expect(zh['text']).toContain('一句话摘要。');
    expect(zh['text']).toContain('<a href="https://example.com/a">');
    expect(JSON.stringify(zh['reply_markup'])).toContain('就这篇提问');
    expect(JSON.stringify(noticesTo(stub, 3)[0]!.params['reply_markup'])).toContain('Ask about this article');
    expect(store.counts()).toMatchObject({ sent: 3, pending: 0, sending: 0 });
    expect(store.deliveriesFor(article('a').articleId).every((d) => d.sentMessageId !== null)).toBe(true);
  });

  it('honours a 429 retry_after before sending again, and does not count it as a failure', async () => {
    subscribe(1);
    store.recordNewArticle(article('a'), [1]);
    stub.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    sender = senderFor(store, stub, NO_LIMITS);
    sender.start();
    await sender.drain();
    const attempts = stub.callsOf('sendMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(store.deliveriesFor(article('a').articleId)[0]).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('unsubscribes a chat that blocked the bot (403) and carries on with the others', async () => {
    subscribe(1, 2);
    store.recordNewArticle(article('a'), [1, 2]);
    stub.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' }, { chatId: 1 });
    sender = senderFor(store, stub, NO_LIMITS);
    sender.start();
    await sender.drain();
    expect(store.subscription(1)).toBeUndefined();
    expect(store.subscription(2)).toBeDefined();
    expect(noticesTo(stub, 2)).toHaveLength(1);
    expect(store.counts()).toMatchObject({ sent: 1, failed: 1 });
  });

  it('retries server errors and timeouts with backoff, and records a 400 without retrying it', async () => {
    subscribe(1, 2, 4);
    store.recordNewArticle(article('a'), [1, 2, 4]);
    stub.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, { chatId: 1 });
    stub.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' }, { chatId: 2 });
    let hung = false;
    stub.setFaultHandler((method, params) => {
      if (method === 'sendMessage' && Number(params['chat_id']) === 4 && !hung) {
        hung = true;
        return 'timeout';
      }
      return undefined;
    });
    sender = senderFor(store, stub, NO_LIMITS, 300);
    sender.start();
    await sender.drain(20_000);
    expect(noticesTo(stub, 1)).toHaveLength(1);
    expect(noticesTo(stub, 4)).toHaveLength(1);
    const deliveries = store.deliveriesFor(article('a').articleId);
    expect(deliveries.find((d) => d.chatId === 1)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(deliveries.find((d) => d.chatId === 2)).toMatchObject({ state: 'failed', attempts: 1, lastError: '400 Bad Request: chat not found' });
    expect(deliveries.find((d) => d.chatId === 4)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('follows a group that became a supergroup', async () => {
    subscribe(-5);
    store.recordNewArticle(article('a'), [-5]);
    stub.failNext('sendMessage', { error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1005 } });
    sender = senderFor(store, stub, NO_LIMITS);
    sender.start();
    await sender.drain();
    expect(noticesTo(stub, -1005)).toHaveLength(1);
    expect(store.subscription(-1005)).toBeDefined();
  });

  it('keeps one second between messages to the same chat and provokes no 429 at Telegram\'s limits', async () => {
    subscribe(1, 2);
    store.recordNewArticle(article('a'), [1, 2]);
    store.recordNewArticle(article('b'), [1, 2]);
    store.recordNewArticle(article('c'), [1]);
    stub.enforceLimits({ globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 });
    sender = senderFor(store, stub, TELEGRAM_LIMITS);
    sender.start();
    await sender.drain();
    expect(stub.stats().rateLimited).toBe(0);
    const times = noticesTo(stub, 1).map((c) => c.at);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(990);
  });
});
