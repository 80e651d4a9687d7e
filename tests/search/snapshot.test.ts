import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { openLibrary, SNAPSHOT_FILE, type OpenedLibrary } from '../../src/library.js';
import { tempDir } from '../notices/helpers.js';

const QUESTIONS = readFileSync('tests/fixtures/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q)
  .concat(['阿斯麦生产什么', '日本政府宣布了什么管制措施', '光刻机']);
const answersOf = (opened: OpenedLibrary) => QUESTIONS.map((q) => JSON.stringify(opened.library.answer(q, { limit: 5 })));

describe('the index snapshot', () => {
  let dir: string;
  let corpusDir: string;
  let dataDir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('snapshot-'));
    corpusDir = join(dir, 'corpus');
    dataDir = join(dir, 'data');
    const seed = readFileSync('corpus/2023-01-26-export-controls-return.md');
    const chips = readFileSync('tests/fixtures/articles/good-markdown-headings.md');
    writeFileSync(join(dir, 'placeholder'), '');
    // A small corpus: the seed, a second article, the glossary.
    for (const [name, bytes] of [['seed.md', seed], ['chips.md', chips]] as const) {
      mkdirSync(corpusDir, { recursive: true });
      writeFileSync(join(corpusDir, name), bytes);
    }
    copyFileSync('corpus/glossary.txt', join(corpusDir, 'glossary.txt'));
  });
  afterEach(() => cleanup());

  it('gives the same answers loaded as freshly built, without re-indexing', () => {
    const built = openLibrary(corpusDir, { dataDir });
    expect(built.stats).toMatchObject({ snapshot: 'no snapshot yet', reindexed: 2 });
    const loaded = openLibrary(corpusDir, { dataDir });
    expect(loaded.stats).toMatchObject({ snapshot: 'loaded', reused: 2, reindexed: 0, removed: 0 });
    expect(answersOf(loaded)).toEqual(answersOf(built));
    expect(answersOf(loaded)).toEqual(answersOf(openLibrary(corpusDir)));
  });

  it.each([
    ['a flipped byte', (path: string) => {
      const bytes = readFileSync(path);
      bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
      writeFileSync(path, bytes);
    }, 'checksum mismatch (corrupt)'],
    ['truncation', (path: string) => writeFileSync(path, readFileSync(path).subarray(0, 5000)), 'truncated'],
    ['garbage', (path: string) => writeFileSync(path, 'not a snapshot'), 'corrupt header'],
  ] as const)('is rebuilt, never served, after %s', (_name, damage, reason) => {
    const built = openLibrary(corpusDir, { dataDir });
    damage(join(dataDir, SNAPSHOT_FILE));
    const rebuilt = openLibrary(corpusDir, { dataDir });
    expect(rebuilt.stats).toMatchObject({ snapshot: reason, reindexed: 2 });
    expect(answersOf(rebuilt)).toEqual(answersOf(built));
    expect(openLibrary(corpusDir, { dataDir }).stats.snapshot).toBe('loaded');
  });

  it('keeps the aliases mined from the articles, so a name asked in one spelling still finds the other', () => {
    writeFileSync(
      join(corpusDir, 'alpha.md'),
      '---\ntitle: 阿尔法公司\nurl: https://example.com/a\n---\n阿尔法光电公司（Alphatron）成立于1990年，总部设在荷兰。\n\nAlphatron 的光刻胶产量去年翻了一番，主要出口到亚洲。\n',
    );
    const question = '阿尔法光电公司的光刻胶产量';
    const built = openLibrary(corpusDir, { dataDir });
    const loaded = openLibrary(corpusDir, { dataDir });
    expect(loaded.stats.snapshot).toBe('loaded');
    const top = (opened: OpenedLibrary) => opened.library.answer(question, { limit: 1 }).results[0];
    expect(top(built)?.snippet).toContain('光刻胶');
    expect(top(loaded)).toEqual(top(built));
  });

  it('is rebuilt when the tokenizer settings change (a glossary edit)', () => {
    openLibrary(corpusDir, { dataDir });
    appendFileSync(join(corpusDir, 'glossary.txt'), '\nLithography machine | 光刻机\n');
    const reopened = openLibrary(corpusDir, { dataDir });
    expect(reopened.stats).toMatchObject({ snapshot: 'made by other settings or another version', reindexed: 2 });
  });

  it('re-indexes only the files that were added, changed or removed', () => {
    openLibrary(corpusDir, { dataDir });
    const chips = readFileSync(join(corpusDir, 'chips.md'), 'utf8');
    writeFileSync(join(corpusDir, 'chips.md'), chips.replace('生产光刻机', '生产极紫外光刻机'));
    writeFileSync(join(corpusDir, 'third.md'), '---\ntitle: 第三篇\nurl: https://example.com/3\n---\n瓦森纳安排的新成员。\n');
    const reopened = openLibrary(corpusDir, { dataDir });
    expect(reopened.stats).toMatchObject({ snapshot: 'loaded', reused: 1, reindexed: 2, removed: 1 });
    expect(reopened.library.answer('极紫外光刻机').results[0]?.text).toContain('极紫外光刻机');
    expect(answersOf(reopened)).toEqual(answersOf(openLibrary(corpusDir)));
    rmSync(join(corpusDir, 'third.md'));
    const again = openLibrary(corpusDir, { dataDir });
    expect(again.stats).toMatchObject({ reused: 2, reindexed: 0, removed: 1 });
    expect(again.library.articles()).toHaveLength(2);
  });
});

