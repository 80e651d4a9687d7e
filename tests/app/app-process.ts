import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TelegramStub } from '../support/telegram-stub.js';

export const SEED = 'corpus/2023-01-26-export-controls-return.md';
export const ADMIN = { id: 4242, first_name: 'Admin', language_code: 'zh' };

export function prepareDirs(root: string): { corpusDir: string; dataDir: string } {
  const corpusDir = join(root, 'corpus');
  const dataDir = join(root, 'data');
  mkdirSync(corpusDir, { recursive: true });
  copyFileSync(SEED, join(corpusDir, 'seed.md'));
  copyFileSync('corpus/glossary.txt', join(corpusDir, 'glossary.txt'));
  return { corpusDir, dataDir };
}

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** `npm start`'s program as a child process, talking to the local Bot API server. */
export function startAppProcess(stub: TelegramStub, dirs: { corpusDir: string; dataDir: string }, env: Record<string, string> = {}): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      TELEGRAM_BOT_TOKEN: stub.token,
      TELEGRAM_API_ROOT: stub.apiRoot,
      CORPUS_DIR: dirs.corpusDir,
      DATA_DIR: dirs.dataDir,
      ADMIN_IDS: String(ADMIN.id),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
