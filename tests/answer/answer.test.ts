import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../src/library.js';
import { normalizeText } from '../../src/search/normalize.js';
import { tempDir } from '../notices/helpers.js';

const { library } = openLibrary('corpus');
const everything = normalizeText(
  library
    .articles()
    .flatMap((a) => [a.title, ...a.sections.flatMap((s) => [s.heading, ...s.paragraphs])])
    .join('\n'),
);
const questions = readFileSync('tests/fixtures/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q)
  .concat(['荷兰为什么限制光刻机出口', '明天上海会下雨吗', '華為的5G標準', 'ASML和尼康', 'Kongsberg propeller sanctions', '量子计算机出口管制']);

describe('when nothing is found', () => {
  it('names the words no article mentions, and only those', () => {
    let named = 0;
    for (const q of questions) {
      const answer = library.answer(q);
      for (const word of answer.absent ?? []) {
        named++;
        expect(everything.includes(word), `${q}: ${word}`).toBe(false);
      }
      if (answer.results.length) expect(answer.absent).toBeUndefined();
    }
    expect(named).toBeGreaterThan(2);
    expect(library.answer('荷兰光刻机巨头的股价怎样').absent).toEqual(['光刻机', '巨头', '股价']);
  });
});

describe('a question about an article itself', () => {
  it.each(['这篇文章的作者是谁', '这篇文章发表在哪里', '原文链接'])('%s gets the front matter, and no passage that only says 发表 or 链接', (q) => {
    const answer = library.answer(q);
    expect(answer.results).toEqual([]);
    expect(answer.articleInfo).toEqual([
      { title: '出口管制的回归：一个需要盟国合作的风险策略（外专观点）', url: expect.stringMatching(/^https:\/\/mp\.weixin\.qq\.com\//), source: '网安寻路人', date: '2023-01-26' },
    ]);
  });

  it('gets the front matter first, then the passages that say more', () => {
    const answer = library.answer('这篇文章是谁翻译的');
    expect(answer.articleInfo?.[0]?.source).toBe('网安寻路人');
    expect(answer.results[0]?.text).toContain('公号君翻译的《外交事务》');
    expect(library.answer('出口管制那篇文章是什么时候发表的').articleInfo?.[0]?.date).toBe('2023-01-26');
  });

  it('is not mistaken for a question about what the article says', () => {
    expect(library.answer('作者认为单边出口管制会成功吗').results.length).toBeGreaterThan(0);
    expect(library.answer('作者认为单边出口管制会成功吗').articleInfo).toBeUndefined();
  });
});

describe('a reading list in an answer', () => {
  it('links the items the question matched to the articles they name', () => {
    const [top] = library.answer('苏联油气管道事件').results;
    expect(top?.heading).toBe('编者按');
    expect(top?.links).toEqual([{ text: '美国出口管制制度系列文章之三：苏联油气管道的“华为”事件', url: expect.stringContaining('mid=2247488702') }]);
  });

  it('links nothing for an ordinary passage', () => {
    for (const result of library.answer('东芝丑闻是哪一年开始的？').results) expect(result.links).toBeUndefined();
  });
});

describe('a question that asks for articles', () => {
  const { dir, cleanup } = tempDir('related-');
  afterAll(cleanup);
  mkdirSync(join(dir, 'corpus'));
  copyFileSync('corpus/2023-01-26-export-controls-return.md', join(dir, 'corpus', 'seed.md'));
  copyFileSync('tests/fixtures/articles/good-markdown-headings.md', join(dir, 'corpus', 'chips.md'));
  const two = openLibrary(join(dir, 'corpus')).library;

  it('lists the articles the relevant passages come from, on the first page, besides the passages', () => {
    const answer = two.answer('关于芯片出口管制的文章有哪些');
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.relatedArticles?.map((a) => a.title).sort()).toEqual(two.articles().map((a) => a.title).sort());
    expect(answer.relatedArticles?.[0]?.title).toBe(two.article(answer.results[0]!.articleId)?.title);
    expect(two.answer('关于芯片出口管制的文章有哪些', { offset: 3 }).relatedArticles).toBeUndefined();
  });

  it('lists nothing for a question about what the articles say', () => {
    expect(two.answer('芯片出口管制有什么影响').relatedArticles).toBeUndefined();
  });
});