describe('incremental updates', () => {
  it('learns the aliases an added article writes, and forgets them with the last article that writes them', () => {
    const { dir, cleanup } = tempDir('aliases-');
    try {
      copyFileSync('corpus/2023-01-26-export-controls-return.md', join(dir, 'seed.md'));
      const live = openLibrary(dir);
      const article = (file: string, body: string) => parseArticle(file, Buffer.from(`---\ntitle: ${file}\nurl: https://example.com/${file}\n---\n${body}\n`));
      const named = article('named.md', '阿尔法光电公司（Alphatron）成立于1990年，总部设在荷兰。\n\nAlphatron 的光刻胶产量去年翻了一番，主要出口到亚洲。');
      const again = article('again.md', '据报道，阿尔法光电公司（Alphatron）今年的销售额增长了三成。');
      const question = '阿尔法光电公司的光刻胶产量';
      const found = () => live.library.answer(question, { limit: 3 }).results.some((r) => r.text.startsWith('Alphatron 的光刻胶'));
      expect(found()).toBe(false);
      live.library.upsert(named);
      live.library.upsert(again);
      expect(found()).toBe(true);
      live.library.remove(again.id);
      expect(found()).toBe(true);
      // Without the alias, the paragraph that only says "Alphatron" no longer counts as an answer.
      live.library.upsert(article('named.md', 'Alphatron 的光刻胶产量去年翻了一番，主要出口到亚洲。'));
      expect(found()).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('add, replace and remove give the same answers as a rebuild', () => {
    const { dir, cleanup } = tempDir('incremental-');
    try {
      copyFileSync('corpus/2023-01-26-export-controls-return.md', join(dir, 'seed.md'));
      copyFileSync('corpus/glossary.txt', join(dir, 'glossary.txt'));
      const live = openLibrary(dir);
      const chips = parseArticle('chips.md', readFileSync('tests/fixtures/articles/good-markdown-headings.md'));
      const changed = parseArticle('chips.md', Buffer.from(readFileSync('tests/fixtures/articles/good-markdown-headings.md', 'utf8').replace('ASML', 'ASML Holding')));
      const other = parseArticle('other.md', Buffer.from('---\ntitle: 另一篇\nurl: https://example.com/o\n---\n东芝和康斯伯格的故事。\n'));
      expect(live.library.upsert(chips)).toBe('added');
      expect(live.library.upsert(chips)).toBe('unchanged');
      expect(live.library.upsert(changed)).toBe('replaced');
      expect(live.library.upsert(other)).toBe('added');
      expect(live.library.remove(other.id)).toBe(true);
      writeFileSync(join(dir, 'chips.md'), readFileSync('tests/fixtures/articles/good-markdown-headings.md', 'utf8').replace('ASML', 'ASML Holding'));
      const rebuilt = openLibrary(dir);
      // Average field lengths are updated incrementally, so scores may differ in the last
      // bits of a float; what readers see — which passages, in which order — must not.
      const withoutScores = (opened: typeof live) => QUESTIONS.map((q) => opened.library.answer(q, { limit: 5 }).results.map((r) => `${r.passageId} ${r.snippet}`));
      expect(withoutScores(live)).toEqual(withoutScores(rebuilt));
      expect(live.library.index.passageCount).toBe(rebuilt.library.index.passageCount);
    } finally {
      cleanup();
    }
  });
});
