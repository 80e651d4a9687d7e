import type MiniSearch from 'minisearch';
import { appendedExactly, FlatTermIndex, ShortPostings, TermFields } from './compact-terms.js';
import { miniSearchInternals, type FieldTermData, type TermFrequencies } from './minisearch-internals.js';

/** Lists shorter than this stay MiniSearch's Maps: a typed array costs more than a few entries. */
export const COMPACT_FROM = 16;
/** Frequencies from this one up are kept in `overflow`; the byte array holds the marker. */
export const OVERFLOW = 0xff;
const CHUNK_BITS = 16;
const CHUNK_MASK = 0xffff;

/**
 * One term's postings in one field: ascending passage numbers and their term frequencies in
 * typed arrays, 3 bytes a posting where MiniSearch's Map costs about 40. Passage numbers are
 * split as in Roaring bitmaps: the high 16 bits once per chunk (`chunkHighs`, where each chunk
 * starts in `lows`), the low 16 bits per posting. It answers the Map methods MiniSearch
 * calls, so MiniSearch keeps adding, removing and vacuuming as before. Passage numbers only
 * grow (MiniSearch never reuses one), so adding is an append.
 */
export class PostingList implements TermFrequencies {
  lows: Uint16Array;
  /** One byte each; OVERFLOW means "look in `overflow`" (a word 255+ times in a paragraph). */
  frequencies: Uint8Array;
  length: number;
  chunkHighs: number[] = [];
  chunkStarts: number[] = [];
  overflow: Map<number, number> | undefined;

  /** A list over the given arrays: the first `length` slots are postings, the rest room to grow. */
  constructor(lows: Uint16Array, frequencies: Uint8Array, length = 0) {
    this.lows = lows;
    this.frequencies = frequencies;
    this.length = length;
  }

  static withCapacity(capacity: number): PostingList {
    return new PostingList(new Uint16Array(capacity), new Uint8Array(capacity));
  }

  static fromEntries(entries: Iterable<[number, number]>, capacity: number): PostingList {
    const list = PostingList.withCapacity(capacity);
    for (const [id, frequency] of entries) list.set(id, frequency);
    return list;
  }

  get size(): number {
    return this.length;
  }

  /** Where chunk `c` ends in `lows`. */
  chunkEnd(c: number): number {
    return this.chunkStarts[c + 1] ?? this.length;
  }

