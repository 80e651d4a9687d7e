import { describe, expect, it } from 'vitest';
import { openLibrary } from '../../src/library.js';

const { library } = openLibrary('corpus');

describe('ranking on the seed article', () => {
  const cases: Array<[string, string, string]> = [
    ['国会议员砸东芝音响是在哪一天？', '1987年7月1日', '导语'],
    ['东芝丑闻是哪一年开始的？', 'Tekmashimport', '合作的种子'],
    ['瓦森纳安排的设立目的是什么', '限制流氓行为者', '糟糕的时机'],
    ['SMIC', '中芯国际', '一个新的世界'],
    ['巴黎統籌委員會何時成立', '1949年', '合作的种子'],
    ['Kongsberg和哪些国家的机床公司合作', '法国、德国、意大利和英国', '合作的种子'],
    // Chinese numerals where the article writes digits (20世纪80年代).
    ['八十年代美国和盟国对禁运清单的长度有什么分歧', '更长的禁止产品清单', '合作的种子'],
    // Long, conversational questions with words the article never uses.
    ['我想知道美国国会议员为什么要砸东芝的收音机，这件事情发生在什么时候，后来又有什么影响？', '1987年7月1日', '导语'],
    ['我听说日本和荷兰不太愿意跟着美国搞出口管制，这是为什么呢', '荷兰', '一个新的世界'],
  ];
  it.each(cases)('answers %s with the right passage and heading first', (question, expected, heading) => {
    const top = library.answer(question).results[0];
    expect(top?.text).toContain(expected);
    expect(top?.heading).toBe(heading);
  });

  it.each(['明天上海会下雨吗', '怎么学习弹吉他', 'asdfghjkl', '周杰伦的新专辑叫什么', 'hello', '红烧肉怎么做', '', '？？？'])(
    'returns nothing for the out-of-scope question %j',
    (question) => {
      expect(library.answer(question).results).toEqual([]);
    },
  );

  it('cites every result to its article title, link, heading and paragraph', () => {
    for (const result of library.answer('出口管制', { limit: 5 }).results) {
      expect(result.articleTitle).toBe('出口管制的回归：一个需要盟国合作的风险策略（外专观点）');
      expect(result.url).toMatch(/^https:\/\//);
      expect(result.heading).not.toBe('');
      expect(result.paragraph).toBeGreaterThanOrEqual(1);
      expect(result.score).toBeGreaterThan(0);
    }
  });

  it('pages through results without repeats', () => {
    const first = library.answer('出口管制', { limit: 3 });
    const second = library.answer('出口管制', { limit: 3, offset: 3 });
    expect(first.total).toBeGreaterThan(3);
    const ids = [...first.results, ...second.results].map((r) => r.passageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(second.results.length).toBeGreaterThan(0);
  });

  it('scopes a question to one article', () => {
    const articleId = library.articles()[0]!.id;
    expect(library.answer('东芝', { articleId }).results.length).toBeGreaterThan(0);
    expect(library.answer('东芝', { articleId: 'nonexistent' }).results).toEqual([]);
  });

  it('matches subscriber keywords with the same pipeline', () => {
    const articleId = library.articles()[0]!.id;
    expect(library.matchesKeywords(articleId, '出口管制')).toBe(true);
    expect(library.matchesKeywords(articleId, '足球')).toBe(false);
  });

  it('suggests example questions that it can answer', () => {
    const examples = library.exampleQuestions(3);
    expect(examples).toHaveLength(3);
    for (const q of examples) expect(library.answer(q).results.length).toBeGreaterThan(0);
  });

  it('makes new example questions when the corpus changes', () => {
    const { library: own } = openLibrary('corpus');
    const seed = own.articles()[0]!;
    expect(own.exampleQuestions(3)).toHaveLength(3);
    own.remove(seed.id);
    expect(own.exampleQuestions(3)).toEqual([]);
    own.upsert(seed);
    expect(own.exampleQuestions(3)).toEqual(library.exampleQuestions(3));
  });

  it('gives the paragraph with its neighbours as context', () => {
    const top = library.answer('东芝丑闻是哪一年开始的？').results[0]!;
    const context = library.passageContext(top.passageId)!;
    expect(context.heading).toBe(top.heading);
    expect(context.paragraphs.filter((p) => p.isTarget).map((p) => p.text)).toEqual([top.text]);
    expect(context.paragraphs.length).toBeGreaterThan(1);
  });
});
