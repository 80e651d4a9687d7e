import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../src/bot/console-chat.js';
import { library } from '../bot/helpers.js';

describe('the console chat (no Telegram token)', () => {
  it('answers questions with citations, pages with 更多, and lists articles', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d) => (text += String(d)));
    const done = runConsoleChat({ library, input, output });
    input.end('东芝丑闻是哪一年开始的？\n更多\n/articles\n明天上海会下雨吗\n');
    await done;
    expect(text).toContain('可以提问了（1 篇文章）');
    expect(text).toContain('1. 《出口管制的回归：一个需要盟国合作的风险策略（外专观点）》 › 合作的种子 · 第4段');
    expect(text).toContain('【东芝】');
    expect(text).toContain('2023-01-26 《出口管制的回归');
    expect(text).toContain('没有在文章中找到与「明天上海会下雨吗」相关的段落');
  });

  it('is what npm start runs without a token, and says so', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      input: 'SMIC\n',
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('TELEGRAM_BOT_TOKEN is not set');
    expect(run.stdout).toContain('中芯国际');
  });

  it('stops with a clear message on a bad configuration, without echoing secrets', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', TELEGRAM_BOT_TOKEN: 'not-a-token-but-secret', PORT: 'x' },
      timeout: 60_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('TELEGRAM_BOT_TOKEN must look like');
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).not.toContain('not-a-token-but-secret');
  });

  it('says plainly when the corpus folder is missing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', CORPUS_DIR: 'no-such-folder' },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Could not start: the corpus folder no-such-folder does not exist');
    expect(run.stderr).not.toContain('    at ');
  });
});
