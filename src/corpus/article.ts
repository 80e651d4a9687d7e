/** Code and tables keep their line breaks and are shown as such; the rest is running text. */
export type ParagraphKind = 'text' | 'code' | 'table';

/** A section of an article: a heading and the paragraphs under it. */
export interface Section {
  heading: string;
  /** Plain text paragraphs, in order. */
  paragraphs: string[];
  /** What each paragraph is, parallel to `paragraphs`; absent when all are running text. */
  kinds?: ParagraphKind[];
  /**
   * Paragraphs that are lists of links to other articles ("本公众号曾发表文章：…"): they tell
   * where to read more, not what this article says, and rank below its text.
   */
  readingLists?: ReadingList[];
}

/** A link to another article, as a reading list gives it. */
export interface Link {
  text: string;
  url: string;
}

export interface ReadingList {
  /** Index of the paragraph within its section. */
  paragraph: number;
  links: Link[];
}

/** One Markdown article of the corpus, parsed. */
export interface Article {
  /** Short stable id derived from the file path relative to the corpus folder. */
  id: string;
  /** Path relative to the corpus folder, with forward slashes. */
  file: string;
  title: string;
  /** Link to the original; '' when the file gives none (the article is cited without one). */
  url: string;
  /** The account, site or feed it comes from. */
  source: string | undefined;
  author?: string | undefined;
  /** The kind of file it was read from. */
  format?: 'front-matter' | 'wechat-markdown' | 'plain-markdown';
  /** ISO date (YYYY-MM-DD) when the front matter has one. */
  date: string | undefined;
  sections: Section[];
  /** sha256 of the file's bytes: what changed, what did not. */
  contentHash: string;
}

/** The unit of retrieval: one paragraph of one section of one article. */
export interface Passage {
  /** `${articleId}:${sectionIndex}:${paragraphIndex}` (indices 0-based). */
  id: string;
  articleId: string;
  sectionIndex: number;
  paragraphIndex: number;
  heading: string;
  text: string;
  /** Set when the passage is a list of links to other articles: the links (see Section.readingLists). */
  readingList?: Link[];
  /** Set for code and tables (shown with their line breaks). */
  kind?: 'code' | 'table';
}

/** Names the lead (paragraphs before the first heading) and the editor's note. */
export const LEAD_HEADING = '导语';
export const EDITORS_NOTE_HEADING = '编者按';

export function passageId(articleId: string, sectionIndex: number, paragraphIndex: number): string {
  return `${articleId}:${sectionIndex}:${paragraphIndex}`;
}

function readingListOf(section: Section, paragraph: number): { readingList?: Link[] } {
  const list = section.readingLists?.find((r) => r.paragraph === paragraph);
  return list ? { readingList: list.links } : {};
}

function kindOf(section: Section, paragraph: number): { kind?: 'code' | 'table' } {
  const kind = section.kinds?.[paragraph];
  return kind === 'code' || kind === 'table' ? { kind } : {};
}

/** Whether a section's paragraph is a reading list. */
export function isReadingList(section: Section, paragraph: number): boolean {
  return section.readingLists?.some((r) => r.paragraph === paragraph) ?? false;
}

/** One paragraph of an article as a passage (undefined when the article has no such paragraph). */
export function passageAt(article: Article, sectionIndex: number, paragraphIndex: number): Passage | undefined {
  const section = article.sections[sectionIndex];
  const text = section?.paragraphs[paragraphIndex];
  if (section === undefined || text === undefined) return undefined;
  return {
    id: passageId(article.id, sectionIndex, paragraphIndex),
    articleId: article.id,
    sectionIndex,
    paragraphIndex,
    heading: section.heading,
    text,
    ...readingListOf(section, paragraphIndex),
    ...kindOf(section, paragraphIndex),
  };
}

/** Every paragraph of an article as a passage, in reading order. */
export function passagesOf(article: Article): Passage[] {
  return article.sections.flatMap((section, sectionIndex) => section.paragraphs.map((_, paragraphIndex) => passageAt(article, sectionIndex, paragraphIndex)!));
}

/** The article id, section and paragraph a passage id names (see passageId), or undefined. */
export function parsePassageId(id: string): { articleId: string; sectionIndex: number; paragraphIndex: number } | undefined {
  const last = id.lastIndexOf(':');
  const middle = id.lastIndexOf(':', last - 1);
  if (middle <= 0) return undefined;
  const sectionIndex = Number(id.slice(middle + 1, last));
  const paragraphIndex = Number(id.slice(last + 1));
  if (!Number.isInteger(sectionIndex) || !Number.isInteger(paragraphIndex) || sectionIndex < 0 || paragraphIndex < 0) return undefined;
  return { articleId: id.slice(0, middle), sectionIndex, paragraphIndex };
}

/** A file that could not be served, and why: the message names the file. */
export class ArticleError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ArticleError';
  }
}
