import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/bot/messages.js';
import { SECRET_FILE } from '../../src/insights/log-secret.js';
import { openStore } from '../../src/notices/store.js';
import type { StubMessage } from '../support/telegram-stub.js';
import { ADMIN, startAppProcess, until, useRunningApp } from './app-process.js';

const SUBSCRIBER = { id: 7_391_846_301, first_name: 'S', language_code: 'zh' };
const ASKER = { id: 7_391_846_302, first_name: 'A', username: 'asker_name', language_code: 'zh' };

describe('the question log in the running app (npm start)', () => {
  const h = useRunningApp('app-qlog-');

  const replyTo = async (chatId: number, send: () => void) => {
    const before = h.stub.calls.length;
    send();
    const call = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId, { since: before, timeoutMs: 20_000 });
    return (call.response as { result: StubMessage }).result;
  };

  it('makes its key once (0600), purges old rows at start, logs questions and votes, nothing for notice-only chats, no raw ids', async () => {
    // A row from long ago, left by an earlier run: gone once the app has started.
    mkdirSync(h.dirs.dataDir, { recursive: true });
    const earlier = openStore(join(h.dirs.dataDir, 'bot.db'));
    earlier.db.prepare(`INSERT INTO question_log (asked_at, asker, chat_type, language, question, topic, answered) VALUES (0, 'x', 'private', 'zh', '很久以前的问题', '', 0)`).run();
    earlier.close();

    h.app = startAppProcess(h.stub, h.dirs, { QUESTION_LOG_DAYS: '30' });
    await h.stub.waitForCall((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
    expect(statSync(join(h.dirs.dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    await until(() => h.app!.output().includes('"msg":"old questions deleted from the log"'), 10_000, 'the purge at start');

    await replyTo(SUBSCRIBER.id, () => h.stub.sendCommand('/subscribe', { from: SUBSCRIBER }));
    const answer = await replyTo(ASKER.id, () => h.stub.sendText('东芝丑闻是哪一年开始的？', { from: ASKER }));
    const up = answer.reply_markup!.inline_keyboard!.flat().find((b) => b.text === '👍')!;
    const voted = h.stub.clickButton(answer, up.callback_data!, { from: ASKER }) as { callback_query: { id: string } };
    const toast = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === voted.callback_query.id);
    expect(toast.params['text']).toBe(MESSAGES.zh.voteRecorded(true));
    expect((await replyTo(ASKER.id, () => h.stub.sendCommand('/privacy', { from: ASKER }))).text).toContain('保存 30 天');
    const stats = await replyTo(ADMIN.id, () => h.stub.sendCommand('/stats', { from: ADMIN }));
    expect(stats.text).toContain('共 1 个问题，已回答 1 个（100%）；评价 👍 1 · 👎 0');

    // A new article: the subscriber gets its notice, and the log gets nothing.
    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(h.dirs.corpusDir, 'chips.md'));
    await until(() => h.stub.callsOf('sendMessage').some((c) => Number(c.params['chat_id']) === SUBSCRIBER.id && String(c.params['text']).startsWith('📰')), 20_000, 'the notice');

    const dbPath = join(h.dirs.dataDir, 'bot.db');
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT question, chat_type, answered FROM question_log').all()).toEqual([{ question: '东芝丑闻是哪一年开始的？', chat_type: 'private', answered: 1 }]);
      expect(db.prepare('SELECT vote FROM question_log_votes').all()).toEqual([{ vote: 1 }]);
    } finally {
      db.close();
    }
    // The asker's id is nowhere in the database, its WAL included, nor the username.
    for (const file of [dbPath, `${dbPath}-wal`].filter(existsSync)) {
      const bytes = readFileSync(file);
      const big = Buffer.alloc(8);
      big.writeBigInt64BE(BigInt(ASKER.id));
      for (const pattern of [Buffer.from(String(ASKER.id)), big.subarray(2), Buffer.from('asker_name')]) expect(bytes.includes(pattern)).toBe(false);
    }
    h.app.child.kill('SIGTERM');
    expect(await h.app.exited).toBe(0);
    // The key stays the same across restarts (or /forgetme could not find older rows).
    const key = readFileSync(join(h.dirs.dataDir, SECRET_FILE), 'utf8');
    h.app = startAppProcess(h.stub, h.dirs, { QUESTION_LOG_DAYS: '30' });
    const forgot = await replyTo(ASKER.id, () => h.stub.sendCommand('/forgetme', { from: ASKER }));
    expect(forgot.text).toBe(MESSAGES.zh.forgotten(1, 1));
    expect(readFileSync(join(h.dirs.dataDir, SECRET_FILE), 'utf8')).toBe(key);
  }, 90_000);
});
