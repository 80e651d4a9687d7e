import type { FieldTermData, TermFrequencies, TermTree } from './minisearch-internals.js';

// A real archive has ~600,000 distinct terms (13,544 articles: 345,000 CJK bigrams, code
// identifiers, names) and most of them are in a passage or two. MiniSearch keeps each term
// as a node of a radix tree (a Map), a Map of fields and a Map of postings: ~180 bytes a
// Map, ~700 bytes a term, 0.43 GB of a 0.87 GB heap. The same data behind the same methods,
// in small objects and one flat Map, takes a fraction of that. Long lists are PostingLists.

/** The largest field id a term's fields can hold (the index has four fields). */
export const MAX_FIELD_ID = 3;

/** Packs a posting into one number: exact for passage numbers below 2^37 and any frequency below 2^16. */
const PACK = 0x10000;
const packPosting = (shortId: number, frequency: number) => shortId * PACK + Math.min(frequency, PACK - 1);
const idOf = (packed: number) => Math.floor(packed / PACK);
const frequencyOf = (packed: number) => packed % PACK;

/**
 * A copy of `array` with `value` appended, exactly as long as it needs to be: push() leaves
 * room for 16 more, and half a million short lists each holding that room cost 50 MB.
 */
export function appendedExactly(array: readonly number[] | undefined, value: number): number[] {
  const length = array ? array.length : 0;
  const copy = new Array<number>(length + 1);
  for (let i = 0; i < length; i++) copy[i] = array![i]!;
  copy[length] = value;
  return copy;
}

/** A copy of `array` without the item at `at`, exactly as long as it needs to be (undefined when empty). */
function withoutExactly(array: readonly number[], at: number): number[] | undefined {
  if (array.length === 1) return undefined;
  const copy = new Array<number>(array.length - 1);
  for (let i = 0, j = 0; i < array.length; i++) if (i !== at) copy[j++] = array[i]!;
  return copy;
}

/**
 * A short posting list: the first posting inline (most terms are in one passage of a
 * field), the others packed one number each (see packPosting) in an array of exactly their
 * number. Insertion order, like the Map it replaces.
 */
export class ShortPostings implements TermFrequencies {
  private firstId = -1;
  private firstFrequency = 0;
  private more: number[] | undefined;

  constructor(shortId: number, frequency: number) {
    this.firstId = shortId;
    this.firstFrequency = frequency;
  }

  get size(): number {
    return (this.firstId >= 0 ? 1 : 0) + (this.more ? this.more.length : 0);
  }

  private indexInMore(shortId: number): number {
    const more = this.more;
    if (more) for (let i = 0; i < more.length; i++) if (idOf(more[i]!) === shortId) return i;
    return -1;
  }

  get(shortId: number): number | undefined {
    if (shortId === this.firstId) return this.firstFrequency;
    const at = this.indexInMore(shortId);
    return at >= 0 ? frequencyOf(this.more![at]!) : undefined;
  }

  has(shortId: number): boolean {
    return this.get(shortId) !== undefined;
  }

  set(shortId: number, frequency: number): this {
    if (shortId === this.firstId) {
      this.firstFrequency = frequency;
      return this;
    }
    const at = this.indexInMore(shortId);
    if (at >= 0) this.more![at] = packPosting(shortId, frequency);
    else if (this.firstId < 0) {
      this.firstId = shortId;
      this.firstFrequency = frequency;
    } else {
      this.more = appendedExactly(this.more, packPosting(shortId, frequency));
    }
    return this;
  }

  delete(shortId: number): boolean {
    const more = this.more;
    if (shortId === this.firstId) {
      // The next posting moves up, so the order stays the order of insertion.
      if (more?.length) {
        this.firstId = idOf(more[0]!);
        this.firstFrequency = frequencyOf(more[0]!);
        this.more = withoutExactly(more, 0);
      } else {
        this.firstId = -1;
        this.firstFrequency = 0;
      }
      return true;
    }
    const at = this.indexInMore(shortId);
    if (at < 0) return false;
    this.more = withoutExactly(more!, at);
    return true;
  }

  // Iterators walk a copy (a caller may delete while it iterates), as array iterators: the
  // scorer reads every short list of a question's words, and generators cost more there.
  entries(): IterableIterator<[number, number]> {
    const entries: [number, number][] = [];
    if (this.firstId >= 0) entries.push([this.firstId, this.firstFrequency]);
    const more = this.more;
    if (more) for (const packed of more) entries.push([idOf(packed), frequencyOf(packed)]);
    return entries.values();
  }

  keys(): IterableIterator<number> {
    const ids: number[] = this.firstId >= 0 ? [this.firstId] : [];
    const more = this.more;
    if (more) for (const packed of more) ids.push(idOf(packed));
    return ids.values();
  }

