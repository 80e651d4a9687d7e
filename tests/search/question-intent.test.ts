import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/search/normalize.js';
import { asksAboutArticle, asksForArticles, smallTalkOf } from '../../src/search/query/question-intent.js';

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

describe('asksAboutArticle', () => {
  it.each([
    '谁是这篇文章的作者',
    '这篇文章的作者是谁？',
    '这篇文章发表在哪里',
    '本文是什么时候发布的',
    '文章是谁翻译的',
    '原文链接',
    '這篇文章的出處',
    'Who wrote this article?',
  ])('hears a question about the article itself in %s', (question) => {
    expect(asksAboutArticle(normalizeText(question))).toBe(true);
  });

  it.each([
    '作者认为单边出口管制会成功吗',
    '这篇文章认为出口管制有什么局限',
    '美国国家科学院发表了什么报告',
    '1988年的法案是什么时候通过的',
    '供应链安全方面的文章有哪些',
    'What does the author say about COCOM?',
  ])('does not in %s', (question) => {
    expect(asksAboutArticle(normalizeText(question))).toBe(false);
  });
});

describe('smallTalkOf', () => {
  it.each([
    ['你好', 'greeting'],
    ['您好！', 'greeting'],
    ['Hello 👋', 'greeting'],
    ['在吗？', 'greeting'],
    ['谢谢！', 'thanks'],
    ['謝謝你', 'thanks'],
    ['Thank you very much!', 'thanks'],
  ] as const)('takes %s as %s', (message, kind) => {
    expect(smallTalkOf(normalizeText(message))).toBe(kind);
  });

  it.each(['你好，COCOM是什么', '谢谢你的回答，那东芝呢', 'hello kitty', '感谢信是什么'])('leaves %s to the search', (message) => {
    expect(smallTalkOf(normalizeText(message))).toBeUndefined();
  });
});
