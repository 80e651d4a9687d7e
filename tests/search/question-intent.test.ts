import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/search/normalize.js';
import { asksForArticles } from '../../src/search/reading-intent.js';

describe('asksForArticles', () => {
  it.each([
    '供应链安全方面的文章有哪些',
    '有没有关于出口管制的其他文章',
    '还有哪些相关报道？',
    '推荐一些延伸阅读',
    '出口管制的文章还有几篇',
    '本公众号发过哪些关于华为的推文',
    '有關晶片管制的相關文章',
    'Which articles cover export controls?',
  ])('hears a request for articles in %s', (question) => {
    expect(asksForArticles(normalizeText(question))).toBe(true);
  });

  it.each([
    '这篇文章有什么结论',
    '为什么这篇文章说出口管制回来了',
    '文章认为出口管制有什么局限',
    '美国发布过哪些管制措施',
    '荷兰在出口管制中扮演什么角色',
    'What does the article say about ASML?',
  ])('hears a question about what an article says in %s', (question) => {
    expect(asksForArticles(normalizeText(question))).toBe(false);
  });
});
