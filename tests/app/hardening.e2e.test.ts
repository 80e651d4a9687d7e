import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArticleFiles } from '../../src/corpus/load-corpus.js';
import type { StubMessage } from '../support/telegram-stub.js';
import { ADMIN, startAppProcess, useRunningApp } from './app-process.js';

/** A file whose front matter would run code in a parser that picks an engine from `---js`. */
function evilArticle(marker: string): string {
  return `---js\n{ title: require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran') || 'pwned', url: 'https://e.x/' }\n---\n\n正文一段。\n`;
}

describe('hostile files and uploads against the running app (npm start)', () => {
  const h = useRunningApp('hard-');

  const started = () => h.stub.waitForCall((c) => c.method === 'setMyCommands', { timeoutMs: 30_000 });
  const replyTo = (chatId: number, pattern: RegExp, since = 0) =>
    h.stub.waitForCall((c) => c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId && pattern.test(String(c.params['text'])), { since, timeoutMs: 15_000 });

  it('never runs front matter code: not at start-up, not dropped in while running, not uploaded, not through npm run add', async () => {
    const markers = ['start', 'dropped', 'uploaded', 'added'].map((way) => join(h.root, `ran-${way}`));
    writeFileSync(join(h.dirs.corpusDir, 'evil-at-start.md'), evilArticle(markers[0]!));
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    // Not front matter: the file is read as plain Markdown, its block as the text it is.
    expect(h.app.output()).toMatch(/"articles":2/);

    writeFileSync(join(h.dirs.corpusDir, 'evil-dropped.md'), evilArticle(markers[1]!));
    const since = h.stub.calls.length;
    h.stub.sendMessage({ document: h.stub.addFile(Buffer.from(evilArticle(markers[2]!)), 'evil-upload.md') }, { from: ADMIN });
    await replyTo(ADMIN.id, /已收录《evil upload》/, since);

    const source = join(h.root, 'evil-add.md');
    writeFileSync(source, evilArticle(markers[3]!));
    const add = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/add.ts', source], { env: { ...process.env, CORPUS_DIR: h.dirs.corpusDir }, encoding: 'utf8' });
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/added .*evil-add\.md: 《evil add》/);

    // The text is searchable as text; nothing ran, at any of the four ways in.
    const asked = h.stub.calls.length;
    h.stub.sendText('writeFileSync pwned', { from: ADMIN });
    await replyTo(ADMIN.id, /writeFileSync/, asked);
    for (const marker of markers) expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it('takes uploads in private chats only, under names the loader keeps, and replaces a file only when the admin confirms', async () => {
    h.app = startAppProcess(h.stub, h.dirs);
    await started();
    const article = (title: string) => Buffer.from(`---\ntitle: ${title}\nurl: https://example.com/${encodeURIComponent(title)}\n---\n\n关于${title}的正文。\n`);

    // In a group: refused, nothing saved.
    const group = { id: -100900, type: 'supergroup' as const, title: 'G' };
    h.stub.sendMessage({ document: h.stub.addFile(article('群里的文章'), 'group.md') }, { from: ADMIN, chat: group });
    await replyTo(group.id, /私聊/);
    expect(existsSync(join(h.dirs.corpusDir, 'group.md'))).toBe(false);

    // A name with a path and leading dots is saved under its last segment, which the loader lists.
    let since = h.stub.calls.length;
    h.stub.sendMessage({ document: h.stub.addFile(article('路径名'), '../../.evil.md') }, { from: ADMIN });
    await replyTo(ADMIN.id, /已收录《路径名》.*文件 evil\.md/, since);
    expect(listArticleFiles(h.dirs.corpusDir)).toContain('evil.md');
    expect(readdirSync(join(h.root))).not.toContain('evil.md');
    // A name that is nothing but dots and the extension is refused.
    since = h.stub.calls.length;
    h.stub.sendMessage({ document: h.stub.addFile(article('无名'), '.md') }, { from: ADMIN });
    await replyTo(ADMIN.id, /无法收录：文件名中没有可用的字符/, since);

    // The same name again: asked, kept on "keep", replaced (old version kept) on "replace".
    since = h.stub.calls.length;
    h.stub.sendMessage({ document: h.stub.addFile(article('新版本'), 'evil.md') }, { from: ADMIN });
    const question = await replyTo(ADMIN.id, /已有 evil\.md。要用新文件替换它吗/, since);
    const buttons = (question.response as { result: StubMessage }).result;
    const [replace, keep] = buttons.reply_markup!.inline_keyboard![0]!;
    expect(readFileSync(join(h.dirs.corpusDir, 'evil.md'), 'utf8')).toContain('路径名');
    // Someone else pressing the button changes nothing.
    since = h.stub.calls.length;
    h.stub.clickButton(buttons, replace!.callback_data!, { from: { id: 77, first_name: 'X' } });
    await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
    expect(readFileSync(join(h.dirs.corpusDir, 'evil.md'), 'utf8')).toContain('路径名');
    since = h.stub.calls.length;
    h.stub.clickButton(buttons, replace!.callback_data!, { from: ADMIN });
    await replyTo(ADMIN.id, /已收录《新版本》（已替换旧版本/, since);
    expect(readFileSync(join(h.dirs.corpusDir, 'evil.md'), 'utf8')).toContain('新版本');
    const kept = readdirSync(join(h.dirs.dataDir, 'replaced'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(h.dirs.dataDir, 'replaced', kept[0]!), 'utf8')).toContain('路径名');
    // The same button again: it is spent.
    since = h.stub.calls.length;
    h.stub.clickButton(buttons, keep!.callback_data!, { from: ADMIN });
    const spent = await h.stub.waitForCall((c) => c.method === 'answerCallbackQuery', { since });
    expect(String(spent.params['text'])).toMatch(/过期/);

    // A file over 5 MB that does not declare its size is refused without being taken.
    since = h.stub.calls.length;
    const big = h.stub.addFile(Buffer.alloc(6 * 1024 * 1024, 'a'), 'big.md');
    delete big['file_size'];
    h.stub.sendMessage({ document: big }, { from: ADMIN });
    await replyTo(ADMIN.id, /big\.md：文件超过 5 MB/, since);
    expect(existsSync(join(h.dirs.corpusDir, 'big.md'))).toBe(false);

    // A save that fails names the file, never the server's folders.
    mkdirSync(join(h.dirs.corpusDir, 'blocked.md'));
    since = h.stub.calls.length;
    h.stub.sendMessage({ document: h.stub.addFile(article('受阻'), 'blocked.md') }, { from: ADMIN });
    const ask = await replyTo(ADMIN.id, /已有 blocked\.md/, since);
    const [replaceBlocked] = (ask.response as { result: StubMessage }).result.reply_markup!.inline_keyboard![0]!;
    since = h.stub.calls.length;
    h.stub.clickButton((ask.response as { result: StubMessage }).result, replaceBlocked!.callback_data!, { from: ADMIN });
    const failed = await replyTo(ADMIN.id, /无法收录：blocked\.md/, since);
    expect(String(failed.params['text'])).not.toContain(h.root);
  }, 60_000);

  it('exits non-zero with one plain line when Telegram refuses the token', async () => {
    h.app = startAppProcess(h.stub, h.dirs, { TELEGRAM_BOT_TOKEN: '999999:refused-token-for-this-stub_xxxxxxxxxx' });
    const code = await h.app.exited;
    expect(code).toBe(1);
    const lines = h.app.output().split('\n').filter((l) => l.startsWith('The bot stopped:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/refused the bot token \(401/);
    expect(h.app.output()).not.toContain('refused-token-for-this-stub');
  }, 60_000);
});