  values(): IterableIterator<number> {
    const frequencies: number[] = this.firstId >= 0 ? [this.firstFrequency] : [];
    const more = this.more;
    if (more) for (const packed of more) frequencies.push(frequencyOf(packed));
    return frequencies.values();
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/** A term's postings per field, in four slots instead of a Map. */
export class TermFields implements FieldTermData {
  private f0: TermFrequencies | undefined;
  private f1: TermFrequencies | undefined;
  private f2: TermFrequencies | undefined;
  private f3: TermFrequencies | undefined;

  get size(): number {
    return (this.f0 ? 1 : 0) + (this.f1 ? 1 : 0) + (this.f2 ? 1 : 0) + (this.f3 ? 1 : 0);
  }

  get(fieldId: number): TermFrequencies | undefined {
    switch (fieldId) {
      case 0:
        return this.f0;
      case 1:
        return this.f1;
      case 2:
        return this.f2;
      case 3:
        return this.f3;
      default:
        return undefined;
    }
  }

  has(fieldId: number): boolean {
    return this.get(fieldId) !== undefined;
  }

  set(fieldId: number, postings: TermFrequencies): this {
    this.put(fieldId, postings);
    return this;
  }

  delete(fieldId: number): boolean {
    const had = this.has(fieldId);
    if (had) this.put(fieldId, undefined);
    return had;
  }

  private put(fieldId: number, postings: TermFrequencies | undefined): void {
    if (fieldId === 0) this.f0 = postings;
    else if (fieldId === 1) this.f1 = postings;
    else if (fieldId === 2) this.f2 = postings;
    else if (fieldId === 3) this.f3 = postings;
    else throw new RangeError(`field id ${fieldId} is past the ${MAX_FIELD_ID + 1} fields a term holds`);
  }

  entries(): IterableIterator<[number, TermFrequencies]> {
    const entries: [number, TermFrequencies][] = [];
    for (let fieldId = 0; fieldId <= MAX_FIELD_ID; fieldId++) {
      const postings = this.get(fieldId);
      if (postings) entries.push([fieldId, postings]);
    }
    return entries.values();
  }

  keys(): IterableIterator<number> {
    return [...this.entries()].map(([fieldId]) => fieldId).values();
  }

  values(): IterableIterator<TermFrequencies> {
    return [this.f0, this.f1, this.f2, this.f3].filter((postings): postings is TermFrequencies => postings !== undefined).values();
  }

  [Symbol.iterator](): IterableIterator<[number, TermFrequencies]> {
    return this.entries();
  }
}

/** Encoded terms (see encodeTerm) whose first character is a Latin letter a–z: 0061…007a. */
const LATIN_START = /^00(?:6[1-9a-f]|7[0-9a]).*/;

/**
 * The term dictionary as one Map instead of a radix tree of Maps. Prefix search is only ever
 * asked for Latin words (sanction → sanctions): those terms are also kept in a sorted array,
 * made on the first prefix search and kept in order as terms come and go; any other prefix
 * is answered by a scan.
 */
export class FlatTermIndex implements TermTree {
  private readonly terms = new Map<string, FieldTermData>();
  private latinSorted: string[] | undefined;

  get size(): number {
    return this.terms.size;
  }

  get(term: string): FieldTermData | undefined {
    return this.terms.get(term);
  }

  has(term: string): boolean {
    return this.terms.has(term);
  }

  set(term: string, data: FieldTermData): this {
    if (this.latinSorted && !this.terms.has(term) && LATIN_START.test(term)) {
      this.latinSorted.splice(lowerBound(this.latinSorted, term), 0, term);
    }
    this.terms.set(term, data);
    return this;
  }

  /** MiniSearch's SearchableMap.fetch: the term's data, made by `initial` when missing. */
  fetch(term: string, initial: () => FieldTermData): FieldTermData {
    let data = this.terms.get(term);
    if (!data) {
      data = initial();
      this.set(term, data);
    }
    return data;
  }

  delete(term: string): boolean {
    const had = this.terms.delete(term);
    if (had && this.latinSorted && LATIN_START.test(term)) {
      const at = lowerBound(this.latinSorted, term);
      if (this.latinSorted[at] === term) this.latinSorted.splice(at, 1);
    }
    return had;
  }

  *atPrefix(prefix: string): IterableIterator<[string, FieldTermData]> {
    if (!LATIN_START.test(prefix)) {
      for (const entry of [...this.terms]) if (entry[0].startsWith(prefix)) yield entry;
      return;
    }
    this.latinSorted ??= [...this.terms.keys()].filter((term) => LATIN_START.test(term)).sort();
    const matches: [string, FieldTermData][] = [];
    for (let at = lowerBound(this.latinSorted, prefix); at < this.latinSorted.length; at++) {
      const term = this.latinSorted[at]!;
      if (!term.startsWith(prefix)) break;
      matches.push([term, this.terms.get(term)!]);
    }
    yield* matches;
  }

  entries(): IterableIterator<[string, FieldTermData]> {
    return this.terms.entries();
  }

  keys(): IterableIterator<string> {
    return this.terms.keys();
  }

  values(): IterableIterator<FieldTermData> {
    return this.terms.values();
  }

  [Symbol.iterator](): IterableIterator<[string, FieldTermData]> {
    return this.terms.entries();
  }
}

/** The first index in a sorted array whose value is not below `value`. */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
