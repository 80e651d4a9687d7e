import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLibrary, SNAPSHOT_FILE } from '../../src/library.js';
import type { StubMessage } from '../support/telegram-stub.js';
import { ADMIN, startAppProcess, until, useRunningApp } from './app-process.js';

const user = (id: number) => ({ id, first_name: `U${id}`, language_code: 'zh' });
const isNotice = (text: unknown) => String(text).startsWith('📰');

describe('the running app (npm start) over a local Bot API server', () => {
  const h = useRunningApp('app-');

  const noticesTo = (chatId: number) => h.stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId && isNotice(c.params['text']) && (c.response as { ok: boolean }).ok);
  const started = () => h.stub.waitForCall((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
  async function subscribe(ids: number[], keywords = '') {
    const before = h.stub.callsOf('sendMessage').length;
    for (const id of ids) h.stub.sendCommand(`/subscribe${keywords ? ` ${keywords}` : ''}`, { from: user(id) });
    await until(() => h.stub.callsOf('sendMessage').length >= before + ids.length, 20_000, 'subscription replies');
  }

  it('tells each subscriber once about a new article file, no one else; keeps serving after a malformed file', async () => {
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    await subscribe([1, 2, 3]);
    await subscribe([5], '足球');
    h.stub.sendText('东芝丑闻是哪一年开始的？', { from: user(4) });

    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(h.dirs.corpusDir, 'chips.md'));
    await until(() => [1, 2, 3].every((id) => noticesTo(id).length === 1), 20_000, 'three notices');
    // "就这篇提问" limits the reader's next question to the new article.
    const notice = (noticesTo(1)[0]!.response as { result: StubMessage }).result;
    const button = notice.reply_markup!.inline_keyboard![0]![0]!;
    expect(button.text).toBe('就这篇提问');
    const beforeScope = h.stub.calls.length;
    h.stub.clickButton(notice, button.callback_data!, { from: user(1) });
    await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('下一个问题只在《测试文章：芯片与出口管制》中查找'), { since: beforeScope });
    h.stub.sendText('出口管制', { from: user(1) });
    const scoped = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('仅在《测试文章：芯片与出口管制》中查找'), { since: beforeScope });
    expect(String(scoped.params['text'])).not.toContain('出口管制的回归');
    // The new article is searchable at once.
    const before = h.stub.calls.length;
    h.stub.sendText('阿斯麦生产什么', { from: user(4) });
    const answer = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 4, { since: before });
    expect(String(answer.params['text'])).toContain('光刻机');

    writeFileSync(join(h.dirs.corpusDir, 'broken.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0xfd, 0x0a]));
    await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === ADMIN.id && String(c.params['text']).includes('broken.md'), { timeoutMs: 20_000 });
    const afterBroken = h.stub.calls.length;
    h.stub.sendText('SMIC', { from: user(4) });
    const still = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 4, { since: afterBroken });
    expect(String(still.params['text'])).toContain('中芯国际');

    await new Promise((r) => setTimeout(r, 1500));
    for (const id of [1, 2, 3]) expect(noticesTo(id)).toHaveLength(1);
    expect(noticesTo(4)).toHaveLength(0);
    expect(noticesTo(5)).toHaveLength(0);
    expect(noticesTo(ADMIN.id)).toHaveLength(0);
  }, 90_000);

  it('answers /stats for admins only, and the first start sends nothing for the existing corpus', async () => {
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    await subscribe([1]);
    h.stub.sendCommand('/stats', { from: user(1) });
    h.stub.sendCommand('/stats', { from: ADMIN });
    const stats = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === ADMIN.id);
    expect(String(stats.params['text'])).toMatch(/订阅者：1\n文章：1/);
    const refused = await h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('管理员'));
    expect(refused).toBeDefined();
    expect(noticesTo(1)).toHaveLength(0);

    // In a group only its administrators may subscribe it.
    const group = { id: -100500, type: 'supergroup' as const, title: 'G' };
    h.stub.setChatAdministrators(group.id, [7]);
    h.stub.sendCommand('/subscribe', { from: user(8), chat: group });
    await h.stub.waitForCall((c) => Number(c.params['chat_id']) === group.id && String(c.params['text']).includes('只有群管理员'));
    h.stub.sendCommand('/subscribe', { from: user(7), chat: group });
    await h.stub.waitForCall((c) => Number(c.params['chat_id']) === group.id && String(c.params['text']).startsWith('已订阅'));

    // An admin uploads an article as a document: added, searchable, and noticed.
    const bytes = readFileSync('tests/fixtures/articles/good-markdown-headings.md');
    h.stub.sendMessage({ document: h.stub.addFile(bytes, 'uploaded.md') }, { from: ADMIN });
    await h.stub.waitForCall((c) => Number(c.params['chat_id']) === ADMIN.id && String(c.params['text']).includes('已收录《测试文章：芯片与出口管制》'));
    await until(() => noticesTo(1).length === 1 && noticesTo(group.id).length === 1, 10_000, 'notices of the uploaded article');
    expect(existsSync(join(h.dirs.corpusDir, 'uploaded.md'))).toBe(true);
    // A non-admin's document is not taken.
    h.stub.sendMessage({ document: h.stub.addFile(bytes, 'other.md') }, { from: user(1) });
    await h.stub.waitForCall((c) => Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('我只能读文字'));
    expect(existsSync(join(h.dirs.corpusDir, 'other.md'))).toBe(false);
  }, 60_000);

  it('loses and repeats nothing when killed with SIGKILL in the middle of a broadcast', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => 100 + i);
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    await subscribe(ids);
    // The 21st notice hangs in flight: the process dies with 20 sent, 1 sending, 39 queued.
    let inFlight: number | undefined;
    h.stub.setFaultHandler((method, params) => {
      if (method !== 'sendMessage' || !isNotice(params['text']) || inFlight !== undefined) return undefined;
      if (h.stub.callsOf('sendMessage').filter((c) => isNotice(c.params['text'])).length < 20) return undefined;
      inFlight = Number(params['chat_id']);
      return 'timeout';
    });
    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(h.dirs.corpusDir, 'chips.md'));
    await until(() => inFlight !== undefined, 20_000, 'the 21st notice in flight');
    h.app.child.kill('SIGKILL');
    await h.app.exited;
    expect(ids.filter((id) => noticesTo(id).length > 0)).toHaveLength(20);

    h.app = startAppProcess(h.stub, h.dirs);
    await until(() => ids.every((id) => noticesTo(id).length >= 1), 30_000, 'every subscriber notified after restart');
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of ids) expect(noticesTo(id)).toHaveLength(1);
    expect(h.app.output()).toContain('resending notices whose send was interrupted by a crash');
  }, 90_000);

  it('keeps the index snapshot current: saved in the background after a change, and at shutdown', async () => {
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    const snapshot = join(h.dirs.dataDir, SNAPSHOT_FILE);
    const firstSave = statSync(snapshot).mtimeMs;
    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(h.dirs.corpusDir, 'chips.md'));
    await until(() => h.app!.output().includes('"msg":"article indexed"'), 20_000, 'the new article indexed');
    await until(() => statSync(snapshot).mtimeMs > firstSave, 20_000, 'the snapshot saved again');
    // While the bot runs, the saved snapshot already holds the new article.
    expect(openLibrary(h.dirs.corpusDir, { dataDir: h.dirs.dataDir }).stats).toMatchObject({ snapshot: 'loaded', reused: 2, reindexed: 0 });
    // A change just before a stop is saved on the way out.
    rmSync(join(h.dirs.corpusDir, 'chips.md'));
    await until(() => h.app!.output().includes('"msg":"article removed from the index"'), 20_000, 'the article removed');
    h.app.child.kill('SIGTERM');
    expect(await h.app.exited).toBe(0);
    expect(openLibrary(h.dirs.corpusDir, { dataDir: h.dirs.dataDir }).stats).toMatchObject({ snapshot: 'loaded', reused: 1, reindexed: 0, removed: 0 });
  }, 60_000);

  it('stops gracefully on SIGTERM and never logs the token', async () => {
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    h.stub.sendText('SMIC', { from: user(9) });
    await h.stub.waitForCall((c) => c.method === 'sendMessage');
    h.app.child.kill('SIGTERM');
    expect(await h.app.exited).toBe(0);
    expect(h.app.output()).toContain('"msg":"stopping"');
    expect(h.app.output()).not.toContain(h.stub.token.split(':')[1]!);
  }, 60_000);
});
