import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ArticleError } from '../corpus/article.js';
import { safeArticleName, saveArticleFile } from '../corpus/article-files.js';
import { parseArticle } from '../corpus/parse-article.js';

/**
 * `npm run add -- path/to/article.md [...] [--replace]`: validates each article and writes
 * it into the corpus folder under a safe name (temp file + rename, so a running bot never
 * sees half a file). A file of the same name is replaced only with --replace, and its
 * previous version is kept in DATA_DIR/replaced. The running bot's watcher picks the file
 * up, indexes it and sends the notices.
 */
function main(): void {
  const args = process.argv.slice(2);
  const replace = args.includes('--replace');
  const files = args.filter((a) => !a.startsWith('--'));
  const corpusDir = process.env['CORPUS_DIR'] ?? 'corpus';
  const dataDir = process.env['DATA_DIR'] ?? 'data';
  if (!files.length) {
    process.stderr.write('usage: npm run add -- path/to/article.md [more.md …] [--replace]\n');
    process.exitCode = 2;
    return;
  }
  for (const path of files) {
    const given = basename(path);
    try {
      if (!given.toLowerCase().endsWith('.md')) throw new ArticleError(given, 'the file name must end in .md');
      if (!existsSync(path)) throw new ArticleError(given, `no such file: ${path}`);
      const name = safeArticleName(given);
      if (!name) throw new ArticleError(given, 'the file name has no usable characters');
      const bytes = readFileSync(path);
      const article = parseArticle(name, bytes);
      const saved = saveArticleFile(corpusDir, name, bytes, { replace, keepReplacedIn: join(dataDir, 'replaced') });
      if (!saved.saved) throw new ArticleError(name, `the corpus already has ${name}; pass --replace to replace it (the previous version is kept)`);
      const paragraphs = article.sections.reduce((n, s) => n + s.paragraphs.length, 0);
      const kept = saved.previousKeptAs ? ` (previous version kept as ${join(dataDir, 'replaced', saved.previousKeptAs)})` : '';
      process.stdout.write(`${saved.saved} ${join(corpusDir, name)}: 《${article.title}》, ${article.sections.length} sections, ${paragraphs} paragraphs${kept}\n`);
    } catch (error) {
      process.stderr.write(`not added: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

main();
