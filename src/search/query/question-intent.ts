import type { AnalyzedQuery } from '../tokenizer.js';

// What a message asks beyond its words, read from its phrasing (pure, on normalised text):
// articles to read, the facts of an article itself, or nothing at all (a greeting).

// Articles to read ("供应链安全方面的文章有哪些") rather than what an article says
// ("文章认为出口管制有什么局限"). For the first, the lists of links to other articles that
// editors add are the answer; for the second, they are noise.

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

// Questions about an article itself: who wrote it, where and when it was published, its link.
// "作者认为…" asks what the article says, so the author alone is not enough.
const THE_ARTICLE = '(?:这篇|本篇|该篇|此篇|本文|该文|此文|原文|文章)';
const ASKS_ABOUT_ARTICLE = new RegExp(
  [
    '(?:作者|撰稿人|译者|编者)(?:是谁|是哪位|叫什么|是什么人)',
    '谁是[^，。？?！!]{0,8}(?:作者|撰稿人|译者)',
    `谁(?:写|翻译|撰写|编译)(?:的|了)?${THE_ARTICLE}`,
    `${THE_ARTICLE}[^，。？?！!]{0,6}(?:是)?(?:什么时候|何时|哪天|哪一天|哪年|哪一年)(?:发表|发布|刊登|刊发|推送|写)`,
    `${THE_ARTICLE}[^，。？?！!]{0,6}(?:是)?(?:谁|哪位)(?:写|翻译|撰写|编译)`,
    `${THE_ARTICLE}[^，。？?！!]{0,6}(?:发表|发布|刊登|刊发|推送)(?:在|于)?(?:哪里|哪儿|何处|什么地方|哪个|何时|什么时候|哪天|哪一天|哪年|哪一年|的时间|的日期)`,
    `${THE_ARTICLE}[^，。？?！!]{0,4}(?:的)?(?:出处|来源|链接|网址|地址|日期)`,
    '\\b(?:who wrote|who is the author|when was (?:this|the) article|link to (?:this|the) article|source of (?:this|the) article)\\b',
  ].join('|'),
);

/** `question` normalised: does it ask who wrote an article, where or when it appeared, its link? */
export function asksAboutArticle(question: string): boolean {
  return ASKS_ABOUT_ARTICLE.test(question);
}

export type SmallTalk = 'greeting' | 'thanks';

const GREETING = /^(?:你好|您好|大家好|嗨|哈喽|哈啰|早上好|早安|上午好|中午好|下午好|晚上好|在吗|在不在|hi|hello|hey|good (?:morning|afternoon|evening))(?:呀|啊|哦|哈)?$/;
const THANKS = /^(?:谢谢|多谢|感谢|谢了|谢啦|辛苦了|thanks|thank you|thx|ty)(?: ?(?:你|您|啦|了|哈|呀|a lot|very much|so much))*$/;

/** A whole message that is only a greeting or a thank-you (normalised; punctuation, emoji and spaces ignored). */
export function smallTalkOf(question: string): SmallTalk | undefined {
  const bare = question.replace(/[\p{P}\p{S}\s]+/gu, ' ').trim().replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '');
  if (GREETING.test(bare)) return 'greeting';
  if (THANKS.test(bare)) return 'thanks';
  return undefined;
}

// Words of a question about an article itself that ask for its front matter, not its text.
const PUBLICATION_WORDS = new Set(['发表', '发布', '刊登', '刊发', '推送', '链接', '网址', '地址', '出处', '来源', '日期', '原文', '原文链接']);

/**
 * A question about an article itself, without the words that ask for its front matter:
 * what is left may still find a passage ("是谁翻译的" → 翻译), while 发表 alone would only
 * find passages that happen to say 发表.
 */
export function withoutPublicationWords(query: AnalyzedQuery): AnalyzedQuery {
  const dropped = query.words.filter((w) => PUBLICATION_WORDS.has(w.term)).map((w) => w.term);
  if (!dropped.length) return query;
  return {
    ...query,
    words: query.words.filter((w) => !PUBLICATION_WORDS.has(w.term)),
    grams: query.grams.filter((g) => !dropped.some((word) => word.includes(g))),
  };
}
