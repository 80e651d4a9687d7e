import type { FieldTermData, MiniSearchInternals, TermFrequencies } from '../minisearch-internals.js';
import { OVERFLOW, PostingList } from '../posting-list.js';

/** One way to match a query word: a term (or several that must all be there), in some fields. */
export interface Clause {
  /** Encoded terms; more than one means all must occur in the passage (a name jieba splits). */
  terms: string[];
  /** Also match longer terms that start with this one (English words: sanction → sanctions). */
  prefix: boolean;
  /** Field id → boost. */
  fields: Map<number, number>;
  /** Multiplies the clause's score (the word's IDF relative to the question's mean). */
  boost: number;
}

/** The clauses of one query word (or one bigram): a passage counts each group once. */
export type ClauseGroup = Clause[];

export interface Bm25 {
  k: number;
  b: number;
  d: number;
}

export interface ScoredDocument {
  shortId: number;
  score: number;
}

/** Scores and word masks of the passages a query touched (see Scorer.collect). */
export interface Collected {
  count: number;
  shortIds: Uint32Array;
  scores: Float64Array;
  masks: Uint32Array;
}

/** Question words tracked per passage in a 32-bit mask (the sign bit left alone). */
export const MAX_MASKED_GROUPS = 31;

/** MiniSearch's weight for a prefix match: approaches 0 as the extra length grows. */
const PREFIX_WEIGHT = 0.375;

function bm25Idf(matching: number, total: number): number {
  return Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
}

/**
 * Scores passages straight from MiniSearch's term index, with MiniSearch's BM25+ formula and
 * the same field boosts, but without building a result object per matching passage: scores
 * go into typed arrays indexed by passage number and only the best `limit` come out. A
 * passage's score is the sum over matched clauses times the number of groups (question words)
 * it matches, so a passage holding three of the words beats one holding one word thrice.
 */
export type Scorer = ReturnType<typeof createScorer>;

