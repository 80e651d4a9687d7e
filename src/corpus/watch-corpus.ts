import { lstatSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { listArticleFiles } from './load-corpus.js';

export interface CorpusWatcherOptions {
  dir: string;
  /** A file appeared or changed and has stopped changing: corpus-relative path. */
  onFileReady: (file: string) => void;
  /** A file disappeared. */
  onFileRemoved: (file: string) => void;
  /**
   * How long a file's size and mtime must stay the same before it counts as written. A
   * writer that pauses longer gets a partial file read: tools should write a temporary
   * file and rename it (as `npm run add` does).
   */
  settleMs?: number;
  /** Events that may hide many changes (a folder moved in) trigger one rescan this long after the last. */
  rescanDebounceMs?: number;
  /** Full rescans catch events the OS did not deliver (network folders, editors' tricks). */
  rescanMs?: number;
  onError?: (error: unknown) => void;
  /** Told of each full rescan (for logs and tests: rescans cost a stat per file). */
  onRescan?: () => void;
  /**
   * The files as the index saw them when it was built. Files added, changed or removed
   * since (while a large corpus was being indexed) are reported as soon as the watcher
   * starts. Without it, the folder as it stands now is the baseline.
   */
  baseline?: ReadonlyMap<string, FileState>;
}

export interface CorpusWatcher {
  close(): void;
  /** Compares the folder with what was last seen and reports differences now. */
  rescan(): void;
}

export interface FileState {
  size: number;
  mtimeMs: number;
}

/** A regular file's size and mtime; a symbolic link counts as no file (as in listArticleFiles). */
function stateOf(path: string): FileState | undefined {
  try {
    const stat = lstatSync(path);
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

const same = (a: FileState | undefined, b: FileState | undefined) => a?.size === b?.size && a?.mtimeMs === b?.mtimeMs;

/**
 * Watches a corpus folder for `*.md` files that are added, changed or removed. A file is
 * reported only once its size and mtime have settled, so a half-written file is never read.
 * The baseline (the files the index was built from) is not reported; differences are.
 */
export function watchCorpus(options: CorpusWatcherOptions): CorpusWatcher {
  const settleMs = options.settleMs ?? 3000;
  const rescanDebounceMs = options.rescanDebounceMs ?? 1000;
  let rescanTimer: NodeJS.Timeout | undefined;
  const known = new Map<string, FileState>(options.baseline ?? []);
  const pending = new Map<string, { timer: NodeJS.Timeout; state: FileState | undefined }>();
  if (!options.baseline) {
    for (const file of listArticleFiles(options.dir)) {
      const state = stateOf(join(options.dir, file));
      if (state) known.set(file, state);
    }
  }

  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      options.onError?.(error);
    }
  };

  function check(file: string): void {
    const state = stateOf(join(options.dir, file));
    const waiting = pending.get(file);
    if (waiting && !same(waiting.state, state)) {
      // Still being written: look again later.
      schedule(file, state);
      return;
    }
    pending.delete(file);
    if (!state) {
      if (known.delete(file)) safely(() => options.onFileRemoved(file));
      return;
    }
    if (same(known.get(file), state)) return;
    known.set(file, state);
    safely(() => options.onFileReady(file));
  }

  function schedule(file: string, state = stateOf(join(options.dir, file))): void {
    const waiting = pending.get(file);
    if (waiting) clearTimeout(waiting.timer);
    pending.set(file, { timer: setTimeout(() => check(file), settleMs), state });
  }

  function rescan(): void {
    options.onRescan?.();
    let files: string[];
    try {
      files = listArticleFiles(options.dir);
    } catch (error) {
      options.onError?.(error);
      return;
    }
    const present = new Set(files);
    for (const file of files) if (!same(known.get(file), stateOf(join(options.dir, file))) && !pending.has(file)) schedule(file);
    for (const file of known.keys()) if (!present.has(file) && !pending.has(file)) schedule(file);
  }

  // Many events in a burst (a folder copied in) make one rescan, not one each.
  function rescanSoon(): void {
    if (rescanTimer) clearTimeout(rescanTimer);
    rescanTimer = setTimeout(() => {
      rescanTimer = undefined;
      rescan();
    }, rescanDebounceMs);
  }

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.dir, { recursive: true }, (_event, name) => {
      const file = name?.toString().split('\\').join('/');
      if (!file) return rescanSoon();
      if (file.split('/').some((part) => part.startsWith('.'))) return;
      if (file.toLowerCase().endsWith('.md')) return schedule(file);
      // Other files (notes.txt, images) are none of ours; a folder may bring many articles.
      if (isFolder(join(options.dir, file))) rescanSoon();
    });
    watcher.on('error', (error) => options.onError?.(error));
  } catch (error) {
    options.onError?.(error);
  }
  const interval = setInterval(rescan, options.rescanMs ?? 30_000);
  interval.unref();
  // What changed while the index was being built.
  if (options.baseline) rescan();

  return {
    rescan,
    close() {
      watcher?.close();
      clearInterval(interval);
      if (rescanTimer) clearTimeout(rescanTimer);
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
