import type { FieldTermData, MiniSearchInternals, TermFrequencies } from './minisearch-internals.js';
import { COMPACT_FROM, PostingList } from './posting-list.js';

/** MiniSearch's scalar state and vocabulary: small enough for JSON. */
export interface IndexMeta {
  documentCount: number;
  nextId: number;
  dirtCount: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  /** Passage ids, in the order of `arrays.shortIds`. */
  documentIds: string[];
  /** Encoded terms, in the order `arrays.termFields` refers to them. */
  terms: string[];
}

/** The bulk of the index as flat typed arrays: written and read as raw bytes, no parsing. */
export interface IndexArrays {
  shortIds: Uint32Array;
  /** Per document, one length per field (NO_LENGTH where a field was never indexed). */
  fieldLengths: Uint32Array;
  /** Triples: term number, field id, number of postings. */
  termFields: Uint32Array;
  postingIds: Uint32Array;
  frequencies: Uint16Array;
}

export interface EncodedIndex {
  meta: IndexMeta;
  arrays: IndexArrays;
}

const NO_LENGTH = 0xffffffff;

function fieldCount(inside: MiniSearchInternals): number {
  return Math.max(0, ...Object.values(inside._fieldIds).map((id) => id + 1));
}

/** Flattens MiniSearch's index into a few arrays (for the snapshot file). */
export function encodeIndex(inside: MiniSearchInternals): EncodedIndex {
  const fields = fieldCount(inside);
  const documentIds: string[] = [];
  const shortIds = new Uint32Array(inside._documentIds.size);
  const fieldLengths = new Uint32Array(inside._documentIds.size * fields).fill(NO_LENGTH);
  let doc = 0;
  for (const [shortId, id] of inside._documentIds) {
    shortIds[doc] = shortId;
    documentIds.push(id);
    const lengths = inside._fieldLength.get(shortId) ?? [];
    for (let f = 0; f < fields; f++) if (lengths[f] !== undefined) fieldLengths[doc * fields + f] = lengths[f]!;
    doc++;
  }

  const terms: string[] = [];
  const triples: number[] = [];
  let total = 0;
  for (const [term, data] of inside._index) {
    for (const [fieldId, postings] of data) {
      if (!postings.size) continue;
      triples.push(terms.length, fieldId, postings.size);
      total += postings.size;
    }
    terms.push(term);
  }
  const postingIds = new Uint32Array(total);
  const frequencies = new Uint16Array(total);
  let at = 0;
  for (const [, data] of inside._index) {
    for (const [, postings] of data) {
      if (!postings.size) continue;
      if (postings instanceof PostingList) {
        postingIds.set(postings.ids.subarray(0, postings.length), at);
        frequencies.set(postings.frequencies.subarray(0, postings.length), at);
        at += postings.length;
      } else {
        for (const [shortId, frequency] of [...postings].sort((a, b) => a[0] - b[0])) {
          postingIds[at] = shortId;
          frequencies[at++] = Math.min(0xffff, frequency);
        }
      }
    }
  }
  return {
    meta: {
      documentCount: inside._documentCount,
      nextId: inside._nextId,
      dirtCount: inside._dirtCount,
      fieldIds: { ...inside._fieldIds },
      averageFieldLength: [...inside._avgFieldLength],
      documentIds,
      terms,
    },
    arrays: { shortIds, fieldLengths, termFields: Uint32Array.from(triples), postingIds, frequencies },
  };
}

/**
 * Fills a freshly instantiated MiniSearch (see MiniSearch.loadJS) from the arrays. Long
 * posting lists become views of the loaded arrays: no copy, no per-posting work.
 */
export function decodeIndexInto(inside: MiniSearchInternals, encoded: EncodedIndex): void {
  const { meta, arrays } = encoded;
  const fields = fieldCount(inside);
  if (arrays.shortIds.length !== meta.documentIds.length || arrays.fieldLengths.length !== meta.documentIds.length * fields) {
    throw new Error('index arrays do not match the document table');
  }
  meta.documentIds.forEach((id, doc) => {
    const shortId = arrays.shortIds[doc]!;
    inside._documentIds.set(shortId, id);
    inside._idToShortId.set(id, shortId);
    const lengths: number[] = [];
    for (let f = 0; f < fields; f++) {
      const length = arrays.fieldLengths[doc * fields + f]!;
      if (length !== NO_LENGTH) lengths[f] = length;
    }
    inside._fieldLength.set(shortId, lengths);
  });

  const { termFields, postingIds, frequencies } = arrays;
  let at = 0;
  let data: FieldTermData | undefined;
  let current = -1;
  for (let t = 0; t < termFields.length; t += 3) {
    const termNumber = termFields[t]!;
    const fieldId = termFields[t + 1]!;
    const count = termFields[t + 2]!;
    const term = meta.terms[termNumber];
    if (term === undefined || at + count > postingIds.length) throw new Error('index arrays are inconsistent');
    if (termNumber !== current) {
      data = new Map();
      inside._index.set(term, data);
      current = termNumber;
    }
    let postings: TermFrequencies;
    if (count >= COMPACT_FROM) {
      postings = new PostingList(postingIds.subarray(at, at + count), frequencies.subarray(at, at + count));
    } else {
      const map = new Map<number, number>();
      for (let i = at; i < at + count; i++) map.set(postingIds[i]!, frequencies[i]!);
      postings = map;
    }
    data!.set(fieldId, postings);
    at += count;
  }
  if (at !== postingIds.length) throw new Error('index arrays are inconsistent');
}
