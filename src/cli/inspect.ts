import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArticleError } from '../corpus/article.js';
import { listArticleFiles } from '../corpus/load-corpus.js';
import { parseArticleDetailed, type ParsedArticle } from '../corpus/parse-article.js';

/**
 * `npm run inspect -- PATH [--json]`: what the bot takes from a file or a folder — the
 * metadata found, the sections with their paragraphs, and what was dropped as page chrome
 * with the reason. For operators checking a new source, and for tests.
 */
function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const path = args.find((a) => !a.startsWith('--'));
  if (!path) {
    process.stderr.write('usage: npm run inspect -- path/to/article.md|folder [--json]\n');
    process.exitCode = 2;
    return;
  }
  const isFolder = statSync(path).isDirectory();
  const root = isFolder ? path : dirname(path);
  const files = isFolder ? listArticleFiles(path) : [basename(path)];
  for (const file of files) {
    let parsed: ParsedArticle;
    try {
      parsed = parseArticleDetailed(file, readFileSync(join(root, file)));
    } catch (error) {
      const reason = error instanceof ArticleError ? error.reason : String(error);
      process.stdout.write(json ? `${JSON.stringify({ file, skipped: reason })}\n` : `✗ ${file}: skipped: ${reason}\n`);
      process.exitCode = 1;
      continue;
    }
    process.stdout.write(json ? `${JSON.stringify(asJson(parsed, !isFolder))}\n` : isFolder ? summaryOf(parsed) : detailOf(parsed));
  }
}

function asJson(parsed: ParsedArticle, withText: boolean): Record<string, unknown> {
  const { article, document, dropped } = parsed;
  return {
    file: article.file,
    format: document.format,
    title: article.title,
    url: article.url || null,
    source: article.source ?? null,
    author: article.author ?? null,
    date: article.date ?? null,
    notes: document.notes,
    sections: article.sections.map((s) => ({
      heading: s.heading,
      paragraphs: withText ? s.paragraphs.map((text, i) => ({ kind: s.kinds?.[i] ?? 'text', text, ...(s.readingLists?.some((r) => r.paragraph === i) ? { readingList: true } : {}) })) : s.paragraphs.length,
    })),
    dropped: dropped.map((d) => ({ reason: d.reason, kind: d.block.kind, text: withText ? d.block.text || d.block.raw.join('\n') : (d.block.text || d.block.raw.join(' ')).slice(0, 80) })),
  };
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function metadataLines(parsed: ParsedArticle): string[] {
  const { article, document } = parsed;
  return [
    `format  ${document.format}`,
    `title   ${article.title}`,
    `url     ${article.url || '(none: cited without a link)'}`,
    `source  ${article.source ?? '(none)'}${article.author ? `   author ${article.author}` : ''}`,
    `date    ${article.date ?? '(none)'}`,
    ...document.notes.map((n) => `note    ${n}`),
  ];
}

function summaryOf(parsed: ParsedArticle): string {
  const { article, dropped } = parsed;
  const paragraphs = article.sections.reduce((n, s) => n + s.paragraphs.length, 0);
  const reasons = new Map<string, number>();
  for (const d of dropped) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
  const droppedText = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
  return `✓ ${article.file}\n  ${parsed.document.format} · 《${clip(article.title, 60)}》 · ${article.source ?? '-'} · ${article.date ?? '-'} · ${article.url ? 'link' : 'no link'}\n  ${article.sections.length} sections, ${paragraphs} paragraphs; dropped ${dropped.length}${droppedText ? `: ${droppedText}` : ''}\n`;
}

function detailOf(parsed: ParsedArticle): string {
  const { article, dropped } = parsed;
  const out = [`# ${article.file}`, ...metadataLines(parsed), ''];
  article.sections.forEach((section, s) => {
    out.push(`## ${s + 1}. ${section.heading}`);
    section.paragraphs.forEach((text, i) => {
      const kind = section.kinds?.[i];
      const list = section.readingLists?.some((r) => r.paragraph === i) ? ' [reading list]' : '';
      const tag = kind && kind !== 'text' ? ` [${kind}]` : '';
      out.push(`  ${i + 1}.${tag}${list} ${clip(text.replace(/\n/g, ' ⏎ '), 240)}`);
    });
  });
  out.push('', `## dropped (${dropped.length})`);
  for (const d of dropped) out.push(`  - ${d.reason}: [${d.block.kind}] ${clip((d.block.text || d.block.raw.join(' ')).replace(/\n/g, ' ⏎ '), 120)}`);
  return `${out.join('\n')}\n`;
}

main();
