import MiniSearch, { type Options } from 'minisearch';
import { parsePassageId, passageAt, passagesOf, type Article, type Passage } from '../corpus/article.js';
import { decodeIndexInto, encodeIndex, type EncodedIndex } from './index-codec.js';
import { miniSearchInternals } from './minisearch-internals.js';
import { useDenseDocumentTables } from './document-tables.js';
import { useCompactPostings } from './posting-list.js';
import { createSearcher, DEFAULT_RANKING, LATIN_PREFIX, spellingsOf, type RankingOptions, type SearchHit, type SearchOptionsForQuery } from './query/rank-passages.js';
import { createScorer } from './query/scorer.js';
import { createBoilerplateModel, fingerprintOf, sourceKeyOf, type ArticlePrints, type TemplateReason } from './boilerplate.js';
import type { AnalyzedQuery, Tokenizer } from './tokenizer.js';

export { DEFAULT_RANKING, PRUNE_FROM_PASSAGES, type RankingOptions, type SearchHit, type SearchOptionsForQuery } from './query/rank-passages.js';

/** What MiniSearch holds per passage: the id and the fields to index, nothing stored. */
interface IndexedPassage {
  id: string;
  text: string;
  heading: string;
  title: string;
}

export interface SearchIndex {
  add(article: Article): void;
  remove(articleId: string): boolean;
  has(articleId: string): boolean;
  article(articleId: string): Article | undefined;
  articles(): Article[];
  passage(passageId: string): Passage | undefined;
  search(query: AnalyzedQuery, options?: SearchOptionsForQuery): SearchHit[];
  /** The heading a section's paragraphs are cited under (see BoilerplateModel.citedHeading). */
  citedHeading(article: Article, sectionIndex: number): string;
  /** Why a passage is its source's template (never ranked or shown), or undefined. */
  templateReason(passage: Passage): TemplateReason | undefined;
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

export function decodeTerm(hex: string): string {
  let term = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) term += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return term;
}

/** How many terms one prefix lookup reads at most: a short prefix can start thousands. */
const MAX_PREFIX_TERMS = 1000;

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
  useCompactPostings(mini);
  useDenseDocumentTables(mini);
  decodeIndexInto(miniSearchInternals(mini), index);
  return mini;
}

