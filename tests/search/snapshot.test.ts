import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { openLibrary, SNAPSHOT_FILE, type OpenedLibrary } from '../../src/library.js';
import { loadSnapshot, saveSnapshot, saveSnapshotInBackground } from '../../src/search/snapshot.js';
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

  it('reads the articles a chunk at a time, whatever the chunk size, and checks them against the checksum', () => {
    openLibrary(corpusDir, { dataDir });
    const path = join(dataDir, SNAPSHOT_FILE);
    const { key } = JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0]!) as { key: string };
    const whole = loadSnapshot(path, key);
    expect(whole.ok).toBe(true);
    // Chunks smaller than a line, and of an odd size, so lines and UTF-8 characters straddle them.
    for (const chunkBytes of [7, 1000, 65_537]) {
      const chunked = loadSnapshot(path, key, chunkBytes);
      expect(chunked.ok && whole.ok && chunked.content.files).toEqual(whole.ok && whole.content.files);
    }
    // A changed letter in an article's text still parses as JSON: only the checksum can tell.
    const bytes = readFileSync(path);
    const at = bytes.indexOf('COCOM');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'K'.charCodeAt(0);
    writeFileSync(path, bytes);
    expect(loadSnapshot(path, key, 7)).toEqual({ ok: false, reason: 'checksum mismatch (corrupt)' });
  });

  it('writes and reads back a snapshot larger than its write and read batches, byte for byte', () => {
    const path = join(dataDir, 'big.bin');
    mkdirSync(dataDir, { recursive: true });
    const paragraph = '出口管制的回归需要盟国合作，荷兰与日本的光刻机企业受到影响。😀<b>&amp;</b>\n'.repeat(4000);
    const files = Object.fromEntries(
      Array.from({ length: 14 }, (_, i) => {
        const article = parseArticle(`a${i}.md`, Buffer.from(`---\ntitle: 文章${i}\nurl: https://example.com/${i}\n---\n${paragraph}`));
        return [`a${i}.md`, { size: i, mtimeMs: i * 1000, article, aliases: [['甲', 'A']] }];
      }),
    );
    const arrays = {
      shortIds: Uint32Array.from([1, 2, 3]),
      fieldLengths: Uint32Array.from([4, 5, 0xffffffff]),
      lists: new Uint32Array(0),
      chunks: Uint32Array.from([7, 8]),
      lows: Uint16Array.from([65535, 0, 9]),
      frequencies: Uint8Array.from([255, 1, 2]),
      overflow: Uint32Array.from([1, 2, 300]),
    };
    const meta = { documentCount: 3, nextId: 4, dirtCount: 0, fieldIds: { words: 0 }, averageFieldLength: [1.5], documentIds: ['x', 'y', 'z'], terms: ['t'] };
    const bytes = saveSnapshot(path, 'k', { files, index: { meta, arrays } });
    // More than one read chunk (4 MB) and several write batches.
    expect(bytes).toBeGreaterThan(5 * (1 << 20));
    const loaded = loadSnapshot(path, 'k');
    expect(loaded.ok && loaded.content).toEqual({ files, index: { meta, arrays } });
    expect(loadSnapshot(path, 'other key')).toEqual({ ok: false, reason: 'made by other settings or another version' });
  });

  it('saves in the background to the same bytes, handing the event loop back as it goes', async () => {
    openLibrary(corpusDir, { dataDir });
    const path = join(dataDir, SNAPSHOT_FILE);
    const { key } = JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0]!) as { key: string };
    const loaded = loadSnapshot(path, key);
    if (!loaded.ok) throw new Error(loaded.reason);
    const copy = join(dataDir, 'copy.bin');
    // Counts turns of the event loop while the save runs: a save that blocked would see none.
    let turns = 0;
    let saving = true;
    const spin = () => {
      turns++;
      if (saving) setImmediate(spin);
    };
    setImmediate(spin);
    const bytes = await saveSnapshotInBackground(copy, key, loaded.content).finally(() => (saving = false));
    expect(readFileSync(copy)).toEqual(readFileSync(path));
    expect(bytes).toBe(readFileSync(path).length - 512);
    expect(turns).toBeGreaterThan(3);
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
