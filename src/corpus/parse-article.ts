import { createHash } from 'node:crypto';
import { ArticleError, LEAD_HEADING, type Article } from './article.js';
import { extractArticle, type DroppedBlock } from './extract.js';
import { readSourceDocument } from './formats/read-source.js';
import type { SourceDocument } from './formats/source-document.js';
import { splitMarkdownBlocks } from './markdown-blocks.js';
import { buildSections } from './sections.js';

export { MAX_PARAGRAPH_CHARS, splitLongText } from './sections.js';
export { stripInlineMarkdown } from './markdown-blocks.js';

export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/** Short stable id for an article: its corpus-relative path, hashed. */
export function articleIdFor(file: string): string {
  return createHash('sha1').update(file).digest('hex').slice(0, 10);
}

/** An article with what was left out of it: for `npm run inspect` and tests. */
export interface ParsedArticle {
  article: Article;
  document: Omit<SourceDocument, 'body'>;
  dropped: DroppedBlock[];
}

/** The file's bytes as text, or an ArticleError saying why they are not. */
function decodeText(file: string, bytes: Uint8Array): string {
  if (bytes.byteLength === 0) throw new ArticleError(file, 'the file is empty');
  if (bytes.byteLength > MAX_ARTICLE_BYTES) {
    throw new ArticleError(file, `the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the limit is 5 MB`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArticleError(file, 'the file is not UTF-8 text');
  }
  if (text.includes('\u0000')) throw new ArticleError(file, 'the file is not text (it holds NUL bytes)');
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!text.trim()) throw new ArticleError(file, 'the file is empty');
  return text;
}

/**
 * Reads one Markdown file, in whichever format it is (front matter, wechatmp2markdown,
 * plain Markdown), keeps the article and drops the page around it, and cuts it into
 * sections of paragraphs. Throws ArticleError naming the file and the reason when the file
 * cannot be served: not text, or no text at all.
 */
export function parseArticleDetailed(file: string, bytes: Uint8Array): ParsedArticle {
  const text = decodeText(file, bytes);
  const { body, ...document } = readSourceDocument(file, text);
  const title = document.title ?? '';
  const { kept, dropped } = extractArticle(splitMarkdownBlocks(body), title, { pageHeader: document.format !== 'wechat-markdown' });
  let sections = buildSections(kept, { title, source: document.source, bylineInBody: document.format === 'front-matter' });
  if (sections.length === 0) {
    // A post that is all images still has a title worth finding; a file with neither is nothing.
    if (!document.title || document.titleFromPath) throw new ArticleError(file, 'the article has no title and no text');
    sections = [{ heading: LEAD_HEADING, paragraphs: [document.title] }];
  }
  const article: Article = {
    id: articleIdFor(file),
    file,
    title: title || (sections[0]?.paragraphs[0] ?? '').slice(0, 60),
    url: document.url ?? '',
    source: document.source,
    date: document.date,
    sections,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    format: document.format,
    ...(document.author ? { author: document.author } : {}),
  };
  return { article, document, dropped };
}

/** Reads one Markdown file into an article (see parseArticleDetailed). */
export function parseArticle(file: string, bytes: Uint8Array): Article {
  return parseArticleDetailed(file, bytes).article;
}