export function createSearchIndex(tokenizer: Tokenizer, ranking: RankingOptions = DEFAULT_RANKING, restore?: IndexRestore): SearchIndex {
  const piecesOf = createPieceCache(tokenizer);
  const options = miniSearchOptions(tokenizer, ranking);
  const mini = restore ? restoreMiniSearch(options, restore.index) : new MiniSearch<IndexedPassage>(options);
  const inside = miniSearchInternals(mini);
  useCompactPostings(mini);
  useDenseDocumentTables(mini);
  const scorer = createScorer(inside, ranking.bm25);
  const articles = new Map<string, Article>();
  // Passages are made on demand from their article (passageAt): 322,000 passage objects and a
  // Map of them would cost ~45 MB of a real archive's index for what a question reads a few of.
  let passageTotal = 0;
  function passageById(id: string): Passage | undefined {
    const at = parsePassageId(id);
    const article = at && articles.get(at.articleId);
    const passage = article && passageAt(article, at.sectionIndex, at.paragraphIndex);
    if (!passage) return undefined;
    const heading = boilerplate.citedHeading(article, at.sectionIndex);
    return heading === passage.heading ? passage : { ...passage, heading };
  }
  // Each article gets a small number (its slot); each passage number points to its article's
  // slot, so the ranking can tell which passages belong together without a lookup by string.
  const slotOfArticle = new Map<string, number>();
  const freeSlots: number[] = [];
  let nextSlot = 0;
  let slotOfShortId = new Int32Array(1024).fill(-1);
  // Templates (see boilerplate.ts): each passage's fingerprint, and whether it is excluded,
  // recomputed when the model says a verdict may have changed.
  const boilerplate = createBoilerplateModel();
  const sourceOfSlot: string[] = [];
  let printOfShortId = new Uint32Array(1024);
  let printLengthOfShortId = new Uint16Array(1024);
  let excluded = new Uint8Array(1024);
  let excludedVersion = -1;
  function growTo(shortId: number): void {
    if (shortId < slotOfShortId.length) return;
    const capacity = Math.max(shortId + 1, Math.ceil(slotOfShortId.length * 1.5));
    const slots = new Int32Array(capacity).fill(-1);
    slots.set(slotOfShortId);
    slotOfShortId = slots;
    const prints = new Uint32Array(capacity);
    prints.set(printOfShortId);
    printOfShortId = prints;
    const lengths = new Uint16Array(capacity);
    lengths.set(printLengthOfShortId);
    printLengthOfShortId = lengths;
    const flags = new Uint8Array(capacity);
    flags.set(excluded);
    excluded = flags;
  }

  function linkPassages(article: Article): void {
    let slot = slotOfArticle.get(article.id);
    if (slot === undefined) {
      slot = freeSlots.pop() ?? nextSlot++;
      slotOfArticle.set(article.id, slot);
    }
    sourceOfSlot[slot] = sourceKeyOf(article);
    // Each paragraph is fingerprinted once, for its verdict and for the model's counts.
    const prints: ArticlePrints = new Map();
    for (const passage of passagesOf(article)) {
      passageTotal++;
      const print = passage.kind ? undefined : fingerprintOf(passage.text);
      if (print) prints.set(print.fingerprint, print.length);
      const shortId = inside._idToShortId.get(passage.id);
      if (shortId === undefined) continue;
      // One string per passage id: the copies read from a snapshot give way to the passage's own.
      if (inside._documentIds.get(shortId) !== passage.id) {
        inside._documentIds.set(shortId, passage.id);
        inside._idToShortId.delete(passage.id);
        inside._idToShortId.set(passage.id, shortId);
      }
      growTo(shortId);
      slotOfShortId[shortId] = slot;
      printOfShortId[shortId] = print?.fingerprint ?? 0;
      printLengthOfShortId[shortId] = print?.length ?? 0;
    }
    boilerplate.add(article, prints);
  }

  /** The verdict of every passage, brought up to date with the model. */
  function refreshExcluded(): void {
    if (excludedVersion === boilerplate.version) return;
    excludedVersion = boilerplate.version;
    for (const shortId of inside._idToShortId.values()) {
      const length = printLengthOfShortId[shortId] ?? 0;
      const source = sourceOfSlot[slotOfShortId[shortId] ?? -1];
      excluded[shortId] = length && source !== undefined && boilerplate.reasonForPrint({ fingerprint: printOfShortId[shortId]!, length }, source) ? 1 : 0;
    }
  }
  for (const article of restore?.articles ?? []) {
    articles.set(article.id, article);
    linkPassages(article);
  }
  // Normalised passage text for coverage, for the passages questions keep landing on.
  const haystacks = new Map<string, string>();
  // A question reads ~100 candidates: the last couple of hundred questions, ~10 MB.
  const HAYSTACK_CACHE = 20_000;
  function haystackOf(passage: Passage): string {
    let text = haystacks.get(passage.id);
    if (text === undefined) {
      // Each part alone, as the index reads its fields: a traditional title must not turn
      // the paragraph's 文件 into 文档 (see normalize.ts).
      const article = articles.get(passage.articleId);
      const heading = article ? boilerplate.citedHeading(article, passage.sectionIndex) : passage.heading;
      text = [passage.text, heading, article?.title ?? ''].map((part) => tokenizer.normalize(part)).join('\n');
      if (haystacks.size >= HAYSTACK_CACHE) haystacks.delete(haystacks.keys().next().value as string);
      haystacks.set(passage.id, text);
    }
    return text;
  }

  /** The normalised text of the paragraphs either side of a passage in its section. */
  function neighboursOf(passage: Passage): string {
    const article = articles.get(passage.articleId);
    if (!article) return '';
    // A template beside it (a disclaimer, an ad) is not the article's evidence; nor, for a
    // piece of a table, the next piece: other rows are other records (CVE after CVE).
    const around = [passage.paragraphIndex - 1, passage.paragraphIndex + 1]
      .flatMap((i) => passageAt(article, passage.sectionIndex, i) ?? [])
      .filter((p) => excluded[inside._idToShortId.get(p.id) ?? -1] !== 1 && !(passage.kind === 'table' && p.kind === 'table'));
    return around.map(haystackOf).join('\n');
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
    linkPassages(article);
  }

  // remove, not discard: the scorer reads posting-list lengths as document frequencies, so
  // they must be exact at once rather than after MiniSearch's next vacuum.
  function remove(articleId: string): boolean {
    const article = articles.get(articleId);
    if (!article) return false;
    for (const passage of passagesOf(article)) {
      const shortId = inside._idToShortId.get(passage.id);
      if (shortId !== undefined && shortId < slotOfShortId.length) {
        slotOfShortId[shortId] = -1;
        excluded[shortId] = 0;
      }
    }
    boilerplate.remove(article);
    mini.removeAll(documentsOf(article));
    for (const passage of passagesOf(article)) {
      passageTotal--;
      haystacks.delete(passage.id);
    }
    articles.delete(articleId);
    const slot = slotOfArticle.get(articleId);
    if (slot !== undefined) freeSlots.push(slot);
    slotOfArticle.delete(articleId);
    return true;
  }

  function documentFrequency(term: string): number {
    const fields = inside._index.get(encodeTerm(term));
    if (!fields) return 0;
    let most = 0;
    for (const docs of fields.values()) most = Math.max(most, docs.size);
    return most;
  }

  function* termsStartingWith(prefix: string): Iterable<string> {
    let read = 0;
    for (const [term] of inside._index.atPrefix(encodeTerm(prefix))) {
      if (++read > MAX_PREFIX_TERMS) return;
      yield decodeTerm(term);
    }
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

  // Question time lives in ./query (not part of the snapshot's key): this only hands it the index.
  const searcher = createSearcher({
    scorer,
    passageOf: (shortId) => passageById(inside._documentIds.get(shortId) ?? ''),
    articleSlotOf: (shortId) => (shortId < slotOfShortId.length ? slotOfShortId[shortId]! : -1),
    slotCount: () => nextSlot,
    haystackOf,
    neighboursOf,
    plainLengthOf: (passage) => passage.text.length + passage.heading.length + (articles.get(passage.articleId)?.title.length ?? 0) + 2,
    documentFrequency,
    termsStartingWith,
    unknownWeight: tokenizer.unknownIdf,
    passageCount: () => mini.documentCount,
    piecesOf,
    fieldIds: inside._fieldIds,
    encodeTerm,
    isInArticle: (shortId, articleId) => inside._documentIds.get(shortId)?.startsWith(`${articleId}:`) === true,
    isExcluded: (shortId) => excluded[shortId] === 1,
  }, ranking);

  function search(query: AnalyzedQuery, options: SearchOptionsForQuery = {}): SearchHit[] {
    refreshExcluded();
    return searcher.search(query, options);
  }

  function templateReason(passage: Passage): TemplateReason | undefined {
    const article = articles.get(passage.articleId);
    return article && !passage.kind ? boilerplate.reasonFor(passage.text, sourceKeyOf(article)) : undefined;
  }

  return {
    add,
    remove,
    has: (id) => articles.has(id),
    article: (id) => articles.get(id),
    articles: () => [...articles.values()],
    passage: passageById,
    search,
    templateReason,
    citedHeading: (article, sectionIndex) => boilerplate.citedHeading(article, sectionIndex),
    absentWords,
    get passageCount() {
      return passageTotal;
    },
    get articleCount() {
      return articles.size;
    },
    encode: () => encodeIndex(inside),
  };
}
