import type { Answer } from './types.js';

/** A plain-text rendering of an answer for terminals: citations, snippets, matches in 【】. */
export function formatAnswerText(answer: Answer, examples: readonly string[] = []): string {
  if (!answer.results.length) {
    const hint = examples.length ? `\n可以这样问：\n${examples.map((q) => `  · ${q}`).join('\n')}` : '';
    return `没有在文章中找到与「${answer.query.trim()}」相关的段落。${hint}`;
  }
  return answer.results
    .map((r, i) => {
      let text = '';
      let at = 0;
      for (const [s, e] of r.highlights) {
        text += `${r.snippet.slice(at, s)}【${r.snippet.slice(s, e)}】`;
        at = e;
      }
      text += r.snippet.slice(at);
      return `${i + 1}. 《${r.articleTitle}》 › ${r.heading} · 第${r.paragraph}段\n   ${r.url}\n   ${text}`;
    })
    .join('\n\n');
}
