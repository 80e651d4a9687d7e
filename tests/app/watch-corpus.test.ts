import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
