import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ArticleError } from '../corpus/article.js';
import { writeArticle } from '../corpus/write-article.js';

/**
 * `npm run add -- path/to/article.md [...]`: validates each article and copies it into the
 * corpus folder (temp file + rename, so a running bot never sees half a file). The running
 * bot's watcher picks it up, indexes it and sends the notices.
 */
function main(): void {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const corpusDir = process.env['CORPUS_DIR'] ?? 'corpus';
  if (!files.length) {
    process.stderr.write('usage: npm run add -- path/to/article.md [more.md …]\n');
    process.exitCode = 2;
    return;
  }
  mkdirSync(corpusDir, { recursive: true });
  for (const path of files) {
    const name = basename(path);
    try {
      if (!name.toLowerCase().endsWith('.md')) throw new ArticleError(name, 'the file name must end in .md');
      if (!existsSync(path)) throw new ArticleError(name, `no such file: ${path}`);
      const { article, replaced: replacing } = writeArticle(corpusDir, name, readFileSync(path));
      const target = join(corpusDir, name);
      const paragraphs = article.sections.reduce((n, s) => n + s.paragraphs.length, 0);
      process.stdout.write(`${replacing ? 'replaced' : 'added'} ${target}: 《${article.title}》, ${article.sections.length} sections, ${paragraphs} paragraphs\n`);
    } catch (error) {
      process.stderr.write(`not added: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

main();
