import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/create-bot.js';
import { runBot } from '../../src/bot/run-bot.js';
import { startTelegramStub } from '../support/telegram-stub.js';
import { library, silentLogger } from './helpers.js';

describe('webhook mode', () => {
  it('accepts updates only with the secret token and serves a health endpoint', async () => {
    const stub = await startTelegramStub();
    const bot = createBot({ config: { telegramToken: stub.token, telegramApiRoot: stub.apiRoot, adminIds: [], questionsPerMinute: 20 }, library, logger: silentLogger });
    const secret = 'a-very-secret-token_123';
    const running = await runBot(bot, { logger: silentLogger, webhook: { url: 'https://bot.example.com/telegram/hook', secret, port: 0, host: '127.0.0.1' }, health: () => ({ articles: 1 }) });
    try {
      const { port } = running.server!.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      expect(stub.callsOf('setWebhook')[0]?.params).toMatchObject({ url: 'https://bot.example.com/telegram/hook', secret_token: secret });

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, articles: 1 });

      const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'W' }, text: 'SMIC' } };
      const post = (headers: Record<string, string>) =>
        fetch(`${base}/telegram/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong-secret-token_123' })).status).toBe(401);
      expect(stub.callsOf('sendMessage')).toHaveLength(0);

      expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
      const reply = await stub.waitForCall((c) => c.method === 'sendMessage');
      expect(String(reply.params['text'])).toContain('中芯国际');
      expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
    } finally {
      await running.stop();
      await stub.close();
    }
  });
});