export function createScorer(inside: MiniSearchInternals, bm25: Bm25) {
  // Per passage number: score so far, groups matched, last group credited, and for
  // all-terms clauses, the clause's running score and how many of its terms were seen.
  let scores = new Float64Array(0);
  let groupCounts = new Int32Array(0);
  let lastGroup = new Int32Array(0);
  // Bit g set: the passage holds question word g (g < 31): what an article's passages hold together.
  let wordMasks = new Uint32Array(0);
  let touched = new Uint32Array(0);
  let touchedCount = 0;
  let clauseScores = new Float64Array(0);
  let clauseHits = new Int32Array(0);
  let clauseTouched = new Uint32Array(0);
  // Field lengths by passage number (MiniSearch keeps them in a Map of arrays), copied as
  // passages are added; removed passages leave no postings behind, so stale rows are unread.
  let lengths: Uint32Array[] = [];
  let lengthsKnownUpTo = 0;

  function ensureCapacity(): void {
    const needed = inside._nextId;
    if (scores.length < needed) {
      const capacity = Math.max(1024, Math.ceil(needed * 1.25));
      scores = new Float64Array(capacity);
      groupCounts = new Int32Array(capacity);
      lastGroup = new Int32Array(capacity).fill(-1);
      wordMasks = new Uint32Array(capacity);
      touched = new Uint32Array(capacity);
      clauseScores = new Float64Array(capacity);
      clauseHits = new Int32Array(capacity);
      clauseTouched = new Uint32Array(capacity);
      const fields = Object.keys(inside._fieldIds).length;
      lengths = Array.from({ length: fields }, (_, f) => {
        const grown = new Uint32Array(capacity);
        if (lengths[f]) grown.set(lengths[f]!.subarray(0, Math.min(lengths[f]!.length, capacity)));
        return grown;
      });
    }
    for (let shortId = lengthsKnownUpTo; shortId < needed; shortId++) {
      const row = inside._fieldLength.get(shortId);
      if (row) for (let f = 0; f < lengths.length; f++) lengths[f]![shortId] = row[f] ?? 0;
    }
    lengthsKnownUpTo = needed;
  }

  /**
   * Adds `weight ×` the BM25 contribution of one term in the clause's fields to each passage
   * holding it: into the running scores (mode 'credit'), or into the all-terms scratch for
   * passages that held the clause's previous `termsSeen` terms (mode 'intersect').
   */
  function addTerm(data: FieldTermData | undefined, clause: Clause, weight: number, group: number, termsSeen: number, intersect: boolean): void {
    if (!data) return;
    const total = inside._documentCount;
    const { k, b, d } = bm25;
    for (const [fieldId, boost] of clause.fields) {
      const postings: TermFrequencies | undefined = data.get(fieldId);
      const fieldLengths = lengths[fieldId];
      if (!postings || !boost || !fieldLengths) continue;
      const factor = weight * clause.boost * boost * bm25Idf(postings.size, total);
      const perLength = (k * b) / (inside._avgFieldLength[fieldId] || 1);
      const lengthFree = k * (1 - b);
      const list = postings instanceof PostingList ? postings : undefined;
      // Short lists are MiniSearch's Maps: one chunk of full ids.
      const mapIds = list ? undefined : [...postings.keys()];
      const chunks = list ? list.chunkHighs.length : 1;
      for (let c = 0; c < chunks; c++) {
        const high = list ? list.chunkHighs[c]! : 0;
        const chunkBase = high * 0x10000;
        const end = list ? list.chunkEnd(c) : mapIds!.length;
        for (let i = list ? list.chunkStarts[c]! : 0; i < end; i++) {
          const shortId = list ? chunkBase + list.lows[i]! : mapIds![i]!;
          let frequency = list ? list.frequencies[i]! : (postings.get(shortId) ?? 0);
          if (frequency === OVERFLOW && list) frequency = list.frequencyAt(i, high);
          const score = factor * (d + (frequency * (k + 1)) / (frequency + lengthFree + perLength * fieldLengths[shortId]!));
          if (intersect) {
            const hits = clauseHits[shortId]!;
            if (hits === termsSeen + 1) clauseScores[shortId]! += score; // same term, another field
            else if (hits === termsSeen) {
              if (hits === 0) clauseTouched[clauseTouchedCount++] = shortId;
              clauseHits[shortId] = hits + 1;
              clauseScores[shortId]! += score;
            }
          } else {
            if (lastGroup[shortId] !== group) {
              if (groupCounts[shortId] === 0) touched[touchedCount++] = shortId;
              groupCounts[shortId]!++;
              lastGroup[shortId] = group;
              if (group < MAX_MASKED_GROUPS) wordMasks[shortId]! |= 1 << group;
            }
            scores[shortId]! += score;
          }
        }
      }
    }
  }
  let clauseTouchedCount = 0;

  function scoreClause(clause: Clause, group: number): void {
    const index = inside._index;
    const [first] = clause.terms;
    if (first === undefined) return;
    if (clause.terms.length === 1) {
      addTerm(index.get(first), clause, 1, group, 0, false);
      if (!clause.prefix) return;
      for (const [term, data] of index.atPrefix(first)) {
        const distance = term.length - first.length;
        if (distance) addTerm(data, clause, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance), group, 0, false);
      }
      return;
    }
    // All terms required: count, per passage, the terms seen so far, rarest term first.
    const ordered = [...clause.terms].sort((a, b) => postingCount(index.get(a)) - postingCount(index.get(b)));
    clauseTouchedCount = 0;
    ordered.forEach((term, seen) => addTerm(index.get(term), clause, 1, group, seen, true));
    for (let i = 0; i < clauseTouchedCount; i++) {
      const shortId = clauseTouched[i]!;
      if (clauseHits[shortId] === ordered.length) {
        if (lastGroup[shortId] !== group) {
          if (groupCounts[shortId] === 0) touched[touchedCount++] = shortId;
          groupCounts[shortId]!++;
          lastGroup[shortId] = group;
          if (group < MAX_MASKED_GROUPS) wordMasks[shortId]! |= 1 << group;
        }
        scores[shortId]! += clauseScores[shortId]!;
      }
      clauseHits[shortId] = 0;
      clauseScores[shortId] = 0;
    }
  }

  // What collect() hands back: one row per passage that matched anything, reused per call.
  const collected = { count: 0, shortIds: new Uint32Array(0), scores: new Float64Array(0), masks: new Uint32Array(0) };

  /**
   * Scores every passage that matches any clause: its score (sum over clauses times the
   * number of groups matched) and which of the first 31 groups (the question's words) it
   * holds. The arrays are valid until the next call.
   */
  function collect(groups: ClauseGroup[]): Collected {
    ensureCapacity();
    touchedCount = 0;
    groups.forEach((clauses, group) => {
      for (const clause of clauses) scoreClause(clause, group);
    });
    if (collected.shortIds.length < touchedCount) {
      const capacity = Math.ceil(touchedCount * 1.5);
      collected.shortIds = new Uint32Array(capacity);
      collected.scores = new Float64Array(capacity);
      collected.masks = new Uint32Array(capacity);
    }
    for (let i = 0; i < touchedCount; i++) {
      const shortId = touched[i]!;
      collected.shortIds[i] = shortId;
      collected.scores[i] = scores[shortId]! * groupCounts[shortId]!;
      collected.masks[i] = wordMasks[shortId]!;
      scores[shortId] = 0;
      groupCounts[shortId] = 0;
      lastGroup[shortId] = -1;
      wordMasks[shortId] = 0;
    }
    collected.count = touchedCount;
    return collected;
  }

  /** The best `limit` passages (those `accept` lets through), best first. */
  function topDocuments(groups: ClauseGroup[], limit: number, accept?: (shortId: number) => boolean): ScoredDocument[] {
    const { count, shortIds, scores: scored } = collect(groups);
    let best: ScoredDocument[] = [];
    let floor = -Infinity;
    for (let i = 0; i < count; i++) {
      const shortId = shortIds[i]!;
      const score = scored[i]!;
      if (score < floor || (accept && !accept(shortId))) continue;
      best.push({ shortId, score });
      if (best.length >= limit * 4) {
        best = sortAndCut(best, limit);
        floor = best[best.length - 1]?.score ?? -Infinity;
      }
    }
    return sortAndCut(best, limit);
  }

  return { topDocuments, collect };
}

function postingCount(data: FieldTermData | undefined): number {
  let count = 0;
  for (const postings of data?.values() ?? []) count += postings.size;
  return count;
}

function sortAndCut(documents: ScoredDocument[], limit: number): ScoredDocument[] {
  documents.sort((a, b) => b.score - a.score || a.shortId - b.shortId);
  documents.length = Math.min(documents.length, limit);
  return documents;
}
