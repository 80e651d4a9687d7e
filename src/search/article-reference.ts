import { findPhrase } from './normalize.js';

// Readers often name the article before asking about a detail of it: "那篇讲国产智能网联汽车
// 挖洞的议题回顾里，作者说进了车机工程模式最想搞到啥？", "那个拿了4万美元赏金的案例里，…".
// The opening clause's words find the article; only the rest says which of its paragraphs
// answers. A fact of how questions are put, not of any article: a clause, before the first
// comma, that points at a piece of writing (那篇, 这个, 讲…的) and ends with 里/中.

/** A leading clause that points at an article, then the question proper. */
const REFERENCE = /^([^，,？?。]{2,60}?(?:里面|当中|里|中))[，,]\s*(.+)$/;
/** Words that point at a piece of writing or a case from one. */
const POINTER = /那篇|这篇|那个|这个|那次|这次|讲|文章|案例|记录|题解|回顾|报告|周报|议题|复现|分析/;

export interface ArticleReference {
  /** The clause that names the article. */
  clause: string;
  /** The question proper. */
  rest: string;
}

/** The clause of a (normalised) question that names the article it asks about, if any. */
export function articleReferenceOf(normalized: string): ArticleReference | undefined {
  const match = REFERENCE.exec(normalized.trim());
  if (!match || !POINTER.test(match[1]!)) return undefined;
  return { clause: match[1]!, rest: match[2]! };
}

/** Whether a question word only names the article (it is in the clause and not in the rest). */
export function namesOnlyTheArticle(term: string, reference: ArticleReference): boolean {
  return findPhrase(reference.clause, term) >= 0 && findPhrase(reference.rest, term) < 0;
}
