import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/create-bot.js';
import { BotFatalError, runBot, type RetrySettings } from '../../src/bot/run-bot.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';
import { library, silentLogger } from './helpers.js';

const FAST_RETRY: RetrySettings = { baseMs: 50, maxMs: 200, conflictGiveUpMs: 600 };

function botFor(apiRoot: string, token: string) {
  return createBot({ config: { telegramToken: token, telegramApiRoot: apiRoot, adminIds: [], questionsPerMinute: 20 }, library, logger: silentLogger });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answered(stub: TelegramStub, text: string): Promise<string> {
  const since = stub.calls.length;
  stub.sendText(text, { from: { id: 5001, first_name: 'R' } });
  const call = await stub.waitForCall((c) => c.method === 'sendMessage', { since, timeoutMs: 15_000 });
  return String(call.params['text']);
}

describe('long polling that fails', () => {
  it('gives up at once on a token Telegram refuses, with a plain reason', async () => {
    const stub = await startTelegramStub();
    const running = await runBot(botFor(stub.apiRoot, '999:wrong-token-for-this-stub_xxxxxxxx'), { logger: silentLogger, retry: FAST_RETRY });
    try {
      const error = await running.failed.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BotFatalError);
      expect(String((error as Error).message)).toMatch(/refused the bot token \(401/);
      expect(String((error as Error).message)).not.toContain('wrong-token');
      expect(running.status().state).toBe('failed');
    } finally {
      await running.stop();
      await stub.close();
    }
  });

  it('retries while another instance polls, and gives up when it stays', async () => {
    const stub = await startTelegramStub();
    const first = await runBot(botFor(stub.apiRoot, stub.token), { logger: silentLogger });
    await stub.waitForCall(() => true);
    // Let the first instance's long poll begin: the second one then meets 409 Conflict.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await runBot(botFor(stub.apiRoot, stub.token), { logger: silentLogger, retry: FAST_RETRY });
    try {
      const error = await second.failed.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BotFatalError);
      expect(String((error as Error).message)).toMatch(/409 Conflict/);
      // The first instance was never disturbed.
      expect(first.status().state).toBe('running');
      expect(await answered(stub, '东芝事件')).toContain('东芝');
    } finally {
      await second.stop();
      await first.stop();
      await stub.close();
    }
  });

  it('keeps retrying while the API cannot be reached, then serves once it can', async () => {
    const port = await freePort();
    const token = '123456:TEST-token-for-the-local-stub_abcdefghij';
    const running = await runBot(botFor(`http://127.0.0.1:${port}`, token), { logger: silentLogger, retry: FAST_RETRY });
    let stub: TelegramStub | undefined;
    try {
      const deadline = Date.now() + 10_000;
      while (running.status().state !== 'retrying' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(running.status()).toMatchObject({ state: 'retrying', mode: 'polling' });
      expect(running.status().lastError).toMatch(/ECONNREFUSED|fetch|connect/i);
      stub = await startTelegramStub({ port, token });
      expect(await answered(stub, '东芝事件')).toContain('东芝');
      expect(running.status().state).toBe('running');
      expect(running.status().lastUpdateAt).toBeDefined();
    } finally {
      await running.stop();
      await stub?.close();
    }
  });

  it('retries a server error at start-up', async () => {
    const stub = await startTelegramStub();
    stub.failNext('getMe', { error_code: 502, description: 'Bad Gateway' }, { times: 3 });
    const running = await runBot(botFor(stub.apiRoot, stub.token), { logger: silentLogger, retry: FAST_RETRY });
    try {
      expect(await answered(stub, '东芝事件')).toContain('东芝');
    } finally {
      await running.stop();
      await stub.close();
    }
  });
});
