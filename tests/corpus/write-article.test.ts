import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleError } from '../../src/corpus/article.js';
import { listArticleFiles } from '../../src/corpus/load-corpus.js';
import { writeArticle } from '../../src/corpus/write-article.js';
import { tempDir } from '../notices/helpers.js';

const good = readFileSync('tests/fixtures/articles/good-markdown-headings.md');

describe('writeArticle (the one way articles enter the corpus)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('write-')));
  afterEach(() => cleanup());

  it('writes a valid article into a subfolder and leaves no temporary file behind', () => {
    const { article, replaced } = writeArticle(dir, 'feeds/site/chips.md', good);
    expect(article.title).toBe('测试文章：芯片与出口管制');
    expect(article.file).toBe('feeds/site/chips.md');
    expect(replaced).toBe(false);
    expect(readFileSync(join(dir, 'feeds/site/chips.md'))).toEqual(good);
    expect(readdirSync(join(dir, 'feeds/site'))).toEqual(['chips.md']);
    expect(listArticleFiles(dir)).toEqual(['feeds/site/chips.md']);
  });

  it('replaces an existing file by default, and refuses to when asked', () => {
    writeFileSync(join(dir, 'a.md'), 'old');
    expect(writeArticle(dir, 'a.md', good).replaced).toBe(true);
    expect(readFileSync(join(dir, 'a.md'))).toEqual(good);
    expect(() => writeArticle(dir, 'a.md', good, { ifExists: 'refuse' })).toThrow(/already in the corpus/);
    expect(readdirSync(dir)).toEqual(['a.md']);
  });

  it('rejects a malformed article or an unsafe name and writes nothing', () => {
    expect(() => writeArticle(dir, 'x.md', Buffer.from('---\ntitle: 无链接\n---\n正文。\n'))).toThrow(ArticleError);
    for (const name of ['.hidden.md', '../up.md', 'a/../../b.md', 'notes.txt', 'sub/.x/a.md']) expect(() => writeArticle(dir, name, good)).toThrow(ArticleError);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, '..', 'up.md'))).toBe(false);
  });
});
