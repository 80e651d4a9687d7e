import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArticleError, type Article } from './article.js';
import { parseArticle } from './parse-article.js';

export interface WrittenArticle {
  /** The article as the index will read it. */
  article: Article;
  /** Whether a file of that name was there before. */
  replaced: boolean;
}

/**
 * Where articles enter the corpus folder, whoever brings them (`npm run add`, an admin's upload,
 * a feed, a link): the bytes are validated with the parser the index uses, then written to a
 * temporary file beside the target and renamed over it, so a reader (the running bot's watcher,
 * a restart after `kill -9`) sees the old file or the new one, never half of one. The temporary
 * name starts with '.', which the corpus loader and watcher skip.
 *
 * `file` is corpus-relative with forward slashes (subfolders allowed); `ifExists: 'refuse'`
 * fails instead of replacing an existing file, atomically (a hard link cannot overwrite).
 */
export function writeArticle(corpusDir: string, file: string, bytes: Uint8Array, options: { ifExists?: 'replace' | 'refuse' } = {}): WrittenArticle {
  checkCorpusPath(file);
  const article = parseArticle(file, bytes);
  const target = join(corpusDir, ...file.split('/'));
  mkdirSync(dirname(target), { recursive: true });
  const replaced = existsSync(target);
  const temp = join(dirname(target), `.${file.split('/').pop()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, bytes);
  try {
    if (options.ifExists === 'refuse') {
      try {
        linkSync(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ArticleError(file, 'a file of that name is already in the corpus');
        throw error;
      }
    } else {
      renameSync(temp, target);
    }
  } finally {
    rmSync(temp, { force: true });
  }
  return { article, replaced };
}

/** A corpus-relative path the loader will read: no '..', no hidden parts, ends in .md. */
export function checkCorpusPath(file: string): void {
  const parts = file.split('/');
  if (!file.toLowerCase().endsWith('.md')) throw new ArticleError(file, 'the file name must end in .md');
  if (file.includes('\\') || file.includes('\u0000') || parts.some((p) => !p || p === '..' || p.startsWith('.'))) {
    throw new ArticleError(file, 'the file name must not start with "." or climb out of the corpus folder');
  }
}
