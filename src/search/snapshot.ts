import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Article } from '../corpus/article.js';
import { INDEXING_CODE_FINGERPRINT } from './code-fingerprint.js';
import type { EncodedIndex, IndexArrays, IndexMeta } from './index-codec.js';


// The file layout's version; changes to parsing or indexing code are caught by the code fingerprint.
const SNAPSHOT_FORMAT = 6;
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
 * What a snapshot must have been built with to be served: its format, MiniSearch's version,
 * the code that parses and indexes, the tokenizer (dictionary, glossary). Which files are
 * current is checked file by file.
 */
export function snapshotKey(tokenizerFingerprint: string): string {
  return createHash('sha256').update(JSON.stringify({ SNAPSHOT_FORMAT, minisearchVersion, code: INDEXING_CODE_FINGERPRINT, tokenizerFingerprint })).digest('hex').slice(0, 16);
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

/** The header line is padded to this length, so it can be written last, once the sections are. */
const HEADER_BYTES = 512;
/** About how much of the articles' lines is gathered before a write (in characters). */
const WRITE_BATCH_CHARS = 1 << 20;
/** The typed arrays are written in pieces of this many bytes. */
const ARRAY_PIECE_BYTES = 1 << 20;

/**
 * The sections after the header, in pieces of about a megabyte, as [section number, bytes]:
 * MiniSearch's scalar state and vocabulary as JSON, the files and their articles as JSON
 * lines, then the index's typed arrays as raw bytes (loading them is a read, not a parse).
 * Made as they are written, so the articles' text is never held as one more copy.
 */
function* snapshotPieces(content: SnapshotContent): Generator<[number, Buffer]> {
  yield [0, Buffer.from(JSON.stringify(content.index.meta))];
  // One line per file: read back a line at a time, never as one giant string.
  let batch: string[] = [];
  let batchLength = 0;
  for (const entry of Object.entries(content.files)) {
    const line = `${JSON.stringify(entry)}\n`;
    batch.push(line);
    batchLength += line.length;
    if (batchLength >= WRITE_BATCH_CHARS) {
      yield [1, Buffer.from(batch.join(''))];
      batch = [];
      batchLength = 0;
    }
  }
  if (batch.length) yield [1, Buffer.from(batch.join(''))];
  for (const [i, { name }] of ARRAYS.entries()) {
    const bytes = bytesOf(content.index.arrays[name]);
    for (let at = 0; at < bytes.length; at += ARRAY_PIECE_BYTES) yield [2 + i, bytes.subarray(at, at + ARRAY_PIECE_BYTES)];
  }
}

/** The header (format, key, checksum, section sizes), padded to HEADER_BYTES. */
function headerLine(key: string, checksum: string, sizes: number[]): string {
  const header: Header = { format: SNAPSHOT_FORMAT, key, checksum, sections: sizes };
  const line = JSON.stringify(header);
  if (line.length >= HEADER_BYTES) throw new Error('snapshot header too long');
  return `${line.padEnd(HEADER_BYTES - 1)}\n`;
}

/**
 * The body of a snapshot file, piece by piece with where each piece goes, hashed and sized
 * as it is made; `header()` once every piece has been written. Shared by both writers.
 */
function snapshotBody(key: string, content: SnapshotContent) {
  const hash = createHash('sha256');
  const sizes = new Array<number>(ARRAYS.length + 2).fill(0);
  return {
    *pieces(): Generator<{ bytes: Buffer; position: number }> {
      let position = HEADER_BYTES;
      for (const [section, bytes] of snapshotPieces(content)) {
        hash.update(bytes);
        yield { bytes, position };
        position += bytes.length;
        sizes[section] = (sizes[section] ?? 0) + bytes.length;
      }
    },
    header: () => headerLine(key, hash.digest('hex'), sizes),
    size: () => sizes.reduce((sum, n) => sum + n, 0),
  };
}

/** Writes a snapshot atomically (temp file, header last, rename); returns its body's size. */
export function saveSnapshot(path: string, key: string, content: SnapshotContent): number {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  const body = snapshotBody(key, content);
  let written = false;
  try {
    for (const { bytes, position } of body.pieces()) {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    }
    writeSync(fd, body.header(), 0);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(temp, { force: true });
  }
  renameSync(temp, path);
  return body.size();
}

/**
 * The same file as saveSnapshot, written a piece at a time with the event loop handed back
 * in between: a running bot keeps answering while a large index is saved. `content` must
 * not change meanwhile (the index's encoding is a copy; articles are never mutated).
 */
export async function saveSnapshotInBackground(path: string, key: string, content: SnapshotContent): Promise<number> {
  const temp = `${path}.${process.pid}.background.tmp`;
  const file = await open(temp, 'w');
  const body = snapshotBody(key, content);
  let written = false;
  try {
    for (const { bytes, position } of body.pieces()) {
      for (let done = 0; done < bytes.length; ) done += (await file.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
    }
    await file.write(body.header(), 0);
    written = true;
  } finally {
    await file.close();
    if (!written) await rm(temp, { force: true });
  }
  await rename(temp, path);
  return body.size();
}

/** How much of the articles' section is read at a time. */
const FILES_CHUNK_BYTES = 4 << 20;

/** Adds one `[file, state]` line to `files`; false when the line is not one. */
function parseFileLine(line: string, files: Record<string, SnapshotFile>): boolean {
  const [file, state] = JSON.parse(line) as [string, SnapshotFile];
  if (typeof file !== 'string' || !state?.article) return false;
  files[file] = state;
  return true;
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
export function loadSnapshot(path: string, key: string, filesChunkBytes = FILES_CHUNK_BYTES): SnapshotLoad {
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
    const [metaSize, filesSize, ...arraySizes] = sizes as [number, number, ...number[]];
    const hash = createHash('sha256');
    let position = newline + 1;
    const metaBytes = readExactly(fd, metaSize, position);
    if (!metaBytes) return { ok: false, reason: 'truncated' };
    hash.update(metaBytes);
    position += metaSize;
    // The articles' text is the largest section: read it a chunk at a time and parse each
    // line as it comes, so it is never held twice (bytes and parsed) at start-up.
    const files: Record<string, SnapshotFile> = {};
    let carry = Buffer.alloc(0);
    for (let done = 0; done < filesSize; ) {
      const chunk = readExactly(fd, Math.min(filesChunkBytes, filesSize - done), position + done);
      if (!chunk) return { ok: false, reason: 'truncated' };
      hash.update(chunk);
      done += chunk.length;
      const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let end = text.indexOf(10); end >= 0; end = text.indexOf(10, start)) {
        const line = text.toString('utf8', start, end);
        start = end + 1;
        if (!parseFileLine(line, files)) return { ok: false, reason: 'corrupt content' };
      }
      carry = Buffer.from(text.subarray(start));
    }
    if (carry.length && !parseFileLine(carry.toString('utf8'), files)) return { ok: false, reason: 'corrupt content' };
    position += filesSize;
    const raw: Buffer[] = [];
    for (const size of arraySizes) {
      const section = readExactly(fd, size, position);
      if (!section) return { ok: false, reason: 'truncated' };
      hash.update(section);
      raw.push(section);
      position += size;
    }
    // Checked before anything is served; the parse above is only kept if the bytes were whole.
    if (hash.digest('hex') !== header.checksum) return { ok: false, reason: 'checksum mismatch (corrupt)' };
    const meta = JSON.parse(metaBytes.toString('utf8')) as IndexMeta | null;
    if (!meta || typeof meta !== 'object' || !Array.isArray(meta.documentIds) || !Array.isArray(meta.terms)) return { ok: false, reason: 'corrupt content' };
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
