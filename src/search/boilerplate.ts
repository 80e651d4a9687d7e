import { EDITORS_NOTE_HEADING, LEAD_HEADING, type Article } from '../corpus/article.js';
import { SECTION_NUMBER } from '../corpus/markdown-blocks.js';

// Text that recurs across many articles of one source is its template (disclaimers, "about
// us", follow prompts, course ads); short lines that recur across many sources are the
// platform's (长按识别二维码, 点击在看). Counting repeats per source is the classic template
// detector and needs no list of phrases. Articles reposted by several accounts share long
// paragraphs too: those are content and stay.

/** A paragraph counts as a template when it is in this many articles of its source… */
export const MIN_SOURCE_REPEATS = 3;
/** …and in at least this share of them (a big account's product blurb in 3 of 500 is content). */
export const MIN_SOURCE_SHARE = 0.05;
/** A short line in articles of this many sources is the platform's furniture. */
export const MIN_SOURCES = 4;
export const MAX_PLATFORM_LINE_CHARS = 40;
/** Longer paragraphs are never compared: templates are short, and hashing essays costs. */
const MAX_FINGERPRINT_CHARS = 600;
const MIN_FINGERPRINT_CHARS = 4;

/**
 * The text a paragraph is compared by (the definition; fingerprintOf computes it in place): letters and digits only, digits as 0 (the dates and
 * counts of a template vary), unless digits make up a third or more of it: then the numbers
 * are what it says (CVE-2023-27869, IBM DB2 10.5.0.11), and folded they would make every such
 * line the same line, a "template" of every digest that lists them.
 */
export function squashForRepeats(text: string): string {
  const squashed = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  let digits = 0;
  for (let i = 0; i < squashed.length; i++) {
    const code = squashed.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits * 3 >= squashed.length ? squashed : squashed.replace(/\d/g, '0');
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

/**
 * The UTF-16 unit a paragraph's unit counts as in squashForRepeats (lower-cased), or -1 when
 * it is left out: ASCII and CJK decided by range, anything else by Unicode class.
 */
function squashedUnit(code: number): number {
  if (code < 128) {
    if (code >= 65 && code <= 90) return code + 32;
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) ? code : -1;
  }
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return code;
  const char = String.fromCharCode(code);
  if (!LETTER_OR_NUMBER.test(char)) return -1;
  const lower = char.toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : code;
}

/**
 * A paragraph's fingerprint and compared length, or undefined when it is not compared: FNV-1a
 * (32 bits are plenty within a corpus) over squashForRepeats(text), computed in two passes
 * over the text without building the squashed string (300,000 paragraphs at every start).
 */
export function fingerprintOf(text: string): { fingerprint: number; length: number } | undefined {
  if (text.length > MAX_FINGERPRINT_CHARS * 2) return undefined;
  let length = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = squashedUnit(text.charCodeAt(i));
    if (unit < 0) continue;
    length++;
    if (unit >= 48 && unit <= 57) digits++;
  }
  if (length < MIN_FINGERPRINT_CHARS || length > MAX_FINGERPRINT_CHARS) return undefined;
  const foldDigits = digits * 3 < length;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let unit = squashedUnit(text.charCodeAt(i));
    if (unit < 0) continue;
    if (foldDigits && unit >= 48 && unit <= 57) unit = 48;
    h ^= unit;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return { fingerprint: h, length };
}

