import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/answer/answer.js';
import { buildSnippet } from '../../src/answer/snippet.js';
import { ArticleError, type Article } from '../../src/corpus/article.js';
import { MAX_PARAGRAPH_CHARS, parseArticle, splitLongText } from '../../src/corpus/parse-article.js';
import { openLibrary } from '../../src/library.js';
import { createSearchIndex } from '../../src/search/search-index.js';
import { createTokenizer, type Tokenizer } from '../../src/search/tokenizer.js';

const work = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FRONT = '---\ntitle: 测试文章\nurl: https://example.com/a\n---\n\n';
const tokenizer = createTokenizer();

/** The front matter of a file that would run code if a parser evaluated it. */
function codeFrontMatter(engine: string, marker: string): string {
  return `---${engine}\n{ title: require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran') || 'pwned', url: 'https://e.x/' }\n---\n\n正文一段。\n`;
}

describe('front matter that asks for a code engine', () => {
  for (const engine of ['js', 'javascript', 'coffee', ' js']) {
    it(`never runs "---${engine}" front matter`, () => {
      const marker = join(work, `ran-${engine.trim()}`);
      let result: Article | ArticleError;
      try {
        result = parseArticle('evil.md', Buffer.from(codeFrontMatter(engine, marker)));
      } catch (error) {
        result = error as ArticleError;
      }
      expect(existsSync(marker)).toBe(false);
      // Not front matter at all: plain Markdown, the block shown as the text it is.
      expect(result).not.toBeInstanceOf(ArticleError);
      expect((result as Article).format).toBe('plain-markdown');
      expect((result as Article).title).toBe('evil');
    });
  }

  it('reads YAML as data only: tags that construct functions or objects are not code', () => {
    const marker = join(work, 'ran-tag');
    const text = `---\ntitle: !!js/function "function () { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x') }"\nurl: https://e.x/\n---\n\n正文。\n`;
    try {
      parseArticle('tag.md', Buffer.from(text));
    } catch {
      // refusing it is fine too
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('survives a YAML alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `---\n${lines.join('\n')}\ntitle: t\nurl: https://e.x/\n---\n\n正文。\n`;
    const started = performance.now();
    // Refused as YAML, then read line by line: the aliases are never expanded.
    expect(parseArticle('bomb.md', Buffer.from(text)).title).toBe('t');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

/**
 * The fastest of five interleaved runs of each, in ms: a busy machine slows single runs,
 * and interleaving keeps a slow spell from landing on one size only.
 */
function timesOf(small: () => void, large: () => void): { small: number; large: number } {
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    small();
    bestSmall = Math.min(bestSmall, performance.now() - started);
    started = performance.now();
    large();
    bestLarge = Math.min(bestLarge, performance.now() - started);
  }
  return { small: bestSmall, large: bestLarge };
}

/** Text shapes that make backtracking patterns or pairwise loops blow up, `size` characters long. */
const SHAPES: Record<string, (size: number) => string> = {
  'a heading with inner spaces': (n) => `# a${' '.repeat(n)}b`,
  'a line of [': (n) => '['.repeat(n),
  'a line of ![](': (n) => '![]('.repeat(n / 4),
  'a line of **': (n) => '**a'.repeat(n / 3),
  'a line of *x': (n) => '*x '.repeat(n / 3),
  'a line of <a': (n) => '<a '.repeat(n / 3),
  'a line of backticks and backslashes': (n) => '`\\'.repeat(n / 2),
  'a line of URLs': (n) => 'http://a'.repeat(n / 8),
  'one long Chinese paragraph': (n) => '出口管制是一种手段，它影响供应链安全。'.repeat(n / 19),
  'Chinese without punctuation': (n) => '供应链安全出口管制'.repeat(n / 9),
  'a heading line of words and runs of spaces': (n) => `### ${'a  '.repeat(n / 3)}`,
  'a heading line holding a whole section': (n) => `### 01 漏洞概况      ${'出口管制是一种手段，它影响供应链安全。'.repeat(n / 19)}`,
  'lines of fences that never close': (n) => '```a\n'.repeat(n / 5),
  'a list of links': (n) => Array.from({ length: n / 40 }, (_, i) => `${i + 1}. [出口管制文章${i}](https://e.x/${i})`).join('\n'),
};

describe('hostile shapes of text at 256 KB and 1 MB', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    it(`parses and answers ${name} in time that grows about linearly`, () => {
      const small = Buffer.from(`${FRONT}${make(256 * 1024)}\n`);
      const large = Buffer.from(`${FRONT}${make(1024 * 1024)}\n`);
      const run = (bytes: Buffer) => () => {
        let article: Article;
        try {
          article = parseArticle('shape.md', bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ArticleError);
          return;
        }
        for (const section of article.sections) for (const p of section.paragraphs) expect(p.length).toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
        const index = createSearchIndex(tokenizer);
        index.add(article);
        createAnswerer(index, tokenizer)('出口管制和供应链安全', { limit: 3 });
      };
      const { small: smallMs, large: largeMs } = timesOf(run(small), run(large));
      // 4× the input may cost at most 8× the time (plus slack for timings of a few ms).
      expect(largeMs).toBeLessThan(smallMs * 8 + 100);
    });
  }
});

describe('long paragraphs', () => {
  it('are cut at sentence ends into pieces of at most the limit, losing no text', () => {
    const text = '第一句话说明背景。'.repeat(400);
    const pieces = splitLongText(text, MAX_PARAGRAPH_CHARS);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= MAX_PARAGRAPH_CHARS && p.endsWith('。'))).toBe(true);
    expect(pieces.join('')).toBe(text);
  });

  it('never split a surrogate pair when there is no better place to cut', () => {
    const text = '😀'.repeat(2000);
    const pieces = splitLongText(text, 1001);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it('build snippets from a 1 MB paragraph in linear time', () => {
    const small = '出口管制是一种手段。'.repeat(25_000);
    const large = small.repeat(4);
    const { small: smallMs, large: largeMs } = timesOf(() => buildSnippet(small, ['出口管制', '手段']), () => buildSnippet(large, ['出口管制', '手段']));
    expect(largeMs).toBeLessThan(smallMs * 8 + 100);
  });
});

describe('one file that cannot be indexed', () => {
  it('starts the bot anyway: a 1.5 MB paragraph is indexed, cut into passages', () => {
    const dir = mkdtempSync(join(work, 'corpus-'));
    writeFileSync(join(dir, 'huge.md'), `${FRONT}${'巨大的段落讲述供应链安全'.repeat(130_000)}\n`);
    writeFileSync(join(dir, 'small.md'), `---\ntitle: 小文章\nurl: https://example.com/s\n---\n\n东芝事件发生在1987年。\n`);
    const { library, corpus } = openLibrary(dir);
    expect(corpus.errors).toEqual([]);
    expect(library.answer('东芝事件').results[0]?.articleTitle).toBe('小文章');
    expect(library.answer('供应链安全').results.length).toBeGreaterThan(0);
  });

  it('leaves nothing of itself in the index when a passage fails, and the error names no path but the file', () => {
    const failing: Tokenizer = { ...tokenizer, words: (text) => (text.includes('爆炸') ? (() => { throw new RangeError('boom'); })() : tokenizer.words(text)) };
    const index = createSearchIndex(failing);
    const good = parseArticle('good.md', Buffer.from(`${FRONT}第一段正常，这是一段足够长的文字。\n\n第二段正常，这也是一段足够长的文字。\n`));
    const bad = parseArticle('bad.md', Buffer.from(`---\ntitle: 坏\nurl: https://e.x/b\n---\n\n第一段正常，这是一段足够长的文字。\n\n这一段会爆炸，这也是一段足够长的文字。\n`));
    index.add(good);
    const before = index.passageCount;
    expect(() => index.add(bad)).toThrow(RangeError);
    expect(index.passageCount).toBe(before);
    expect(index.has(bad.id)).toBe(false);
    expect(index.search(tokenizer.analyzeQuery('第一段正常')).map((h) => h.passage.articleId)).toContain(good.id);
    expect(index.search(tokenizer.analyzeQuery('第一段正常')).every((h) => h.passage.articleId === good.id)).toBe(true);
  });
});
