import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A hash of the source files in the given folders (sorted by path, contents included).
 * Snapshots keep parsed articles and a built index: any change to the code that parses,
 * tokenizes or indexes must rebuild them, and a hand-bumped version number gets forgotten.
 */
export function codeFingerprint(folders: readonly string[], skip: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const folder of folders) {
    for (const file of sourceFiles(folder, skip).sort()) hash.update(relative(folder, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function sourceFiles(folder: string, skip: readonly string[]): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : sourceFiles(path, skip);
    return entry.isFile() && /\.(?:ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * The code snapshots depend on: the corpus parser and the search modules, wherever they run
 * from. `src/search/query` only reads the index at question time (scoring, re-ranking,
 * question intent): changing it never changes what a snapshot holds, so it is left out.
 */
export const INDEXING_CODE_FINGERPRINT = codeFingerprint(
  ['../corpus', '.'].map((dir) => fileURLToPath(new URL(dir, import.meta.url))),
  ['query'],
);
