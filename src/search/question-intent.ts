// Whether a question asks for articles to read ("供应链安全方面的文章有哪些") rather than
// for what an article says ("文章认为出口管制有什么局限"). For the first, the lists of links
// to other articles that editors add are the answer; for the second, they are noise.

// 什么 but not 为什么: "为什么这篇文章…" asks about the article.
const WHICH = '(?:哪些|哪几篇|(?<!为)什么|其他|其它|相关|更多|推荐|类似|几篇|别的)';
const PIECES = '(?:文章|报道|推文|文献|资料)';
const ASKS_FOR_ARTICLES = new RegExp(
  [
    `${WHICH}[^。？?！!，,]{0,8}${PIECES}`,
    `${PIECES}(?:有|还有)(?:哪些|几篇)`,
    '(?:延伸|相关|推荐|拓展|扩展)阅读',
    '\\b(?:articles|reading list|further reading)\\b',
  ].join('|'),
);

/** `question` normalised (simplified characters, lower case). */
export function asksForArticles(question: string): boolean {
  return ASKS_FOR_ARTICLES.test(question);
}
