import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ArticleError } from '../corpus/article.js';
import { listArticleFiles } from '../corpus/load-corpus.js';
import { parseArticleDetailed, type ParsedArticle } from '../corpus/parse-article.js';
import { createBoilerplateModel, sourceKeyOf, type BoilerplateModel } from '../search/boilerplate.js';

/**
 * `npm run inspect -- PATH [--json]`: what the bot takes from a file or a folder — the
 * metadata found, the sections with their paragraphs, what was dropped as page chrome with
 * the reason, and (for a folder) the paragraphs that are a source's template. For operators
 * checking a new source, and for tests.
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
  const parsed: ParsedArticle[] = [];
  for (const file of files) {
    try {
      parsed.push(parseArticleDetailed(file, readFileSync(join(root, file))));
    } catch (error) {
      const reason = error instanceof ArticleError ? error.reason : String(error);
      process.stdout.write(json ? `${JSON.stringify({ file, skipped: reason })}\n` : `✗ ${file}: skipped: ${reason}\n`);
      process.exitCode = 1;
    }
  }
  // Templates show only across articles: a folder's articles are compared with each other.
  const model = createBoilerplateModel();
  for (const p of parsed) model.add(p.article);
  for (const p of parsed) {
    const templates = templatesOf(p, model);
    const citedAs = (section: number) => model.citedHeading(p.article, section);
    process.stdout.write(json ? `${JSON.stringify(asJson(p, !isFolder, templates, citedAs))}\n` : isFolder ? summaryOf(p, templates, citedAs) : detailOf(p, templates, citedAs));
  }
}

interface Template {
  section: string;
  paragraph: number;
  text: string;
  reason: string;
}

/** The paragraphs of an article that are its source's template or the platform's lines. */
function templatesOf(parsed: ParsedArticle, model: BoilerplateModel): Template[] {
  const source = sourceKeyOf(parsed.article);
  return parsed.article.sections.flatMap((section) =>
    section.paragraphs.flatMap((text, paragraph): Template[] => {
      if (section.kinds?.[paragraph] && section.kinds[paragraph] !== 'text') return [];
      const reason = model.reasonFor(text, source);
      if (!reason) return [];
      const why = reason.kind === 'source' ? `template: in ${reason.repeats} articles of this source` : `platform line: in articles of ${reason.sources} sources`;
      return [{ section: section.heading, paragraph: paragraph + 1, text, reason: why }];
    }),
  );
}

/** `citedAs(section)`: the heading a section is cited under (see BoilerplateModel.citedHeading). */
function asJson(parsed: ParsedArticle, withText: boolean, templates: Template[], citedAs: (section: number) => string): Record<string, unknown> {
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
    sections: article.sections.map((s, i) => ({
      heading: s.heading,
      ...(citedAs(i) !== s.heading ? { citedAs: citedAs(i) } : {}),
      paragraphs: withText ? s.paragraphs.map((text, i) => ({ kind: s.kinds?.[i] ?? 'text', text, ...(s.readingLists?.some((r) => r.paragraph === i) ? { readingList: true } : {}) })) : s.paragraphs.length,
    })),
    dropped: dropped.map((d) => ({ reason: d.reason, kind: d.block.kind, text: withText ? d.block.text || d.block.raw.join('\n') : (d.block.text || d.block.raw.join(' ')).slice(0, 80) })),
    templates: templates.map((t) => ({ ...t, text: withText ? t.text : t.text.slice(0, 80) })),
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

function summaryOf(parsed: ParsedArticle, templates: Template[], citedAs: (section: number) => string): string {
  const { article, dropped } = parsed;
  const paragraphs = article.sections.reduce((n, s) => n + s.paragraphs.length, 0);
  const reasons = new Map<string, number>();
  for (const d of dropped) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
  const droppedText = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
  const templateText = templates.length ? `; ${templates.length} template paragraphs (not searched)` : '';
  const sourceLines = article.sections.filter((section, i) => citedAs(i) !== section.heading).map((section) => section.heading);
  const headingText = sourceLines.length ? `\n  heading${sourceLines.length > 1 ? 's' : ''} ${sourceLines.map((h) => `「${clip(h, 30)}」`).join(' ')}: the source's own line above the text, cited as the lead` : '';
  return `✓ ${article.file}\n  ${parsed.document.format} · 《${clip(article.title, 60)}》 · ${article.source ?? '-'} · ${article.date ?? '-'} · ${article.url ? 'link' : 'no link'}\n  ${article.sections.length} sections, ${paragraphs} paragraphs; dropped ${dropped.length}${droppedText ? `: ${droppedText}` : ''}${templateText}${headingText}\n`;
}

function detailOf(parsed: ParsedArticle, templates: Template[], citedAs: (section: number) => string): string {
  const { article, dropped } = parsed;
  const out = [`# ${article.file}`, ...metadataLines(parsed), ''];
  article.sections.forEach((section, s) => {
    const cited = citedAs(s);
    out.push(`## ${s + 1}. ${section.heading}${cited !== section.heading ? `   (the source's own line: cited as ${cited})` : ''}`);
    section.paragraphs.forEach((text, i) => {
      const kind = section.kinds?.[i];
      const list = section.readingLists?.some((r) => r.paragraph === i) ? ' [reading list]' : '';
      const tag = kind && kind !== 'text' ? ` [${kind}]` : '';
      out.push(`  ${i + 1}.${tag}${list} ${clip(text.replace(/\n/g, ' ⏎ '), 240)}`);
    });
  });
  if (templates.length) {
    out.push('', `## templates (${templates.length}): kept in the file, never searched or shown`);
    for (const t of templates) out.push(`  - ${t.reason}: ${t.section} · ${t.paragraph}: ${clip(t.text.replace(/\n/g, ' ⏎ '), 120)}`);
  }
  out.push('', `## dropped (${dropped.length})`);
  for (const d of dropped) out.push(`  - ${d.reason}: [${d.block.kind}] ${clip((d.block.text || d.block.raw.join(' ')).replace(/\n/g, ' ⏎ '), 120)}`);
  return `${out.join('\n')}\n`;
}

main();
