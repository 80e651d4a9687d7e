import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, SNAPSHOT_FILE } from '../../src/library.js';
import { startTelegramStub, type StubMessage, type TelegramStub } from '../support/telegram-stub.js';
import { tempDir } from '../notices/helpers.js';
import { ADMIN, prepareDirs, startAppProcess, until, type AppProcess } from './app-process.js';

const user = (id: number) => ({ id, first_name: `U${id}`, language_code: 'zh' });
const isNotice = (text: unknown) => String(text).startsWith('📰');

describe('the running app (npm start) over a local Bot API server', () => {
  let stub: TelegramStub;
  let dirs: { corpusDir: string; dataDir: string };
  let cleanup: () => void;
  let app: AppProcess | undefined;
  beforeEach(async () => {
    stub = await startTelegramStub();
    const t = tempDir('app-');
    cleanup = t.cleanup;
    dirs = prepareDirs(t.dir);
  });
  afterEach(async () => {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
    app = undefined;
    await stub.close();
    cleanup();
  });

  const noticesTo = (chatId: number) => stub.callsOf('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId && isNotice(c.params['text']) && (c.response as { ok: boolean }).ok);
  const started = () => stub.waitForCall((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
  async function subscribe(ids: number[], keywords = '') {
    const before = stub.callsOf('sendMessage').length;
    for (const id of ids) stub.sendCommand(`/subscribe${keywords ? ` ${keywords}` : ''}`, { from: user(id) });
    await until(() => stub.callsOf('sendMessage').length >= before + ids.length, 20_000, 'subscription replies');
  }

  it('tells each subscriber once about a new article file, no one else; keeps serving after a malformed file', async () => {
    app = startAppProcess(stub, dirs);
    await started();
    await subscribe([1, 2, 3]);
    await subscribe([5], '足球');
    stub.sendText('东芝丑闻是哪一年开始的？', { from: user(4) });

    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(dirs.corpusDir, 'chips.md'));
    await until(() => [1, 2, 3].every((id) => noticesTo(id).length === 1), 20_000, 'three notices');
    // "就这篇提问" limits the reader's next question to the new article.
    const notice = (noticesTo(1)[0]!.response as { result: StubMessage }).result;
    const button = notice.reply_markup!.inline_keyboard![0]![0]!;
    expect(button.text).toBe('就这篇提问');
    const beforeScope = stub.calls.length;
    stub.clickButton(notice, button.callback_data!, { from: user(1) });
    await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('下一个问题只在《测试文章：芯片与出口管制》中查找'), { since: beforeScope });
    stub.sendText('出口管制', { from: user(1) });
    const scoped = await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('仅在《测试文章：芯片与出口管制》中查找'), { since: beforeScope });
    expect(String(scoped.params['text'])).not.toContain('出口管制的回归');
    // The new article is searchable at once.
    const before = stub.calls.length;
    stub.sendText('阿斯麦生产什么', { from: user(4) });
    const answer = await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 4, { since: before });
    expect(String(answer.params['text'])).toContain('光刻机');

    writeFileSync(join(dirs.corpusDir, 'broken.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0xfd, 0x0a]));
    await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === ADMIN.id && String(c.params['text']).includes('broken.md'), { timeoutMs: 20_000 });
    const afterBroken = stub.calls.length;
    stub.sendText('SMIC', { from: user(4) });
    const still = await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 4, { since: afterBroken });
    expect(String(still.params['text'])).toContain('中芯国际');

    await new Promise((r) => setTimeout(r, 1500));
    for (const id of [1, 2, 3]) expect(noticesTo(id)).toHaveLength(1);
    expect(noticesTo(4)).toHaveLength(0);
    expect(noticesTo(5)).toHaveLength(0);
    expect(noticesTo(ADMIN.id)).toHaveLength(0);
  }, 90_000);

  it('answers /stats for admins only, and the first start sends nothing for the existing corpus', async () => {
    app = startAppProcess(stub, dirs);
    await started();
    await subscribe([1]);
    stub.sendCommand('/stats', { from: user(1) });
    stub.sendCommand('/stats', { from: ADMIN });
    const stats = await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === ADMIN.id);
    expect(String(stats.params['text'])).toMatch(/订阅者：1\n文章：1/);
    const refused = await stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('管理员'));
    expect(refused).toBeDefined();
    expect(noticesTo(1)).toHaveLength(0);

    // In a group only its administrators may subscribe it.
    const group = { id: -100500, type: 'supergroup' as const, title: 'G' };
    stub.setChatAdministrators(group.id, [7]);
    stub.sendCommand('/subscribe', { from: user(8), chat: group });
    await stub.waitForCall((c) => Number(c.params['chat_id']) === group.id && String(c.params['text']).includes('只有群管理员'));
    stub.sendCommand('/subscribe', { from: user(7), chat: group });
    await stub.waitForCall((c) => Number(c.params['chat_id']) === group.id && String(c.params['text']).startsWith('已订阅'));

    // An admin uploads an article as a document: added, searchable, and noticed.
    const bytes = readFileSync('tests/fixtures/articles/good-markdown-headings.md');
    stub.sendMessage({ document: stub.addFile(bytes, 'uploaded.md') }, { from: ADMIN });
    await stub.waitForCall((c) => Number(c.params['chat_id']) === ADMIN.id && String(c.params['text']).includes('已收录《测试文章：芯片与出口管制》'));
    await until(() => noticesTo(1).length === 1 && noticesTo(group.id).length === 1, 10_000, 'notices of the uploaded article');
    expect(existsSync(join(dirs.corpusDir, 'uploaded.md'))).toBe(true);
    // A non-admin's document is not taken.
    stub.sendMessage({ document: stub.addFile(bytes, 'other.md') }, { from: user(1) });
    await stub.waitForCall((c) => Number(c.params['chat_id']) === 1 && String(c.params['text']).includes('我只能读文字'));
    expect(existsSync(join(dirs.corpusDir, 'other.md'))).toBe(false);
  }, 60_000);

  it('loses and repeats nothing when killed with SIGKILL in the middle of a broadcast', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => 100 + i);
    app = startAppProcess(stub, dirs);
    await started();
    await subscribe(ids);
    // The 21st notice hangs in flight: the process dies with 20 sent, 1 sending, 39 queued.
    let inFlight: number | undefined;
    stub.setFaultHandler((method, params) => {
      if (method !== 'sendMessage' || !isNotice(params['text']) || inFlight !== undefined) return undefined;
      if (stub.callsOf('sendMessage').filter((c) => isNotice(c.params['text'])).length < 20) return undefined;
      inFlight = Number(params['chat_id']);
      return 'timeout';
    });
    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(dirs.corpusDir, 'chips.md'));
    await until(() => inFlight !== undefined, 20_000, 'the 21st notice in flight');
    app.child.kill('SIGKILL');
    await app.exited;
    expect(ids.filter((id) => noticesTo(id).length > 0)).toHaveLength(20);

    app = startAppProcess(stub, dirs);
    await until(() => ids.every((id) => noticesTo(id).length >= 1), 30_000, 'every subscriber notified after restart');
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of ids) expect(noticesTo(id)).toHaveLength(1);
    expect(app.output()).toContain('resending notices whose send was interrupted by a crash');
  }, 90_000);

  it('keeps the index snapshot current: saved in the background after a change, and at shutdown', async () => {
    app = startAppProcess(stub, dirs);
    await started();
    const snapshot = join(dirs.dataDir, SNAPSHOT_FILE);
    const firstSave = statSync(snapshot).mtimeMs;
    copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(dirs.corpusDir, 'chips.md'));
    await until(() => app!.output().includes('"msg":"article indexed"'), 20_000, 'the new article indexed');
    await until(() => statSync(snapshot).mtimeMs > firstSave, 20_000, 'the snapshot saved again');
    // While the bot runs, the saved snapshot already holds the new article.
    expect(openLibrary(dirs.corpusDir, { dataDir: dirs.dataDir }).stats).toMatchObject({ snapshot: 'loaded', reused: 2, reindexed: 0 });
    // A change just before a stop is saved on the way out.
    rmSync(join(dirs.corpusDir, 'chips.md'));
    await until(() => app!.output().includes('"msg":"article removed from the index"'), 20_000, 'the article removed');
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(openLibrary(dirs.corpusDir, { dataDir: dirs.dataDir }).stats).toMatchObject({ snapshot: 'loaded', reused: 1, reindexed: 0, removed: 0 });
  }, 60_000);

  it('stops gracefully on SIGTERM and never logs the token', async () => {
    app = startAppProcess(stub, dirs);
    await started();
    stub.sendText('SMIC', { from: user(9) });
    await stub.waitForCall((c) => c.method === 'sendMessage');
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('"msg":"stopping"');
    expect(app.output()).not.toContain(stub.token.split(':')[1]!);
  }, 60_000);
});
