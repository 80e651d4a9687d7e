import type { FieldTermData, MiniSearchInternals, TermFrequencies } from './minisearch-internals.js';
import { ShortPostings, TermFields } from './compact-terms.js';
import { COMPACT_FROM, OVERFLOW, PostingList } from './posting-list.js';

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

/**
 * The bulk of the index as flat typed arrays, written and read as raw bytes, no parsing.
 * Postings are stored as PostingList holds them (chunk keys, 16-bit low halves, one-byte
 * frequencies), so loading a long list is two memcpys.
 */
export interface IndexArrays {
  shortIds: Uint32Array;
  /** Per document, one length per field (NO_LENGTH where a field was never indexed). */
  fieldLengths: Uint32Array;
  /** Per posting list, four numbers: term number, field id, postings, chunks. */
  lists: Uint32Array;
  /** Per chunk, two numbers: the high 16 bits of its passage numbers, its postings. */
  chunks: Uint32Array;
  /** Per list, the low halves of its passage numbers, then (long lists) room to grow. */
  lows: Uint16Array;
  /** One byte per posting, laid out as `lows`; OVERFLOW sends the reader to `overflow`. */
  frequencies: Uint8Array;
  /** Triples for frequencies of OVERFLOW and up: list number, passage number, frequency. */
  overflow: Uint32Array;
}

export interface EncodedIndex {
  meta: IndexMeta;
  arrays: IndexArrays;
}

const NO_LENGTH = 0xffffffff;

function fieldCount(inside: MiniSearchInternals): number {
  return Math.max(0, ...Object.values(inside._fieldIds).map((id) => id + 1));
}

/**
 * Slots a list takes in the snapshot's arrays: long lists get room to grow (a sixteenth), so
 * that once loaded as views of those arrays, the next articles added append in place.
 */
function slotsFor(count: number): number {
  return count >= COMPACT_FROM ? count + (count >>> 4) + 4 : count;
}

/** Short lists are MiniSearch Maps: sorted into a PostingList to be written the same way. */
function asPostingList(postings: TermFrequencies): PostingList {
  if (postings instanceof PostingList) return postings;
  return PostingList.fromEntries([...postings].sort((a, b) => a[0] - b[0]), postings.size);
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
  const lists: number[] = [];
  const chunks: number[] = [];
  const overflow: number[] = [];
  let total = 0;
  for (const [term, data] of inside._index) {
    for (const [fieldId, postings] of data) {
      if (!postings.size) continue;
      const list = asPostingList(postings);
      lists.push(terms.length, fieldId, list.length, list.chunkHighs.length);
      list.chunkHighs.forEach((high, c) => chunks.push(high, list.chunkEnd(c) - list.chunkStarts[c]!));
      for (const [id, frequency] of list.overflow ?? []) overflow.push(lists.length / 4 - 1, id, frequency);
      total += slotsFor(list.length);
    }
    terms.push(term);
  }
  const lows = new Uint16Array(total);
  const frequencies = new Uint8Array(total);
  let at = 0;
  for (const [, data] of inside._index) {
    for (const [, postings] of data) {
      if (!postings.size) continue;
      const list = asPostingList(postings);
      lows.set(list.lows.subarray(0, list.length), at);
      frequencies.set(list.frequencies.subarray(0, list.length), at);
      at += slotsFor(list.length);
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
    arrays: { shortIds, fieldLengths, lists: Uint32Array.from(lists), chunks: Uint32Array.from(chunks), lows, frequencies, overflow: Uint32Array.from(overflow) },
  };
}

/**
 * Fills a freshly instantiated MiniSearch (see MiniSearch.loadJS) from the arrays. Long
 * lists become views of the loaded arrays (no copy, no second set of postings in memory);
 * a list that outgrows its room is copied out by PostingList.
 */
export function decodeIndexInto(inside: MiniSearchInternals, encoded: EncodedIndex): void {
  const { meta, arrays } = encoded;
  const fields = fieldCount(inside);
  const fail = (what: string): never => {
    throw new Error(`index arrays are inconsistent (${what})`);
  };
  if (arrays.shortIds.length !== meta.documentIds.length || arrays.fieldLengths.length !== meta.documentIds.length * fields) fail('document table');
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

  const { lists, chunks, lows, frequencies, overflow } = arrays;
  if (lists.length % 4 || chunks.length % 2 || overflow.length % 3 || lows.length !== frequencies.length) fail('section sizes');
  const overflowByList = new Map<number, [number, number][]>();
  for (let o = 0; o < overflow.length; o += 3) {
    const entries = overflowByList.get(overflow[o]!) ?? [];
    entries.push([overflow[o + 1]!, overflow[o + 2]!]);
    overflowByList.set(overflow[o]!, entries);
  }
  let at = 0;
  let chunk = 0;
  let data: FieldTermData | undefined;
  let current = -1;
  for (let l = 0; l < lists.length; l += 4) {
    const termNumber = lists[l]!;
    const fieldId = lists[l + 1]!;
    const count = lists[l + 2]!;
    const chunkCount = lists[l + 3]!;
    const term = meta.terms[termNumber];
    const slots = slotsFor(count);
    if (term === undefined || at + slots > lows.length || 2 * (chunk + chunkCount) > chunks.length) fail('list bounds');
    if (termNumber !== current) {
      data = new TermFields();
      inside._index.set(term!, data);
      current = termNumber;
    }
    if (count < COMPACT_FROM) {
      // A short list is read straight into the small object the index keeps it in: no views.
      let postings: ShortPostings | undefined;
      let start = 0;
      let lastHigh = -1;
      for (let c = 0; c < chunkCount; c++, chunk++) {
        const high = chunks[2 * chunk]!;
        if (high <= lastHigh) fail('chunk order');
        lastHigh = high;
        const size = chunks[2 * chunk + 1]!;
        if (start + size > count) fail('chunk sizes');
        for (let i = start; i < start + size; i++) {
          const id = high * 0x10000 + lows[at + i]!;
          const stored = frequencies[at + i]!;
          const frequency = stored === OVERFLOW ? (overflowByList.get(l / 4)?.find(([overflowId]) => overflowId === id)?.[1] ?? OVERFLOW) : stored;
          if (postings) postings.set(id, frequency);
          else postings = new ShortPostings(id, frequency);
        }
        start += size;
      }
      if (start !== count || !postings) fail('chunk sizes');
      data!.set(fieldId, postings!);
      at += slots;
      continue;
    }
    // A view of the loaded arrays, room to grow included: no copy, and the next articles
    // added append in place.
    const list = new PostingList(lows.subarray(at, at + slots), frequencies.subarray(at, at + slots), count);
    // Arrays of exactly their size: a hundred thousand lists each holding push()'s spare room cost 35 MB.
    list.chunkHighs = new Array<number>(chunkCount);
    list.chunkStarts = new Array<number>(chunkCount);
    let start = 0;
    for (let c = 0; c < chunkCount; c++, chunk++) {
      const high = chunks[2 * chunk]!;
      if (c > 0 && high <= list.chunkHighs[c - 1]!) fail('chunk order');
      list.chunkHighs[c] = high;
      list.chunkStarts[c] = start;
      start += chunks[2 * chunk + 1]!;
    }
    if (start !== count) fail('chunk sizes');
    for (const [id, frequency] of overflowByList.get(l / 4) ?? []) (list.overflow ??= new Map()).set(id, frequency);
    data!.set(fieldId, list);
    at += slots;
  }
  if (at !== lows.length || 2 * chunk !== chunks.length) fail('trailing postings');
}
