import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Telegram } from 'telegraf';
import { createNoticeSender, type SendLimits } from '../../src/notices/sender.js';
import { openStore, type ArticleRecord, type NoticeStore } from '../../src/notices/store.js';
import type { TelegramStub } from '../support/telegram-stub.js';

export const silentLogger = pino({ level: 'silent' });

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function article(id: string, title = `文章 ${id}`): ArticleRecord {
  return { articleId: id.padEnd(10, '0').slice(0, 10), contentHash: `hash-${id}`, title, url: `https://example.com/${id}`, source: '测试来源', date: '2026-11-24', summary: '一句话摘要。' };
}

export function openTempStore(): { store: NoticeStore; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('store-');
  const store = openStore(join(dir, 'bot.db'));
  return {
    store,
    dir,
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed
      }
      cleanup();
    },
  };
}

export function senderFor(store: NoticeStore, stub: TelegramStub, limits?: SendLimits, timeoutMs?: number) {
  const telegram = new Telegram(stub.token, { apiRoot: stub.apiRoot });
  return createNoticeSender({
    store,
    logger: silentLogger,
    ...(limits ? { limits } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    callApi: (method, payload, options) => telegram.callApi(method, payload as never, options as never) as Promise<{ message_id: number }>,
  });
}
