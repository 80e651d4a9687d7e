import type MiniSearch from 'minisearch';
import { miniSearchInternals, type FieldTermData, type TermFrequencies } from './minisearch-internals.js';

/** Lists shorter than this stay MiniSearch's Maps: a typed array costs more than a few entries. */
export const COMPACT_FROM = 16;
const MAX_FREQUENCY = 0xffff;

/**
 * One term's postings in one field: ascending passage numbers and their term frequencies in
 * typed arrays, 6 bytes a posting where MiniSearch's Map costs about 40. It answers the Map
 * methods MiniSearch calls, so MiniSearch keeps adding, discarding and vacuuming as before.
 * Passage numbers only grow (MiniSearch never reuses one), so adding is an append.
 */
export class PostingList implements TermFrequencies {
  ids: Uint32Array;
  frequencies: Uint16Array;
  length: number;

  constructor(ids: Uint32Array, frequencies: Uint16Array, length = ids.length) {
    this.ids = ids;
    this.frequencies = frequencies;
    this.length = length;
  }

  static fromEntries(entries: Iterable<[number, number]>, size: number): PostingList {
    const list = new PostingList(new Uint32Array(size), new Uint16Array(size), 0);
    for (const [id, frequency] of entries) list.set(id, frequency);
    return list;
  }

  get size(): number {
    return this.length;
  }

  /** Position of `id`, or -(insertion point) - 1. */
  private find(id: number): number {
    let lo = 0;
    let hi = this.length - 1;
    if (hi >= 0 && this.ids[hi] === id) return hi;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.ids[mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  get(id: number): number | undefined {
    const at = this.find(id);
    return at >= 0 ? this.frequencies[at] : undefined;
  }

  has(id: number): boolean {
    return this.find(id) >= 0;
  }

  set(id: number, frequency: number): this {
    const value = Math.min(MAX_FREQUENCY, frequency);
    if (this.length === 0 || this.ids[this.length - 1]! < id) {
      if (this.length === this.ids.length) this.grow();
      this.ids[this.length] = id;
      this.frequencies[this.length++] = value;
      return this;
    }
    const at = this.find(id);
    if (at >= 0) {
      this.frequencies[at] = value;
      return this;
    }
    const insertAt = -at - 1;
    if (this.length === this.ids.length) this.grow();
    if (insertAt < this.length) {
      this.ids.copyWithin(insertAt + 1, insertAt, this.length);
      this.frequencies.copyWithin(insertAt + 1, insertAt, this.length);
    }
    this.ids[insertAt] = id;
    this.frequencies[insertAt] = value;
    this.length++;
    return this;
  }

  delete(id: number): boolean {
    const at = this.find(id);
    if (at < 0) return false;
    this.ids.copyWithin(at, at + 1, this.length);
    this.frequencies.copyWithin(at, at + 1, this.length);
    this.length--;
    return true;
  }

  /** Arrays loaded from a snapshot are views of a shared buffer: growing copies them out. */
  private grow(): void {
    const capacity = Math.max(8, Math.ceil(this.ids.length * 1.5));
    const ids = new Uint32Array(capacity);
    ids.set(this.ids.subarray(0, this.length));
    const frequencies = new Uint16Array(capacity);
    frequencies.set(this.frequencies.subarray(0, this.length));
    this.ids = ids;
    this.frequencies = frequencies;
  }

  // Iterators walk a copy: MiniSearch's vacuum deletes entries while it iterates.
  *keys(): IterableIterator<number> {
    yield* this.ids.slice(0, this.length);
  }

  *entries(): IterableIterator<[number, number]> {
    const ids = this.ids.slice(0, this.length);
    const frequencies = this.frequencies.slice(0, this.length);
    for (let i = 0; i < ids.length; i++) yield [ids[i]!, frequencies[i]!];
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/**
 * Makes a MiniSearch instance keep long posting lists as PostingLists: its own addTerm,
 * except that a list reaching COMPACT_FROM entries is converted.
 */
export function useCompactPostings<T>(mini: MiniSearch<T>): void {
  const inside = miniSearchInternals(mini);
  inside.addTerm = (fieldId: number, shortId: number, term: string): void => {
    const index = inside._index;
    let data: FieldTermData | undefined = index.get(term);
    if (!data) {
      data = new Map();
      index.set(term, data);
    }
    const postings = data.get(fieldId);
    if (!postings) {
      data.set(fieldId, new Map([[shortId, 1]]));
      return;
    }
    postings.set(shortId, (postings.get(shortId) ?? 0) + 1);
    if (postings instanceof Map && postings.size >= COMPACT_FROM) {
      data.set(fieldId, PostingList.fromEntries(postings, postings.size * 2));
    }
  };
}
