import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ArticleError, type Article } from './article.js';
import { MAX_ARTICLE_BYTES, parseArticle } from './parse-article.js';

export interface LoadedCorpus {
  articles: Article[];
  /** Files that could not be served, each naming the file and the reason. */
  errors: ArticleError[];
}

/**
 * Every `*.md` file below `dir`, as corpus-relative paths with forward slashes, sorted.
 * Dotfiles and symbolic links are skipped (the watcher skips them the same way).
 */
export function listArticleFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) files.push(toCorpusPath(dir, full));
    }
  };
  walk(dir);
  return files.sort();
}

export function toCorpusPath(dir: string, fullPath: string): string {
  return relative(dir, fullPath).split(sep).join('/');
}

/** Reads and parses one corpus file; an unreadable or malformed one becomes an ArticleError. */
export function loadArticleFile(dir: string, file: string): Article {
  const full = join(dir, file);
  try {
    const stat = lstatSync(full);
    // Links could point anywhere on the server: never followed, at start-up or while running.
    if (stat.isSymbolicLink()) throw new ArticleError(file, 'is a symbolic link; links are not followed');
    if (!stat.isFile()) throw new ArticleError(file, 'is not a regular file');
    const size = stat.size;
    if (size > MAX_ARTICLE_BYTES) {
      throw new ArticleError(file, `the file is ${(size / 1048576).toFixed(1)} MB; the limit is 5 MB`);
    }
    return parseArticle(file, readFileSync(full));
  } catch (error) {
    if (error instanceof ArticleError) throw error;
    // The error's message holds the absolute path; its code says enough (ENOENT, EACCES).
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ArticleError(file, `cannot be read (${code})`);
  }
}

/** Loads every article of the corpus; malformed files are reported, the rest served. */
export function loadCorpus(dir: string): LoadedCorpus {
  const articles: Article[] = [];
  const errors: ArticleError[] = [];
  for (const file of listArticleFiles(dir)) {
    try {
      articles.push(loadArticleFile(dir, file));
    } catch (error) {
      errors.push(error instanceof ArticleError ? error : new ArticleError(file, String(error)));
    }
  }
  return { articles, errors };
}
