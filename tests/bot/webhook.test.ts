import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/create-bot.js';
import { runBot, type RunningBot } from '../../src/bot/run-bot.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { library, silentLogger } from './helpers.js';

const SECRET = 'a-very-secret-token_123';
const HOOK = '/telegram/hook';

/** POSTs raw bytes in the given pieces, as a client that writes chunk by chunk. */
function postChunks(port: number, pieces: Buffer[], headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: HOOK, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error) => (String(error).includes('EPIPE') || String(error).includes('ECONNRESET') ? resolve(413) : reject(error)));
    void (async () => {
      for (const piece of pieces) {
        req.write(piece);
        await new Promise((r) => setTimeout(r, 20));
      }
      req.end();
    })();
  });
}

describe('webhook mode', () => {
  let stub: TelegramStub;
  let running: RunningBot;
  let base: string;
  let port: number;
  let countReads = 0;
  beforeAll(async () => {
    stub = await startTelegramStub();
    const bot = createBot({ config: { telegramToken: stub.token, telegramApiRoot: stub.apiRoot, adminIds: [], questionsPerMinute: 20 }, library, logger: silentLogger });
    running = await runBot(bot, {
      logger: silentLogger,
      webhook: { url: `https://bot.example.com${HOOK}`, secret: SECRET, port: 0, host: '127.0.0.1' },
      health: {
        backlog: () => 3,
        counts: () => {
          countReads++;
          return { subscribers: 12, articles: 1 };
        },
      },
    });
    port = (running.server!.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await running.stop();
    await stub.close();
  });

  const update = (id: number, text: string) => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'W' }, text } });
  const post = (body: unknown, headers: Record<string, string>) => fetch(`${base}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('listens on the configured address and accepts updates only with the secret token', async () => {
    expect((running.server!.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(stub.callsOf('setWebhook')[0]?.params).toMatchObject({ url: `https://bot.example.com${HOOK}`, secret_token: SECRET });
    expect((await post(update(1, 'SMIC'), {})).status).toBe(401);
    expect((await post(update(1, 'SMIC'), { 'x-telegram-bot-api-secret-token': 'wrong-secret-token_123' })).status).toBe(401);
    expect(stub.callsOf('sendMessage')).toHaveLength(0);
    expect((await post(update(1, 'SMIC'), { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(200);
    const reply = await stub.waitForCall((c) => c.method === 'sendMessage');
    expect(String(reply.params['text'])).toContain('中芯国际');
    expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
  });

  it('answers /healthz from memory: no counts for strangers, counts (cached) for the operator', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const open = (await health.json()) as Record<string, unknown>;
    expect(open).toMatchObject({ ok: true, mode: 'webhook', state: 'running' });
    expect(typeof open['lastUpdateAt']).toBe('string');
    expect(open).not.toHaveProperty('subscribers');
    expect(open).not.toHaveProperty('backlog');
    expect(countReads).toBe(0);
    const asOperator = () => fetch(`${base}/healthz`, { headers: { 'x-telegram-bot-api-secret-token': SECRET } }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(await asOperator()).toMatchObject({ ok: true, backlog: 3, subscribers: 12 });
    await asOperator();
    expect(countReads).toBe(1);
  });

  it('decodes a body once: a character split across chunks arrives whole', async () => {
    const since = stub.calls.length;
    const bytes = Buffer.from(JSON.stringify(update(2, '东芝事件')));
    const cut = bytes.indexOf(Buffer.from('芝')) + 1;
    expect(await postChunks(port, [bytes.subarray(0, cut), bytes.subarray(cut)], { 'x-telegram-bot-api-secret-token': SECRET })).toBe(200);
    const reply = await stub.waitForCall((c) => c.method === 'sendMessage', { since });
    expect(String(reply.params['text'])).toContain('<b>东芝</b>');
    expect(String(reply.params['text'])).not.toContain('\uFFFD');
  });

  it('caps a body in bytes, not characters', async () => {
    // 400,000 Chinese characters: 1.2 MB of UTF-8, under a million UTF-16 units.
    const body = Buffer.from(JSON.stringify(update(3, '中'.repeat(400_000))));
    expect(body.byteLength).toBeGreaterThan(1_000_000);
    const pieces = [];
    for (let at = 0; at < body.byteLength; at += 256 * 1024) pieces.push(body.subarray(at, at + 256 * 1024));
    expect(await postChunks(port, pieces, { 'x-telegram-bot-api-secret-token': SECRET })).toBe(413);
  });
});
