import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Article } from '../corpus/article.js';
import type { EncodedIndex, IndexArrays, IndexMeta } from './index-codec.js';
import type { RankingOptions } from './search-index.js';

const SNAPSHOT_FORMAT = 4;
// MiniSearch's package.json is not exported: read it from where the package lives.
const minisearchVersion = (JSON.parse(readFileSync(new URL('../../node_modules/minisearch/package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Where each indexed file stood when the snapshot was taken. */
export interface SnapshotFile {
  size: number;
  mtimeMs: number;
  article: Article;
  /** Name pairs mined from the article (康斯伯格（Kongsberg）): mining every article again is slow. */
  aliases?: string[][];
}

export interface SnapshotContent {
  files: Record<string, SnapshotFile>;
  index: EncodedIndex;
}

/**
 * What must be the same for a snapshot to be served: the snapshot format, MiniSearch's
 * version, the tokenizer (dictionary, glossary, code version) and the ranking options.
 * Which files are current is checked file by file.
 */
export function snapshotKey(tokenizerFingerprint: string, ranking: RankingOptions): string {
  return createHash('sha256').update(JSON.stringify({ SNAPSHOT_FORMAT, minisearchVersion, tokenizerFingerprint, ranking })).digest('hex').slice(0, 16);
}

type ArrayName = keyof IndexArrays;
const ARRAYS: { name: ArrayName; bytesPer: 1 | 2 | 4 }[] = [
  { name: 'shortIds', bytesPer: 4 },
  { name: 'fieldLengths', bytesPer: 4 },
  { name: 'lists', bytesPer: 4 },
  { name: 'chunks', bytesPer: 4 },
  { name: 'lows', bytesPer: 2 },
  { name: 'frequencies', bytesPer: 1 },
  { name: 'overflow', bytesPer: 4 },
];

interface Header {
  format: number;
  key: string;
  checksum: string;
  /** Byte length of each section: the index's JSON part, the files (JSON lines), then ARRAYS in order. */
  sections: number[];
}

function bytesOf(array: Uint32Array | Uint16Array | Uint8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * One header line (format, key, checksum, section sizes), then MiniSearch's scalar state and
 * vocabulary as JSON, the files and their articles as JSON lines, then the index's typed
 * arrays as raw bytes: loading them is a read, not a parse. Saved atomically (temp + rename).
 */
export function saveSnapshot(path: string, key: string, content: SnapshotContent): number {
  const meta = Buffer.from(JSON.stringify(content.index.meta));
  // One line per file: read back a line at a time, never as one giant string.
  const files = Buffer.from(Object.entries(content.files).map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  const sections = [meta, files, ...ARRAYS.map(({ name }) => bytesOf(content.index.arrays[name]))];
  const hash = createHash('sha256');
  for (const section of sections) hash.update(section);
  const header: Header = { format: SNAPSHOT_FORMAT, key, checksum: hash.digest('hex'), sections: sections.map((b) => b.length) };
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(header)}\n`);
    for (const section of sections) writeSync(fd, section);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return sections.reduce((sum, b) => sum + b.length, 0);
}

export type SnapshotLoad = { ok: true; content: SnapshotContent } | { ok: false; reason: string };

function readExactly(fd: number, length: number, position: number): Buffer | undefined {
  // A fresh, unpooled buffer: aligned for typed-array views, and not shared with anything.
  const buffer = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) return undefined;
    done += read;
  }
  return buffer;
}

/** Loads a snapshot if it is there, whole, and made with the same key; says why not otherwise. */
export function loadSnapshot(path: string, key: string): SnapshotLoad {
  if (!existsSync(path)) return { ok: false, reason: 'no snapshot yet' };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { ok: false, reason: `unreadable (${String(error)})` };
  }
  try {
    const head = readExactly(fd, Math.min(4096, fstatSync(fd).size), 0);
    const newline = head ? head.indexOf(10) : -1;
    let header: Partial<Header>;
    try {
      header = JSON.parse(head && newline > 0 ? head.subarray(0, newline).toString('utf8') : '') as Partial<Header>;
    } catch {
      return { ok: false, reason: 'corrupt header' };
    }
    if (header.format !== SNAPSHOT_FORMAT || header.key !== key) return { ok: false, reason: 'made by other settings or another version' };
    const sizes = header.sections;
    if (!Array.isArray(sizes) || sizes.length !== ARRAYS.length + 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      return { ok: false, reason: 'corrupt header' };
    }
    if (fstatSync(fd).size !== newline + 1 + sizes.reduce((a, b) => a + b, 0)) return { ok: false, reason: 'truncated' };
    const hash = createHash('sha256');
    const sections: Buffer[] = [];
    let position = newline + 1;
    for (const size of sizes) {
      const section = readExactly(fd, size, position);
      if (!section) return { ok: false, reason: 'truncated' };
      hash.update(section);
      sections.push(section);
      position += size;
    }
    if (hash.digest('hex') !== header.checksum) return { ok: false, reason: 'checksum mismatch (corrupt)' };
    const [metaBytes, fileLines, ...raw] = sections;
    const meta = JSON.parse(metaBytes!.toString('utf8')) as IndexMeta | null;
    if (!meta || typeof meta !== 'object' || !Array.isArray(meta.documentIds) || !Array.isArray(meta.terms)) return { ok: false, reason: 'corrupt content' };
    const files: Record<string, SnapshotFile> = {};
    for (let start = 0; start < fileLines!.length; ) {
      const end = fileLines!.indexOf(10, start);
      const [file, state] = JSON.parse(fileLines!.toString('utf8', start, end < 0 ? fileLines!.length : end)) as [string, SnapshotFile];
      if (typeof file !== 'string' || !state?.article) return { ok: false, reason: 'corrupt content' };
      files[file] = state;
      start = end < 0 ? fileLines!.length : end + 1;
    }
    const arrays = {} as Record<ArrayName, Uint32Array | Uint16Array | Uint8Array>;
    ARRAYS.forEach(({ name, bytesPer }, i) => {
      const bytes = raw[i]!;
      if (bytes.length % bytesPer) throw new Error(`section ${name} is not whole`);
      const { buffer, byteOffset, length } = bytes;
      arrays[name] = bytesPer === 4 ? new Uint32Array(buffer, byteOffset, length / 4) : bytesPer === 2 ? new Uint16Array(buffer, byteOffset, length / 2) : new Uint8Array(buffer, byteOffset, length);
    });
    return { ok: true, content: { files, index: { meta, arrays: arrays as unknown as IndexArrays } } };
  } catch (error) {
    return { ok: false, reason: `corrupt content (${error instanceof Error ? error.message : String(error)})` };
  } finally {
    closeSync(fd);
  }
}

export function removeSnapshot(path: string): void {
  rmSync(path, { force: true });
}
