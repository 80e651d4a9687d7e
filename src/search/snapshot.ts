import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Article } from '../corpus/article.js';
import type { RankingOptions } from './search-index.js';

const SNAPSHOT_FORMAT = 1;
// MiniSearch's package.json is not exported: read it from where the package lives.
const minisearchVersion = (JSON.parse(readFileSync(new URL('../../node_modules/minisearch/package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Where each indexed file stood when the snapshot was taken. */
export interface SnapshotFile {
  size: number;
  mtimeMs: number;
  article: Article;
}

export interface SnapshotContent {
  files: Record<string, SnapshotFile>;
  /** MiniSearch's own serialisation (toJSON). */
  index: unknown;
}

/**
 * What must be the same for a snapshot to be served: the snapshot format, MiniSearch's
 * version, the tokenizer (dictionary, glossary, code version) and the ranking options.
 * Which files are current is checked file by file.
 */
export function snapshotKey(tokenizerFingerprint: string, ranking: RankingOptions): string {
  return createHash('sha256').update(JSON.stringify({ SNAPSHOT_FORMAT, minisearchVersion, tokenizerFingerprint, ranking })).digest('hex').slice(0, 16);
}

/** Saves atomically (temp file + rename), with a checksum over the content. */
export function saveSnapshot(path: string, key: string, content: SnapshotContent): number {
  const payload = JSON.stringify(content);
  const checksum = createHash('sha256').update(payload).digest('hex');
  const temp = `${path}.${process.pid}.tmp`;
  // The header is one short line, so a reader can reject a stale snapshot before parsing the rest.
  writeFileSync(temp, `${JSON.stringify({ format: SNAPSHOT_FORMAT, key, checksum, bytes: Buffer.byteLength(payload) })}\n${payload}`);
  renameSync(temp, path);
  return payload.length;
}

export type SnapshotLoad = { ok: true; content: SnapshotContent } | { ok: false; reason: string };

/** Loads a snapshot if it is there, whole, and made with the same key; says why not otherwise. */
export function loadSnapshot(path: string, key: string): SnapshotLoad {
  if (!existsSync(path)) return { ok: false, reason: 'no snapshot yet' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, reason: `unreadable (${String(error)})` };
  }
  const newline = text.indexOf('\n');
  let header: { format?: unknown; key?: unknown; checksum?: unknown; bytes?: unknown };
  try {
    header = JSON.parse(newline > 0 ? text.slice(0, newline) : text) as typeof header;
  } catch {
    return { ok: false, reason: 'corrupt header' };
  }
  if (header.format !== SNAPSHOT_FORMAT || header.key !== key) return { ok: false, reason: 'made by other settings or another version' };
  const payload = text.slice(newline + 1);
  if (Buffer.byteLength(payload) !== header.bytes) return { ok: false, reason: 'truncated' };
  if (createHash('sha256').update(payload).digest('hex') !== header.checksum) return { ok: false, reason: 'checksum mismatch (corrupt)' };
  try {
    const content = JSON.parse(payload) as SnapshotContent;
    if (!content || typeof content.files !== 'object' || !content.index) return { ok: false, reason: 'corrupt content' };
    return { ok: true, content };
  } catch {
    return { ok: false, reason: 'corrupt content' };
  }
}

export function removeSnapshot(path: string): void {
  rmSync(path, { force: true });
}
