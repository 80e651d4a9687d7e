import MiniSearch, { type Options } from 'minisearch';
import { passagesOf, type Article, type Passage } from '../corpus/article.js';
import { findPhrase } from './normalize.js';
import { decodeIndexInto, encodeIndex, type EncodedIndex } from './index-codec.js';
import { miniSearchInternals } from './minisearch-internals.js';
import { useCompactPostings } from './posting-list.js';
import { createScorer, type Clause, type ClauseGroup } from './scorer.js';
import type { AnalyzedQuery, QueryWord, Tokenizer } from './tokenizer.js';

/** What MiniSearch holds per passage: the id and the fields to index, nothing stored. */
interface IndexedPassage {
  id: string;
  text: string;
  heading: string;
  title: string;
}

export interface RankingOptions {
  /** Field boosts: jieba words of the paragraph, its character bigrams, its heading, the article title. */
  boost: { words: number; grams: number; heading: number; title: number };
  bm25: { k: number; b: number; d: number };
  /** Exponent on the share of the question's weighted words a passage contains. */
  coverageExponent: number;
  /**
   * Score factor for lists of links to other articles: the article's own text comes first.
   * Its inverse when the question asks for articles to read.
   */
  readingListWeight: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  boost: { words: 1, grams: 1, heading: 1, title: 0.2 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  coverageExponent: 2,
  readingListWeight: 0.5,
};

export interface SearchHit {
  passage: Passage;
  score: number;
  /** Share (0–1) of the question's informative words, weighted by IDF, found in the passage. */
  coverage: number;
  /** Spellings of query words found in the passage text (for highlighting). */
  matched: string[];
  /** The passage text normalised position for position, when normalising kept every position. */
  normalizedText: string | undefined;
}

export interface SearchOptionsForQuery {
  limit?: number;
  articleId?: string;
  /** How many top-scored candidates to re-rank by coverage. */
  candidates?: number;
  /** The question asks for articles to read: lists of links to them rank above, not below. */
  wantsArticles?: boolean;
}

export interface SearchIndex {
  add(article: Article): void;
  remove(articleId: string): boolean;
  has(articleId: string): boolean;
  article(articleId: string): Article | undefined;
  articles(): Article[];
  passage(passageId: string): Passage | undefined;
  search(query: AnalyzedQuery, options?: SearchOptionsForQuery): SearchHit[];
  /** The question's words that no article holds in any spelling (to say so when nothing is found). */
  absentWords(query: AnalyzedQuery): string[];
  readonly passageCount: number;
  readonly articleCount: number;
  /** The index as flat arrays (for snapshots). */
  encode(): EncodedIndex;
}

const FIELDS = ['words', 'grams', 'heading', 'title'] as const;

/**
 * MiniSearch's radix tree scans a node's children one by one, and CJK terms give the root
 * thousands of children. Spelling each UTF-16 unit as four hex digits keeps every node at
 * ≤ 16 children (indexing and snapshot loading run several times faster) and keeps prefixes
 * prefixes, so prefix search on Latin words still works. Edit-distance search would not: we
 * use none.
 */
export function encodeTerm(term: string): string {
  let hex = '';
  for (let i = 0; i < term.length; i++) hex += term.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

/** MiniSearch options for the given tokenizer; the same object must be used to load a snapshot. */
export function miniSearchOptions(tokenizer: Tokenizer, ranking: RankingOptions): Options<IndexedPassage> {
  return {
    idField: 'id',
    fields: [...FIELDS],
    storeFields: [],
    extractField: (doc, field) => {
      if (field === 'words' || field === 'grams') return doc.text;
      if (field === 'id') return doc.id;
      return field === 'heading' ? doc.heading : doc.title;
    },
    tokenize: (text, field) => (field === 'grams' ? tokenizer.grams(text) : tokenizer.words(text)),
    // Terms arrive normalised from the tokenizer; stored hex-encoded (see encodeTerm).
    processTerm: encodeTerm,
    searchOptions: {
      tokenize: (text) => [text],
      processTerm: encodeTerm,
      bm25: ranking.bm25,
    },
  };
}

function spellingsOf(word: QueryWord): string[] {
  return [word.term, ...word.aliases];
}

/** Below this many passages every query term is scored; above, very common ones are left out. */
export const PRUNE_FROM_PASSAGES = 5000;

/**
 * Scoring every passage that holds a very common word is what makes queries slow on a large
 * corpus, and such words barely change the ranking when rarer ones are present. On large
 * corpora, words in more than 30% of passages (when the question has rarer words) and
 * bigrams in more than 10% are left out of the scored query; coverage still counts them.
 */
function prunedQuery(query: AnalyzedQuery, documentFrequency: (term: string) => number, passages: number): AnalyzedQuery {
  if (passages < PRUNE_FROM_PASSAGES) return query;
  const common = (term: string, share: number) => documentFrequency(term) > share * passages;
  const isCommonWord = (w: QueryWord) => [w.term, ...w.aliases].every((s) => common(s, 0.3));
  const rare = query.words.filter((w) => !isCommonWord(w));
  const words = rare.length ? rare : query.words;
  const grams = query.grams.filter((g) => !common(g, 0.1));
  return { ...query, words, grams };
}

const LATIN_PREFIX = /^[a-z][a-z0-9'.\-]{3,}$/;

/**
 * The scorer's view of a question: one group per word (any spelling, over the paragraph,
 * heading and title fields), plus one per cross-word bigram over the bigram field.
 */
function buildGroups(query: AnalyzedQuery, piecesOf: (spelling: string) => string[], ranking: RankingOptions, fieldIds: Record<string, number>): ClauseGroup[] {
  const fieldId = (name: (typeof FIELDS)[number]) => fieldIds[name] ?? -1;
  const wordFields = new Map([
    [fieldId('words'), ranking.boost.words],
    [fieldId('heading'), ranking.boost.heading],
    [fieldId('title'), ranking.boost.title],
  ]);
  const meanWeight = query.words.reduce((sum, w) => sum + w.weight, 0) / Math.max(1, query.words.length);
  const groupOfTerm = new Map<string, number>();
  const groups: ClauseGroup[] = query.words.map((word, i) => {
    const boost = word.weight / meanWeight;
    return [...new Set(spellingsOf(word))].map((spelling): Clause => {
      // A spelling jieba cuts in several words must match all of them. Latin words of 4+
      // letters also match as prefixes (sanction → sanctions); no fuzzy matching.
      const pieces = piecesOf(spelling);
      for (const piece of [spelling, ...pieces]) groupOfTerm.set(piece, i);
      if (pieces.length > 1) return { terms: pieces.map(encodeTerm), prefix: false, fields: wordFields, boost };
      const term = pieces[0] ?? spelling;
      return { terms: [encodeTerm(term)], prefix: LATIN_PREFIX.test(term), fields: wordFields, boost };
    });
  });
  if (ranking.boost.grams > 0) {
    const gramFields = new Map([[fieldId('grams'), ranking.boost.grams]]);
    // A bigram that is itself a question word adds nothing the word's group does not.
    const wordTerms = new Set(query.words.map((w) => w.term));
    for (const gram of query.grams) {
      if (wordTerms.has(gram)) continue;
      const clause: Clause = { terms: [encodeTerm(gram)], prefix: false, fields: gramFields, boost: 1 };
      const group = groupOfTerm.get(gram);
      if (group === undefined) groups.push([clause]);
      else groups[group]?.push(clause);
    }
  }
  return groups;
}

/** Weighted share of the query's words present (in any spelling) in a passage. */
function measureCoverage(
  query: AnalyzedQuery,
  haystack: string,
): { coverage: number; matched: string[] } {
  let total = 0;
  let found = 0;
  const matched: string[] = [];
  for (const word of query.words) {
    total += word.weight;
    const hits = spellingsOf(word).filter((s) => findPhrase(haystack, s) >= 0);
    if (hits.length) {
      found += word.weight;
      matched.push(...hits);
    }
  }
  return { coverage: total ? found / total : 0, matched };
}

/** jieba pieces of a query spelling, memoised: the same names come up again and again. */
function createPieceCache(tokenizer: Tokenizer): (spelling: string) => string[] {
  const cache = new Map<string, string[]>();
  return (spelling) => {
    let pieces = cache.get(spelling);
    if (!pieces) {
      pieces = tokenizer.cut(spelling);
      if (cache.size >= 50_000) cache.clear();
      cache.set(spelling, pieces);
    }
    return pieces;
  };
}

/** A saved index to start from: the encoded MiniSearch index and the articles it holds. */
export interface IndexRestore {
  index: EncodedIndex;
  articles: Article[];
}

/** A MiniSearch instance holding a saved index, built through MiniSearch's own loader. */
function restoreMiniSearch(options: Options<IndexedPassage>, index: EncodedIndex): MiniSearch<IndexedPassage> {
  const { meta } = index;
  const mini = MiniSearch.loadJS<IndexedPassage>(
    {
      documentCount: meta.documentCount,
      nextId: meta.nextId,
      documentIds: {},
      fieldIds: meta.fieldIds,
      fieldLength: {},
      averageFieldLength: meta.averageFieldLength,
      storedFields: {},
      dirtCount: meta.dirtCount,
      index: [],
      serializationVersion: 2,
    },
    options,
  );
  decodeIndexInto(miniSearchInternals(mini), index);
  return mini;
}

export function createSearchIndex(tokenizer: Tokenizer, ranking: RankingOptions = DEFAULT_RANKING, restore?: IndexRestore): SearchIndex {
  const piecesOf = createPieceCache(tokenizer);
  const options = miniSearchOptions(tokenizer, ranking);
  const mini = restore ? restoreMiniSearch(options, restore.index) : new MiniSearch<IndexedPassage>(options);
  const inside = miniSearchInternals(mini);
  useCompactPostings(mini);
  const scorer = createScorer(inside, ranking.bm25);
  const articles = new Map<string, Article>();
  const passages = new Map<string, Passage>();
  for (const article of restore?.articles ?? []) {
    articles.set(article.id, article);
    for (const passage of passagesOf(article)) passages.set(passage.id, passage);
  }
  // Normalised passage text for coverage, for the passages questions keep landing on.
  const haystacks = new Map<string, string>();
  const HAYSTACK_CACHE = 20_000;
  function haystackOf(passage: Passage): string {
    let text = haystacks.get(passage.id);
    if (text === undefined) {
      const title = articles.get(passage.articleId)?.title ?? '';
      text = tokenizer.normalize(`${passage.text}\n${passage.heading}\n${title}`);
      if (haystacks.size >= HAYSTACK_CACHE) haystacks.delete(haystacks.keys().next().value as string);
      haystacks.set(passage.id, text);
    }
    return text;
  }

  function documentsOf(article: Article): IndexedPassage[] {
    return passagesOf(article).map((passage) => ({ id: passage.id, text: passage.text, heading: passage.heading, title: article.title }));
  }

  /** Adds (or replaces) an article; if any passage cannot be indexed, none of it stays. */
  function add(article: Article): void {
    if (articles.has(article.id)) remove(article.id);
    const documents = documentsOf(article);
    let added = 0;
    try {
      for (const document of documents) {
        mini.add(document);
        added++;
      }
    } catch (error) {
      for (const document of documents.slice(0, added)) mini.remove(document);
      throw error;
    }
    articles.set(article.id, article);
    for (const passage of passagesOf(article)) passages.set(passage.id, passage);
  }

  // remove, not discard: the scorer reads posting-list lengths as document frequencies, so
  // they must be exact at once rather than after MiniSearch's next vacuum.
  function remove(articleId: string): boolean {
    const article = articles.get(articleId);
    if (!article) return false;
    mini.removeAll(documentsOf(article));
    for (const passage of passagesOf(article)) {
      passages.delete(passage.id);
      haystacks.delete(passage.id);
    }
    articles.delete(articleId);
    return true;
  }

  function documentFrequency(term: string): number {
    const fields = inside._index.get(encodeTerm(term));
    if (!fields) return 0;
    let most = 0;
    for (const docs of fields.values()) most = Math.max(most, docs.size);
    return most;
  }

  function isPresent(spelling: string): boolean {
    if (documentFrequency(spelling) > 0) return true;
    if (LATIN_PREFIX.test(spelling)) {
      for (const _ of inside._index.atPrefix(encodeTerm(spelling))) return true;
    }
    // jieba may cut the word differently in a passage: its pieces may all be there.
    const pieces = piecesOf(spelling);
    if (pieces.length > 1 && pieces.every((piece) => documentFrequency(piece) > 0)) return true;
    // Text holding the word holds each of its bigrams: one missing bigram proves it absent.
    const grams = tokenizer.grams(spelling);
    return grams.length > 0 && grams.every((gram) => documentFrequency(gram) > 0);
  }

  // Single characters are never named: one can stand inside a longer word (弹 in 导弹), and
  // saying it is missing tells the reader nothing.
  function absentWords(query: AnalyzedQuery): string[] {
    return query.words.filter((word) => [...word.term].length > 1 && !spellingsOf(word).some(isPresent)).map((word) => word.term);
  }

  function search(query: AnalyzedQuery, options: SearchOptionsForQuery = {}): SearchHit[] {
    if (!query.words.length) return [];
    const limit = options.limit ?? 10;
    const prefix = options.articleId ? `${options.articleId}:` : undefined;
    const scored = prunedQuery(query, documentFrequency, mini.documentCount);
    const groups = buildGroups(scored, piecesOf, ranking, inside._fieldIds);
    const accept = prefix ? (shortId: number) => inside._documentIds.get(shortId)?.startsWith(prefix) === true : undefined;
    const pool = scorer.topDocuments(groups, Math.max(limit, options.candidates ?? 30), accept);
    // Lists of links to other articles rank below an article's text, unless articles are asked for.
    const readingListFactor = options.wantsArticles ? 1 / ranking.readingListWeight : ranking.readingListWeight;
    const hits: SearchHit[] = [];
    for (const result of pool) {
      const passage = passages.get(inside._documentIds.get(result.shortId) ?? '');
      if (!passage) continue;
      const haystack = haystackOf(passage);
      const { coverage, matched } = measureCoverage(query, haystack);
      const title = articles.get(passage.articleId)?.title ?? '';
      const samePositions = haystack.length === passage.text.length + passage.heading.length + title.length + 2;
      hits.push({
        passage,
        coverage,
        matched,
        normalizedText: samePositions ? haystack.slice(0, passage.text.length) : undefined,
        score: result.score * Math.pow(coverage, ranking.coverageExponent) * (passage.readingList ? readingListFactor : 1),
      });
    }
    hits.sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id));
    return hits.slice(0, limit);
  }

  return {
    add,
    remove,
    has: (id) => articles.has(id),
    article: (id) => articles.get(id),
    articles: () => [...articles.values()],
    passage: (id) => passages.get(id),
    search,
    absentWords,
    get passageCount() {
      return passages.size;
    },
    get articleCount() {
      return articles.size;
    },
    encode: () => encodeIndex(inside),
  };
}