  private chunkOf(high: number): number {
    let lo = 0;
    let hi = this.chunkHighs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.chunkHighs[mid]!;
      if (at === high) return mid;
      if (at < high) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /** Position of `id` in the arrays, or -1. */
  private find(id: number): number {
    const c = this.chunkOf(id >>> CHUNK_BITS);
    if (c < 0) return -1;
    const low = id & CHUNK_MASK;
    let lo = this.chunkStarts[c]!;
    let hi = this.chunkEnd(c) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.lows[mid]!;
      if (at === low) return mid;
      if (at < low) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private lastId(): number {
    const c = this.chunkHighs.length - 1;
    return c < 0 ? -1 : this.chunkHighs[c]! * (CHUNK_MASK + 1) + this.lows[this.length - 1]!;
  }

  /** The frequency stored at position `at` of chunk with high bits `high`. */
  frequencyAt(at: number, high: number): number {
    const stored = this.frequencies[at]!;
    return stored === OVERFLOW ? (this.overflow?.get(high * (CHUNK_MASK + 1) + this.lows[at]!) ?? OVERFLOW) : stored;
  }

  get(id: number): number | undefined {
    const at = this.find(id);
    return at >= 0 ? this.frequencyAt(at, id >>> CHUNK_BITS) : undefined;
  }

  has(id: number): boolean {
    return this.find(id) >= 0;
  }

  set(id: number, frequency: number): this {
    if (id > this.lastId()) {
      this.append(id, frequency);
      return this;
    }
    const value = Math.min(OVERFLOW, frequency);
    if (value === OVERFLOW) (this.overflow ??= new Map()).set(id, frequency);
    else this.overflow?.delete(id);
    const found = this.find(id);
    if (found >= 0) {
      this.frequencies[found] = value;
      return this;
    }
    const high = id >>> CHUNK_BITS;
    const low = id & CHUNK_MASK;
    if (this.length === this.lows.length) this.grow();
    // An insertion before the end: never from MiniSearch (ids only grow), kept for correctness.
    let c = this.chunkOf(high);
    if (c < 0) {
      c = -c - 1;
      const start = this.chunkStarts[c] ?? this.length;
      this.chunkHighs.splice(c, 0, high);
      this.chunkStarts.splice(c, 0, start);
    }
    let at = this.chunkStarts[c]!;
    const end = this.chunkEnd(c);
    while (at < end && this.lows[at]! < low) at++;
    this.lows.copyWithin(at + 1, at, this.length);
    this.frequencies.copyWithin(at + 1, at, this.length);
    this.lows[at] = low;
    this.frequencies[at] = value;
    this.length++;
    for (let later = c + 1; later < this.chunkStarts.length; later++) this.chunkStarts[later]!++;
    return this;
  }

  /** Adds an id greater than every id in the list. */
  append(id: number, frequency: number): void {
    const high = id >>> CHUNK_BITS;
    if (this.length === this.lows.length) this.grow();
    if (this.chunkHighs[this.chunkHighs.length - 1] !== high) {
      this.chunkHighs = appendedExactly(this.chunkHighs, high);
      this.chunkStarts = appendedExactly(this.chunkStarts, this.length);
    }
    this.lows[this.length] = id & CHUNK_MASK;
    if (frequency >= OVERFLOW) {
      (this.overflow ??= new Map()).set(id, frequency);
      this.frequencies[this.length++] = OVERFLOW;
    } else {
      this.frequencies[this.length++] = frequency;
    }
  }

  delete(id: number): boolean {
    const at = this.find(id);
    if (at < 0) return false;
    this.overflow?.delete(id);
    this.lows.copyWithin(at, at + 1, this.length);
    this.frequencies.copyWithin(at, at + 1, this.length);
    this.length--;
    const c = this.chunkOf(id >>> CHUNK_BITS);
    for (let later = c + 1; later < this.chunkStarts.length; later++) this.chunkStarts[later]!--;
    if (this.chunkStarts[c] === this.chunkEnd(c)) {
      this.chunkHighs.splice(c, 1);
      this.chunkStarts.splice(c, 1);
    }
    return true;
  }

  /** Grows by an eighth: long lists are most of the memory, and appends come an article at a time. */
  private grow(): void {
    const capacity = this.lows.length + Math.max(8, this.lows.length >>> 3);
    const lows = new Uint16Array(capacity);
    lows.set(this.lows.subarray(0, this.length));
    const frequencies = new Uint8Array(capacity);
    frequencies.set(this.frequencies.subarray(0, this.length));
    this.lows = lows;
    this.frequencies = frequencies;
  }

  /** Calls `each(id, frequency)` in ascending id order. */
  forEach(each: (frequency: number, id: number) => void): void {
    for (let c = 0; c < this.chunkHighs.length; c++) {
      const high = this.chunkHighs[c]!;
      const base = high * (CHUNK_MASK + 1);
      for (let at = this.chunkStarts[c]!, end = this.chunkEnd(c); at < end; at++) each(this.frequencyAt(at, high), base + this.lows[at]!);
    }
  }

  // Iterators walk a copy: MiniSearch's vacuum deletes entries while it iterates.
  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *entries(): IterableIterator<[number, number]> {
    const entries: [number, number][] = [];
    this.forEach((frequency, id) => entries.push([id, frequency]));
    yield* entries;
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/**
 * Makes a MiniSearch instance keep its terms compactly (see compact-terms.ts): one flat term
 * Map, four field slots a term, short lists as ShortPostings and lists reaching COMPACT_FROM
 * entries as PostingLists. Its own addTerm otherwise. Call it before any term is added.
 */
export function useCompactPostings<T>(mini: MiniSearch<T>): void {
  const inside = miniSearchInternals(mini);
  if (!(inside._index instanceof FlatTermIndex)) {
    if (inside._index.size) throw new Error('useCompactPostings must be called before any term is added');
    inside._index = new FlatTermIndex();
  }
  inside.addTerm = (fieldId: number, shortId: number, term: string): void => {
    const index = inside._index;
    let data: FieldTermData | undefined = index.get(term);
    if (!data) {
      data = new TermFields();
      index.set(term, data);
    }
    const postings = data.get(fieldId);
    if (!postings) {
      data.set(fieldId, new ShortPostings(shortId, 1));
      return;
    }
    postings.set(shortId, (postings.get(shortId) ?? 0) + 1);
    if (postings instanceof ShortPostings && postings.size >= COMPACT_FROM) {
      data.set(fieldId, PostingList.fromEntries(postings, postings.size * 2));
    }
  };
}
