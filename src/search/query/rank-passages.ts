import type { Passage } from '../../corpus/article.js';
import { findPhrase } from '../normalize.js';
import type { AnalyzedQuery, QueryWord } from '../tokenizer.js';
import { answerTypesOf, holdsAnswer } from './answer-type.js';
import { englishChinese, withChineseSpellings, withChineseSynonyms } from './english-chinese.js';
import { withEnglishInflections } from './english-inflections.js';
import { withUnknownNames } from './unknown-names.js';
import { MAX_MASKED_GROUPS, type Clause, type ClauseGroup, type Scorer } from './scorer.js';

// Question time only: nothing here changes what the index stores (see code-fingerprint.ts).

/** The index's fields, as the ranking reads them. */
export type IndexField = 'words' | 'grams' | 'heading' | 'title';

/** Index terms are spelled in hex (see search-index.ts encodeTerm). */
export type TermEncoder = (term: string) => string;

export interface RankingOptions {
  /** Field boosts: jieba words of the paragraph, its character bigrams, its heading, the article title. */
  boost: { words: number; grams: number; heading: number; title: number };
  bm25: { k: number; b: number; d: number };
  /** Exponent on the share of the question's weighted words a passage contains. */
  coverageExponent: number;
  /**
   * How much a dictionary near-synonym of a question word (初次 for 首次) counts against the
   * word itself, in coverage and in scoring; 0 looks none up.
   */
  synonymCredit: number;
  /** Exponent on the BM25 score: below 1, how often and how densely words occur counts less against which words occur. */
  scoreExponent: number;
  /**
   * Score factor for lists of links to other articles: the article's own text comes first.
   * Its inverse when the question asks for articles to read.
   */
  readingListWeight: number;
  /**
   * How much a passage's own words count against its article's: the coverage a passage is
   * ranked (and judged relevant) by is `passageShare × its own + (1 − passageShare) × its
   * article's` — the paragraph that answers often does not repeat the name the question gives.
   */
  passageShare: number;
  /**
   * How much the question words held by the paragraphs either side count toward a passage's
   * own coverage: 他解释称，"…组合利用这三个漏洞可导致…" answers a question about MODULYS GP
   * because the paragraph before it names MODULYS GP. 0 counts the passage alone.
   */
  neighbourCredit: number;
  /**
   * Factor for a passage that holds an answer of the kind the question asks for (a span of
   * time for 多久, a version for 哪个版本, a cause for 为什么; see answer-type.ts).
   */
  answerTypeBoost: number;
  /**
   * Scoring weight of a word that only names the article ("那篇讲X的文章里，…"): it finds the
   * article (article coverage counts it whole) while the rest of the question picks the
   * paragraph; in the paragraph's own coverage it counts as held when its article holds it.
   */
  articleWordBoost: number;
  /** Articles whose passages join the candidates on the strength of the article as a whole. */
  topArticles: number;
  passagesPerArticle: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  boost: { words: 1, grams: 1, heading: 1, title: 0.5 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  coverageExponent: 6,
  scoreExponent: 0.3,
  synonymCredit: 0.5,
  readingListWeight: 0.5,
  passageShare: 0.6,
  neighbourCredit: 0.75,
  answerTypeBoost: 1.4,
  articleWordBoost: 0.1,
  topArticles: 8,
  passagesPerArticle: 3,
};


export interface SearchHit {
  passage: Passage;
  score: number;
  /**
   * Share (0–1) of the question's informative words, weighted by IDF: in the passage (its
   * text, heading and article title) blended with in its article as a whole (see passageShare).
   */
  coverage: number;
  /**
   * The same share in the passage, its heading and its article's title, with part credit for
   * words the paragraphs either side hold (see RankingOptions.neighbourCredit).
   */
  passageCoverage: number;
  /** Spellings of query words found in the passage text (for highlighting). */
  matched: string[];
  /** The question as it was searched (with the spellings searching added): for weighing snippets. */
  query: AnalyzedQuery;
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
  /** Ranking options for this search only (tuning); the index's own otherwise. */
  ranking?: RankingOptions;
}


export function spellingsOf(word: QueryWord): string[] {
  return [word.term, ...word.aliases];
}

/** The spellings a passage may hold the word in: its own, and its other forms (see QueryWord.forms). */
export function heldSpellingsOf(word: QueryWord): string[] {
  return word.forms ? [word.term, ...word.aliases, ...word.forms] : [word.term, ...word.aliases];
}

/** Below this many passages every query term is scored; above, very common ones are left out. */
export const PRUNE_FROM_PASSAGES = 5000;

/**
 * Scoring every passage that holds a very common word is what makes queries slow on a large
 * corpus, and such words barely change the ranking when rarer ones are present. On large
 * corpora, words in more than 30% of passages (when the question has rarer words) and
 * bigrams in more than 10% are left out of the scored query; coverage still counts them.
 */
export function prunedQuery(query: AnalyzedQuery, documentFrequency: (term: string) => number, passages: number): AnalyzedQuery {
  if (passages < PRUNE_FROM_PASSAGES) return query;
  const common = (term: string, share: number) => documentFrequency(term) > share * passages;
  const isCommonWord = (w: QueryWord) => [w.term, ...w.aliases].every((s) => common(s, 0.3));
  const rare = query.words.filter((w) => !isCommonWord(w));
  const words = rare.length ? rare : query.words;
  const grams = query.grams.filter((g) => !common(g, 0.1));
  return { ...query, words, grams };
}

export const LATIN_PREFIX = /^[a-z][a-z0-9'.\-]{3,}$/;

/**
 * The scorer's view of a question: one group per word (any spelling, over the paragraph,
 * heading and title fields), plus one per cross-word bigram over the bigram field.
 */
export function buildGroups(query: AnalyzedQuery, piecesOf: (spelling: string) => string[], ranking: RankingOptions, fieldIds: Record<string, number>, encodeTerm: TermEncoder): ClauseGroup[] {
  const fieldId = (name: IndexField) => fieldIds[name] ?? -1;
  const wordFields = new Map([
    [fieldId('words'), ranking.boost.words],
    [fieldId('heading'), ranking.boost.heading],
    [fieldId('title'), ranking.boost.title],
  ]);
  const meanWeight = query.words.reduce((sum, w) => sum + w.weight, 0) / Math.max(1, query.words.length);
  const groupOfTerm = new Map<string, number>();
  const groups: ClauseGroup[] = query.words.map((word, i) => {
    const boost = (word.weight / meanWeight) * (word.namesArticle ? ranking.articleWordBoost : 1);
    const clauseOf = (spelling: string, boost: number): Clause => {
      // A spelling jieba cuts in several words must match all of them. Latin words of 4+
      // letters also match as prefixes (sanction → sanctions); no fuzzy matching.
      const pieces = piecesOf(spelling);
      for (const piece of [spelling, ...pieces]) groupOfTerm.set(piece, i);
      if (pieces.length > 1) return { terms: pieces.map(encodeTerm), prefix: false, fields: wordFields, boost };
      const term = pieces[0] ?? spelling;
      return { terms: [encodeTerm(term)], prefix: LATIN_PREFIX.test(term), fields: wordFields, boost };
    };
    const credit = query.relatedCredit ?? 0;
    return [
      ...[...new Set(spellingsOf(word))].map((spelling) => clauseOf(spelling, boost)),
      ...(credit > 0 ? (word.related ?? []).map((spelling) => clauseOf(spelling, boost * credit)) : []),
    ];
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

/** A field label before the value it names: 漏洞编号：, CVE ID: (a short line start before a colon). */
const FIELD_LABEL = /^[^：:\n]{1,8}[：:]\s*/;

/**
 * Whether a passage's text holds nothing but spellings of the question's words (and
 * punctuation), after its number or field label: `漏洞编号：CVE-2023-27869` tells a reader
 * who asked about CVE-2023-27869 nothing more.
 */
function isEcho(normalizedText: string | undefined, matched: readonly string[]): boolean {
  if (normalizedText === undefined) return false;
  let rest = normalizedText.replace(/^\s*\d{1,2}[.、)）]\s*/, '').replace(FIELD_LABEL, '');
  for (const spelling of [...matched].sort((a, b) => b.length - a.length)) rest = rest.split(spelling).join(' ');
  return !/[\p{L}\p{N}]/u.test(rest);
}

/** Text around a passage that lends it part of the credit for the words it lacks. */
export interface Surroundings {
  /** The text (read only when some word is missing from the passage itself). */
  text: () => string;
  /** The share of a word's credit that finding it there earns. */
  credit: number;
}

/**
 * Weighted share of the query's words present (in any spelling) in a passage: a word counts
 * fully, through a near-synonym `relatedCredit` of it; a word the passage lacks but its
 * surroundings hold earns `surroundings.credit` of what they would give it.
 */
export function measureCoverage(
  query: AnalyzedQuery,
  haystack: string,
  surroundings?: Surroundings,
  heldElsewhere?: (word: QueryWord) => boolean,
): { coverage: number; matched: string[] } {
  const credit = query.relatedCredit ?? 0;
  let around: string | undefined;
  let total = 0;
  let found = 0;
  const matched: string[] = [];
  // What one text earns a word: 1 for one of its spellings, `credit` for a near-synonym.
  const earned = (text: string, word: QueryWord, collect: boolean): number => {
    const hits = heldSpellingsOf(word).filter((s) => findPhrase(text, s) >= 0);
    if (hits.length) {
      if (collect) matched.push(...hits);
      return 1;
    }
    // A near-synonym (初次 for 首次) is weaker evidence than the word itself.
    const related = credit > 0 ? (word.related ?? []).filter((s) => findPhrase(text, s) >= 0) : [];
    if (related.length && collect) matched.push(...related);
    return related.length ? credit : 0;
  };
  for (const word of query.words) {
    total += word.weight;
    const own = Math.max(earned(haystack, word, true), heldElsewhere?.(word) ? 1 : 0);
    let share = own;
    if (own < 1 && surroundings && surroundings.credit > 0) {
      around ??= surroundings.text();
      share += surroundings.credit * Math.max(0, earned(around, word, false) - own);
    }
    found += word.weight * share;
  }
  return { coverage: total ? found / total : 0, matched };
}


/** What ranking needs of the index: passages by number, their articles, their text. */
export interface RankingIndex {
  scorer: Scorer;
  passageOf(shortId: number): Passage | undefined;
  /** A small number per article (its slot), for passages by number; -1 when unknown. */
  articleSlotOf(shortId: number): number;
  /** How many slots there are (the largest slot + 1). */
  slotCount(): number;
  documentFrequency(term: string): number;
  /** The index's terms that start with a prefix (a bounded number of them). */
  termsStartingWith(prefix: string): Iterable<string>;
  /** The weight of a word no dictionary knows (a name jieba has never seen). */
  unknownWeight: number;
  passageCount(): number;
  /** jieba's pieces of a spelling (memoised). */
  piecesOf(spelling: string): string[];
  fieldIds: Record<string, number>;
  encodeTerm: TermEncoder;
  isInArticle(shortId: number, articleId: string): boolean;
  /** Templates and the like: never candidates. */
  isExcluded(shortId: number): boolean;
  /** Normalised passage text, heading and article title (positions kept where possible). */
  haystackOf(passage: Passage): string;
  /** The same for the paragraphs either side of the passage in its section, joined. */
  neighboursOf(passage: Passage): string;
  /** Length of the passage's text, heading and title joined (to tell whether positions were kept). */
  plainLengthOf(passage: Passage): number;
}

/**
 * Per article slot, for the current query: the question words its passages hold between
 * them and its best passage score. Stamped with an epoch so nothing is cleared per query.
 */
function createArticleTable() {
  let masks = new Uint32Array(0);
  let best = new Float64Array(0);
  let seen = new Uint32Array(0);
  let top = new Uint8Array(0);
  let epoch = 0;
  return {
    begin(slots: number) {
      if (masks.length < slots) {
        const capacity = Math.max(1024, Math.ceil(slots * 1.25));
        masks = new Uint32Array(capacity);
        best = new Float64Array(capacity);
        seen = new Uint32Array(capacity);
        top = new Uint8Array(capacity);
        epoch = 0;
      }
      epoch++;
      if (epoch === 0xffffffff) {
        seen.fill(0);
        epoch = 1;
      }
    },
    /** Records a passage of the slot; true the first time the slot is seen in this query. */
    add(slot: number, mask: number, score: number): boolean {
      const first = seen[slot] !== epoch;
      if (first) {
        seen[slot] = epoch;
        masks[slot] = 0;
        best[slot] = 0;
        top[slot] = 0;
      }
      masks[slot]! |= mask;
      if (score > best[slot]!) best[slot] = score;
      return first;
    },
    mask: (slot: number) => (seen[slot] === epoch ? masks[slot]! : 0),
    best: (slot: number) => (seen[slot] === epoch ? best[slot]! : 0),
    markTop: (slot: number) => {
      top[slot] = 1;
    },
    isTop: (slot: number) => slot >= 0 && seen[slot] === epoch && top[slot] === 1,
  };
}

/** The `n`-th highest of `count` values (the floor of the top n), without sorting them all. */
function nthHighest(values: Float64Array, count: number, n: number): number {
  if (count <= n) return -Infinity;
  // A bounded pass: keep the n best seen so far in a small sorted array.
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (kept.length < n) {
      kept.push(v);
      if (kept.length === n) kept.sort((a, b) => a - b);
    } else if (v > kept[0]!) {
      kept[0] = v;
      for (let k = 0; k + 1 < kept.length && kept[k]! > kept[k + 1]!; k++) [kept[k], kept[k + 1]] = [kept[k + 1]!, kept[k]!];
    }
  }
  return kept[0] ?? -Infinity;
}

export interface RankRequest {
  query: AnalyzedQuery;
  /** The query actually scored (very common words left out). */
  scored: AnalyzedQuery;
  groups: ClauseGroup[];
  limit: number;
  candidates: number;
  slots: number;
  accept?: ((shortId: number) => boolean) | undefined;
  wantsArticles?: boolean | undefined;
  ranking?: RankingOptions | undefined;
}

export function createRanker(index: RankingIndex, defaultRanking: RankingOptions) {
  const articles = createArticleTable();

  /**
   * Candidates: the passages that score best on their own, and the best passages of the
   * articles that hold most of the question's words between their passages. Each is ranked
   * by BM25 × (blended coverage)^exponent: its own words and its article's together.
   */
  function rank(request: RankRequest): SearchHit[] {
    const { query, scored, groups, accept } = request;
    const ranking = request.ranking ?? defaultRanking;
    const collected = index.scorer.collect(groups);
    articles.begin(request.slots);
    // The scored words' weights by group bit: coverage of an article from its passages' masks.
    const masked = Math.min(scored.words.length, MAX_MASKED_GROUPS);
    const weightOfBit: number[] = [];
    let maskedTotal = 0;
    for (let g = 0; g < masked; g++) {
      weightOfBit.push(scored.words[g]?.weight ?? 0);
      maskedTotal += scored.words[g]?.weight ?? 0;
    }
    const coverageOfMask = (mask: number) => {
      if (!maskedTotal) return 0;
      let sum = 0;
      for (let g = 0; g < masked; g++) if (mask & (1 << g)) sum += weightOfBit[g] ?? 0;
      return sum / maskedTotal;
    };

    // First pass: what each article holds between its passages, and its best passage.
    const touchedSlots: number[] = [];
    for (let i = 0; i < collected.count; i++) {
      const shortId = collected.shortIds[i]!;
      if ((accept && !accept(shortId)) || index.isExcluded(shortId)) {
        collected.scores[i] = -1;
        continue;
      }
      const slot = index.articleSlotOf(shortId);
      if (slot >= 0 && articles.add(slot, collected.masks[i]!, collected.scores[i]!)) touchedSlots.push(slot);
    }
    // The articles that hold most of the question between their passages.
    const topSlots = touchedSlots
      .map((slot) => ({ slot, coverage: coverageOfMask(articles.mask(slot)), best: articles.best(slot) }))
      .sort((a, b) => b.coverage - a.coverage || b.best - a.best)
      .slice(0, ranking.topArticles);
    for (const { slot } of topSlots) articles.markTop(slot);

    // Second pass: the best passages overall, and the best few of each top article.
    const poolSize = Math.max(request.limit, request.candidates);
    const floor = nthHighest(collected.scores, collected.count, poolSize);
    const chosen: Array<{ shortId: number; score: number; slot: number }> = [];
    const fromTop = new Map<number, Array<{ shortId: number; score: number; slot: number }>>();
    for (let i = 0; i < collected.count; i++) {
      const score = collected.scores[i]!;
      if (score < 0) continue;
      const shortId = collected.shortIds[i]!;
      const slot = index.articleSlotOf(shortId);
      if (score >= floor && score > 0) chosen.push({ shortId, score, slot });
      else if (articles.isTop(slot)) {
        const list = fromTop.get(slot) ?? [];
        list.push({ shortId, score, slot });
        if (list.length > ranking.passagesPerArticle * 4) list.sort((a, b) => b.score - a.score).length = ranking.passagesPerArticle;
        fromTop.set(slot, list);
      }
    }
    // Many passages can tie at the floor: keep the pool bounded.
    if (chosen.length > poolSize * 2) chosen.sort((a, b) => b.score - a.score || a.shortId - b.shortId).length = poolSize * 2;
    for (const list of fromTop.values()) chosen.push(...list.sort((a, b) => b.score - a.score).slice(0, ranking.passagesPerArticle));

    // Lists of links to other articles rank below an article's text, unless articles are asked for.
    const readingListFactor = request.wantsArticles ? 1 / ranking.readingListWeight : ranking.readingListWeight;
    const answerTypes = ranking.answerTypeBoost !== 1 ? answerTypesOf(query.normalized) : [];
    const share = ranking.passageShare;
    // Words that only name the article count as a passage's own when its article holds them.
    const bitOfTerm = query.words.some((word) => word.namesArticle) ? new Map(scored.words.slice(0, masked).map((word, g) => [word.term, g])) : undefined;
    const heldBy = (mask: number) => (word: QueryWord) => {
      if (!word.namesArticle || !bitOfTerm) return false;
      const bit = bitOfTerm.get(word.term);
      // A word left out of the scored query (a very common one) counts as held, as below.
      return bit === undefined || (mask & (1 << bit)) !== 0;
    };
    const hits: SearchHit[] = [];
    for (const { shortId, score, slot } of chosen) {
      const passage = index.passageOf(shortId);
      if (!passage) continue;
      const haystack = index.haystackOf(passage);
      // A paragraph often names its subject in the one before ("他解释称…" after the product).
      const articleMask = slot >= 0 ? articles.mask(slot) : 0;
      const { coverage: passageCoverage, matched } = measureCoverage(query, haystack, { text: () => index.neighboursOf(passage), credit: ranking.neighbourCredit }, bitOfTerm ? heldBy(articleMask) : undefined);
      const articleCoverage = slot >= 0 ? coverageOfMask(articleMask) : passageCoverage;
      // Words the scored query left out (very common ones) count as the passage has them.
      const coverage = Math.max(passageCoverage, share * passageCoverage + (1 - share) * Math.max(articleCoverage, passageCoverage));
      const samePositions = haystack.length === index.plainLengthOf(passage);
      hits.push({
        passage,
        query,
        coverage,
        passageCoverage,
        matched,
        normalizedText: samePositions ? haystack.slice(0, passage.text.length) : undefined,
        score:
          Math.pow(score, ranking.scoreExponent) *
          Math.pow(coverage, ranking.coverageExponent) *
          (passage.readingList ? readingListFactor : 1) *
          (answerTypes.length && holdsAnswer(answerTypes, haystack.slice(0, passage.text.length)) ? ranking.answerTypeBoost : 1),
      });
    }
    // A passage made of nothing but the question's own words (a bare CVE line under its
    // heading) cannot answer it: it comes after every passage of the best `limit` that says
    // something more. (Not after every passage at all: the caller drops the irrelevant ones
    // afterwards, and an echo cut off behind them would leave nothing to show.)
    hits.sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id));
    const best = hits.slice(0, request.limit);
    const echoes = new Set(best.filter((hit) => isEcho(hit.normalizedText, hit.matched)).map((hit) => hit.passage.id));
    return [...best.filter((hit) => !echoes.has(hit.passage.id)), ...best.filter((hit) => echoes.has(hit.passage.id))];
  }

  return { rank };
}

/**
 * A question → ranked passages: English questions also look for the dictionary's Chinese
 * words, very common words are left out of the scored query, then createRanker ranks.
 */
export function createSearcher(index: RankingIndex, defaultRanking: RankingOptions) {
  const ranker = createRanker(index, defaultRanking);
  return {
    search(query: AnalyzedQuery, options: SearchOptionsForQuery = {}): SearchHit[] {
      if (!query.words.length) return [];
      const ranking = options.ranking ?? defaultRanking;
      const articleId = options.articleId;
      query = withChineseSpellings(withUnknownNames(query, index.documentFrequency, index.unknownWeight), englishChinese, index.documentFrequency);
      query = withEnglishInflections(query, index);
      if (ranking.synonymCredit > 0) query = withChineseSynonyms(query, englishChinese, index.documentFrequency, ranking.synonymCredit);
      const scored = prunedQuery(query, index.documentFrequency, index.passageCount());
      const groups = buildGroups(scored, index.piecesOf, ranking, index.fieldIds, index.encodeTerm);
      return ranker.rank({
        query,
        scored,
        groups,
        limit: options.limit ?? 10,
        candidates: options.candidates ?? 30,
        slots: index.slotCount(),
        accept: articleId ? (shortId: number) => index.isInArticle(shortId, articleId) : undefined,
        wantsArticles: options.wantsArticles,
        ranking,
      });
    },
  };
}
