import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listArticleFiles } from '../../src/corpus/load-corpus.js';
import { watchCorpus, type CorpusWatcher } from '../../src/corpus/watch-corpus.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('watchCorpus', () => {
  let dir: string;
  let watcher: CorpusWatcher | undefined;
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start() {
    const ready: string[] = [];
    const removed: string[] = [];
    watcher = watchCorpus({ dir, settleMs: 150, rescanMs: 60_000, onFileReady: (f) => ready.push(f), onFileRemoved: (f) => removed.push(f) });
    return { ready, removed };
  }

  it('does not report the files present at start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'old.md'), 'x');
    const { ready } = start();
    await sleep(400);
    expect(ready).toEqual([]);
  });

  it('reports what changed since the baseline the index was built from, at once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'same.md'), 'indexed as is');
    writeFileSync(join(dir, 'edited.md'), 'indexed, then edited while indexing went on');
    writeFileSync(join(dir, 'added.md'), 'added while indexing went on');
    const stat = (file: string) => {
      const s = statSync(join(dir, file));
      return { size: s.size, mtimeMs: s.mtimeMs };
    };
    // The index saw same.md and edited.md (the latter shorter), and gone.md, deleted since.
    const baseline = new Map([
      ['same.md', stat('same.md')],
      ['edited.md', { ...stat('edited.md'), size: 3 }],
      ['gone.md', { size: 1, mtimeMs: 1 }],
    ]);
    const ready: string[] = [];
    const removed: string[] = [];
    watcher = watchCorpus({ dir, baseline, settleMs: 100, rescanMs: 60_000, onFileReady: (f) => ready.push(f), onFileRemoved: (f) => removed.push(f) });
    await until(() => ready.length === 2 && removed.length === 1);
    await sleep(300);
    expect(ready.sort()).toEqual(['added.md', 'edited.md']);
    expect(removed).toEqual(['gone.md']);
  });

  it('reports a new file once, after its writes have settled', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    const { ready } = start();
    const fd = openSync(join(dir, 'new.md'), 'w');
    // Written in pieces with pauses shorter than the settle time: one report, at the end.
    for (let i = 0; i < 5; i++) {
      writeSync(fd, `part ${i}\n`);
      await sleep(60);
    }
    closeSync(fd);
    await until(() => ready.length > 0);
    await sleep(400);
    expect(ready).toEqual(['new.md']);
  });

  it('reports a changed file again and a removed file as removed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'a.md'), 'one');
    const { ready, removed } = start();
    await sleep(50);
    writeFileSync(join(dir, 'a.md'), 'two, longer');
    await until(() => ready.length === 1);
    unlinkSync(join(dir, 'a.md'));
    await until(() => removed.length === 1);
    expect(ready).toEqual(['a.md']);
    expect(removed).toEqual(['a.md']);
  });

  it('ignores hidden temp files and non-Markdown files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    const { ready } = start();
    writeFileSync(join(dir, '.x.md.123.tmp'), 'tmp');
    writeFileSync(join(dir, 'notes.txt'), 'txt');
    await sleep(500);
    expect(ready).toEqual([]);
  });
});

describe('watchCorpus with what else lands in the folder', () => {
  let dir: string;
  let outside: string;
  let watcher: CorpusWatcher | undefined;
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  function start(settleMs = 150) {
    const ready: string[] = [];
    let rescans = 0;
    watcher = watchCorpus({ dir, settleMs, rescanMs: 60_000, rescanDebounceMs: 100, onFileReady: (f) => ready.push(f), onFileRemoved: () => undefined, onRescan: () => rescans++ });
    return { ready, rescans: () => rescans };
  }

  it('skips a symbolic link to a file outside the corpus, as the loader does at start-up', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.md'), '---\ntitle: secret\nurl: https://e.x/\n---\n\nsecret\n');
    symlinkSync(join(outside, 'secret.md'), join(dir, 'at-start.md'));
    expect(listArticleFiles(dir)).toEqual([]);
    const { ready } = start();
    symlinkSync(join(outside, 'secret.md'), join(dir, 'while-running.md'));
    writeFileSync(join(dir, 'real.md'), 'a real file');
    await until(() => ready.length > 0);
    await sleep(400);
    expect(ready).toEqual(['real.md']);
  });

  it('ignores writes to other files: no rescan for each', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    const { rescans } = start();
    for (let i = 0; i < 400; i++) writeFileSync(join(dir, 'notes.txt'), `note ${i}`);
    await sleep(500);
    expect(rescans()).toBe(0);
  });

  it('finds the articles of a folder moved in, with one rescan for the burst', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    mkdirSync(join(outside, 'batch'));
    for (let i = 0; i < 5; i++) writeFileSync(join(outside, 'batch', `a${i}.md`), `article ${i}`);
    const { ready, rescans } = start();
    renameSync(join(outside, 'batch'), join(dir, 'batch'));
    await until(() => ready.length === 5);
    expect(ready.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `batch/a${i}.md`));
    expect(rescans()).toBeLessThanOrEqual(2);
  });

  it('by default waits out a writer that pauses for a second: the file is reported once, whole', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    const ready: string[] = [];
    watcher = watchCorpus({ dir, rescanMs: 60_000, onFileReady: (f) => ready.push(f), onFileRemoved: () => undefined });
    const path = join(dir, 'slow.md');
    const fd = openSync(path, 'w');
    writeSync(fd, 'first half\n');
    await sleep(1000);
    writeSync(fd, 'second half\n');
    closeSync(fd);
    await until(() => ready.length > 0, 10_000);
    expect(ready).toEqual(['slow.md']);
    expect(statSync(path).size).toBe('first half\nsecond half\n'.length);
  });
});
