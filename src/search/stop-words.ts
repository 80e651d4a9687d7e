import { readFileSync } from 'node:fs';

// Question words and particles readers put around what they actually ask about.
const QUESTION_WORDS = `
什么 怎么 怎样 怎么样 为什么 为何 哪些 哪个 哪里 哪儿 哪 哪一天 哪一年 哪年 哪天 哪国 吗 呢 吧 啊 呀 嘛
如何 何时 何地 何为 多少 几 几个 几年 谁 是否 是不是 有没有 能否 可否 请问 请 告诉 我 我们 你 你们
的 了 是 在 有 和 与 及 或 对 把 被 给 从 向 到 也 都 就 又 还 会 能 要 可以 应该 一下 这 那 这个 那个
时候 什么样 做 讲 说 提到 提及 文章 里 中 上 时
篇 篇文章 这篇 本篇 本文 文中 该文 此文
想 知道 想知道 想问 了解 想了解 了解一下 听说 请教 麻烦 这件 那件 这件事 那件事 事情 这事 后来 之后呢 具体
是指 指的是 意味着 有何 何 啥 为啥 咋 怎么办 怎么回事 咋回事 哪位 哪家 多久 多大 多长 几次 几月 几号 简述 介绍 说说 讲讲 谈谈 一下 呢 吗 么
咋办 咋样 咋搞 咋个 怎么弄 怎么着 干嘛 干吗 啥时候 几时 多会儿 啥意思
到底 究竟 到底是 真的 真 算 算是 算不算
what which who whom whose when where why how is are was were do does did the a an of in on to for and or
`;

function loadJiebaStopWords(): string[] {
  try {
    const url = new URL('../../node_modules/nodejieba/submodules/cppjieba/dict/stop_words.utf8', import.meta.url);
    return readFileSync(url, 'utf8').split('\n').map((w) => w.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

/** jieba's own stop list, whole: what its keyword extractor leaves out (see keywordsOf). */
export const JIEBA_STOP_WORDS: ReadonlySet<string> = new Set(loadJiebaStopWords());

/**
 * Words dropped from queries and from the index alike: jieba's stop list (function words,
 * punctuation) plus question words. Dropping them from both keeps scores about content.
 */
export const QUERY_STOP_WORDS: ReadonlySet<string> = new Set([
  // Multi-character entries of jieba's list include words that carry meaning in questions
  // (只有, 以前, 之后): keep those, drop its single characters, punctuation and English.
  ...[...JIEBA_STOP_WORDS].filter((w) => w.length === 1 || /^[a-z]+$/i.test(w) || !/[\u4e00-\u9fff]/.test(w)),
  ...QUESTION_WORDS.split(/\s+/).filter(Boolean),
]);

/**
 * An interrogative with its measure word (哪几个, 几块, 多少份, 第几次; 哪三步 is not one: 三步 is
 * what is asked about): jieba keeps many as one word, which no answer repeats. A class of
 * the language, not a list: 哪/几/多少, an optional numeral, one classifier.
 */
const INTERROGATIVE_MEASURE = /^(?:哪|几|多少|第几)[一两几]?[个种项步块类家款位条件样份篇处点台名次层级张部批轮段组天周月年]$/;

/**
 * The A-not-A form of a yes-no question (是不是, 有没有, 值不值得, 能不能): it asks whether,
 * and no answer says it; the verb it doubles is said again in the answer, if anywhere, alone.
 */
const A_NOT_A = /^(\p{Script=Han})[不没]\1\p{Script=Han}?$/u;

/** Words a question leans on that say nothing of what it asks about. */
export function isQuestionWord(token: string): boolean {
  return QUERY_STOP_WORDS.has(token) || INTERROGATIVE_MEASURE.test(token) || A_NOT_A.test(token);
}

