import type { Answer } from './types.js';

/** A plain-text rendering of an answer for terminals: citations, snippets, matches in 【】. */
export function formatAnswerText(answer: Answer, examples: readonly string[] = []): string {
  if (answer.smallTalk) {
    const examplesText = examples.length ? `例如：\n${examples.map((q) => `  · ${q}`).join('\n')}` : '';
    return answer.smallTalk === 'thanks' ? '不客气！还有问题可以直接问。' : `你好！直接输入关于文章的问题即可。${examplesText}`;
  }
  // A question about an article itself: its front matter first, then any passages.
  let about = '';
  if (answer.articleInfo) {
    if (!answer.articleInfo.length) about = '这是关于文章本身的问题：输入 /articles 查看每篇文章的来源、日期和链接。';
    else {
      const lines = answer.articleInfo.map((a) => `《${a.title}》\n   ${[a.source && `来源：${a.source}`, a.date && `日期：${a.date}`].filter(Boolean).join(' · ') || '（没有来源和日期）'}\n   ${a.url}`);
      about = `关于文章本身（标题、来源、日期、链接）：\n${lines.join('\n')}`;
    }
    if (!answer.results.length) return about;
    about += '\n\n';
  }
  if (!answer.results.length) {
    const hint = examples.length ? `\n可以这样问：\n${examples.map((q) => `  · ${q}`).join('\n')}` : '';
    const absent = answer.absent?.length ? `文章中没有提到：${answer.absent.map((w) => `「${w}」`).join('、')}。\n` : '';
    return `没有在文章中找到与「${answer.query.trim()}」相关的段落。\n${absent}${hint.trimStart()}`.trimEnd();
  }
  const related = answer.relatedArticles?.length
    ? `相关文章：\n${answer.relatedArticles.map((a) => `  · 《${a.title}》${a.date ? ` ${a.date}` : ''}\n    ${a.url}`).join('\n')}\n\n`
    : '';
  return about + related + answer.results
    .map((r, i) => {
      let text = '';
      let at = 0;
      for (const [s, e] of r.highlights) {
        text += `${r.snippet.slice(at, s)}【${r.snippet.slice(s, e)}】`;
        at = e;
      }
      text += r.snippet.slice(at);
      const links = (r.links ?? []).map((link) => `\n   → ${link.text}\n     ${link.url}`).join('');
      // A list's lines stay under the citation's indent.
      return `${i + 1}. 《${r.articleTitle}》 › ${r.heading} · 第${r.paragraph}段\n   ${r.url}\n   ${text.replace(/\n/g, '\n   ')}${links}`;
    })
    .join('\n\n');
}