/** Who publishes an article, for counting its templates: its source, else its site, else its folder. */
export function sourceKeyOf(article: Pick<Article, 'source' | 'url' | 'file'>): string {
  if (article.source) return `s:${article.source.toLowerCase()}`;
  const host = /^https?:\/\/([^/?#]+)/i.exec(article.url)?.[1];
  if (host) return `h:${host.toLowerCase()}`;
  return `f:${article.file.split('/').slice(0, -1).join('/')}`;
}

export type TemplateReason = { kind: 'source'; repeats: number } | { kind: 'platform'; sources: number };

/** An article's running-text paragraphs as fingerprint → compared length, each once. */
export type ArticlePrints = Map<number, number>;

export interface BoilerplateModel {
  /** Counts an article in; `prints` when the caller has them already (see fingerprintsOf). */
  add(article: Article, prints?: ArticlePrints): void;
  remove(article: Article): void;
  /** Why a paragraph of an article from `source` is a template, or undefined when it is not. */
  reasonFor(text: string, source: string): TemplateReason | undefined;
  /** The same, for a paragraph's fingerprint (see fingerprintOf). */
  reasonForPrint(print: { fingerprint: number; length: number }, source: string): TemplateReason | undefined;
  /**
   * Whether a heading is its source's own line rather than a part of an article's outline:
   * set as a heading in many articles of the source (a template, as for paragraphs), by no
   * other few sources (漏洞描述 and 影响版本 head sections everywhere), and not numbered
   * (0x01 危险等级 is an outline). A slogan under an account's name (更多全球网络安全资讯尽在邑安全,
   * 带你读懂网络安全) is set as a heading above the text of every article it posts.
   */
  isSourceHeading(heading: string, source: string): boolean;
  /**
   * The heading a section's paragraphs are cited under: its own, unless it is its source's
   * own line above the article's first text. What such a line stands over is the lead.
   */
  citedHeading(article: Article, sectionIndex: number): string;
  /**
   * Bumped whenever a paragraph's verdict may have changed (a count crossed a threshold):
   * whoever caches verdicts recomputes them when it sees a new version.
   */
  readonly version: number;
}

/** An outline's number: 一、, 0x01, 3.2, and 01 or Part-01 before a title. */
const NUMBERED_HEADING = new RegExp(`${SECTION_NUMBER.source}|^\\d{1,3}\\s|^part[-\\s]?\\d`, 'i');

/** Fingerprints of an article's headings (not the parser's own labels), each once. */
function headingPrintsOf(article: Article): Set<number> {
  const prints = new Set<number>();
  for (const { heading } of article.sections) {
    if (heading === LEAD_HEADING || heading === EDITORS_NOTE_HEADING) continue;
    const print = fingerprintOf(heading);
    if (print) prints.add(print.fingerprint | 0);
  }
  return prints;
}

/** Fingerprints of an article's running-text paragraphs, each once. */
function fingerprintsOf(article: Article): ArticlePrints {
  const prints: ArticlePrints = new Map();
  for (const section of article.sections) {
    section.paragraphs.forEach((text, i) => {
      const kind = section.kinds?.[i];
      if (kind === 'code' || kind === 'table') return;
      const print = fingerprintOf(text);
      if (print) prints.set(print.fingerprint, print.length);
    });
  }
  return prints;
}

export function createBoilerplateModel(): BoilerplateModel {
  const articlesOfSource = new Map<string, number>();
  // Per source, per paragraph (its fingerprint as a small integer: V8 keeps those unboxed) the
  // articles holding it. Not one Map keyed by "fingerprint+source" strings: 300,000 of them.
  const perSource = new Map<string, Map<number, number>>();
  const sourcesOf = new Map<number, number>();
  // The same counts for headings, kept apart: a line is a template as a paragraph and as a
  // heading for different reasons.
  const headingsPerSource = new Map<string, Map<number, number>>();
  const headingSourcesOf = new Map<number, number>();
  let version = 0;

  const repeatsIn = (source: string, fingerprint: number) => perSource.get(source)?.get(fingerprint | 0) ?? 0;
  const isSourceTemplate = (repeats: number, articles: number) => repeats >= MIN_SOURCE_REPEATS && repeats >= MIN_SOURCE_SHARE * articles;

  function change(article: Article, delta: 1 | -1, prints: ArticlePrints = fingerprintsOf(article)): void {
    const source = sourceKeyOf(article);
    const before = articlesOfSource.get(source) ?? 0;
    const after = before + delta;
    if (after > 0) articlesOfSource.set(source, after);
    else articlesOfSource.delete(source);
    // The source's size moves every share threshold of its paragraphs a little.
    if (Math.floor(MIN_SOURCE_SHARE * before) !== Math.floor(MIN_SOURCE_SHARE * after)) version++;
    let counts = perSource.get(source);
    if (!counts) perSource.set(source, (counts = new Map()));
    for (const [fingerprint, length] of prints) {
      const repeats = (counts.get(fingerprint | 0) ?? 0) + delta;
      if (repeats > 0) counts.set(fingerprint | 0, repeats);
      else counts.delete(fingerprint | 0);
      if (isSourceTemplate(repeats - delta, before) !== isSourceTemplate(repeats, after)) version++;
      if ((repeats === 1 && delta === 1) || (repeats === 0 && delta === -1)) {
        const sources = (sourcesOf.get(fingerprint | 0) ?? 0) + delta;
        if (sources > 0) sourcesOf.set(fingerprint | 0, sources);
        else sourcesOf.delete(fingerprint | 0);
        if (length <= MAX_PLATFORM_LINE_CHARS && (sources >= MIN_SOURCES) !== (sources - delta >= MIN_SOURCES)) version++;
      }
    }
    if (!counts.size) perSource.delete(source);
    countHeadings(article, source, delta);
  }

  function countHeadings(article: Article, source: string, delta: 1 | -1): void {
    let counts = headingsPerSource.get(source);
    if (!counts) headingsPerSource.set(source, (counts = new Map()));
    for (const print of headingPrintsOf(article)) {
      const repeats = (counts.get(print) ?? 0) + delta;
      if (repeats > 0) counts.set(print, repeats);
      else counts.delete(print);
      if ((repeats === 1 && delta === 1) || (repeats === 0 && delta === -1)) {
        const sources = (headingSourcesOf.get(print) ?? 0) + delta;
        if (sources > 0) headingSourcesOf.set(print, sources);
        else headingSourcesOf.delete(print);
      }
    }
    if (!counts.size) headingsPerSource.delete(source);
  }

  return {
    add: (article, prints) => change(article, 1, prints),
    remove: (article) => change(article, -1),
    reasonFor(text, source) {
      const print = fingerprintOf(text);
      return print ? this.reasonForPrint(print, source) : undefined;
    },
    reasonForPrint(print, source) {
      const repeats = repeatsIn(source, print.fingerprint);
      if (isSourceTemplate(repeats, articlesOfSource.get(source) ?? 0)) return { kind: 'source', repeats };
      const sources = sourcesOf.get(print.fingerprint | 0) ?? 0;
      if (print.length <= MAX_PLATFORM_LINE_CHARS && sources >= MIN_SOURCES) return { kind: 'platform', sources };
      return undefined;
    },
    isSourceHeading(heading, source) {
      const print = fingerprintOf(heading);
      if (!print || NUMBERED_HEADING.test(heading.trim())) return false;
      const repeats = headingsPerSource.get(source)?.get(print.fingerprint | 0) ?? 0;
      return isSourceTemplate(repeats, articlesOfSource.get(source) ?? 0) && (headingSourcesOf.get(print.fingerprint | 0) ?? 0) < MIN_SOURCES;
    },
    citedHeading(article, sectionIndex) {
      const heading = article.sections[sectionIndex]?.heading ?? '';
      const source = sourceKeyOf(article);
      if (!this.isSourceHeading(heading, source)) return heading;
      const holdsText = (section: Article['sections'][number]) => section.paragraphs.some((text, i) => (section.kinds?.[i] ?? 'text') !== 'text' || !this.reasonFor(text, source));
      return article.sections.slice(0, sectionIndex).some(holdsText) ? heading : LEAD_HEADING;
    },
    get version() {
      return version;
    },
  };
}
