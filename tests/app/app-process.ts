import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from '../notices/helpers.js';
import { startTelegramStub, type TelegramStub } from '../support/telegram-stub.js';

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

/** What each test of the running app gets: a Bot API server, a corpus and data folder, the process. */
export interface RunningApp {
  stub: TelegramStub;
  /** The temporary folder holding `corpus/` and `data/`. */
  root: string;
  dirs: { corpusDir: string; dataDir: string };
  /** Set by the test that starts it; killed (SIGKILL) after each test if it still runs. */
  app: AppProcess | undefined;
}

/**
 * Makes, around each test of the enclosing `describe`, a local Bot API server and a fresh
 * corpus (the seed article and the glossary) and data folder; after it, kills the app if it
 * still runs, closes the server and removes the folder. `extra` starts and stops what a suite
 * needs besides (a feed server).
 */
export function useRunningApp(prefix: string, extra: { start?: () => Promise<void>; stop?: () => Promise<void> } = {}): RunningApp {
  const running = { app: undefined } as RunningApp;
  let cleanup = () => {};
  beforeEach(async () => {
    running.stub = await startTelegramStub();
    await extra.start?.();
    const folder = tempDir(prefix);
    running.root = folder.dir;
    cleanup = folder.cleanup;
    running.dirs = prepareDirs(folder.dir);
  });
  afterEach(async () => {
    const { app } = running;
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
    running.app = undefined;
    await extra.stop?.();
    await running.stub.close();
    cleanup();
  });
  return running;
}
