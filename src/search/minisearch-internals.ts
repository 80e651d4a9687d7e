import MiniSearch from 'minisearch';

/** What a term's postings in one field look like: a Map, or a PostingList behind the same methods. */
export interface TermFrequencies {
  readonly size: number;
  get(shortId: number): number | undefined;
  set(shortId: number, frequency: number): unknown;
  delete(shortId: number): boolean;
  has(shortId: number): boolean;
  keys(): IterableIterator<number>;
  [Symbol.iterator](): IterableIterator<[number, number]>;
}

/** Per term: field id → postings (a Map in MiniSearch; TermFields here, see compact-terms.ts). */
export interface FieldTermData {
  readonly size: number;
  get(fieldId: number): TermFrequencies | undefined;
  set(fieldId: number, postings: TermFrequencies): unknown;
  delete(fieldId: number): boolean;
  has(fieldId: number): boolean;
  keys(): IterableIterator<number>;
  values(): IterableIterator<TermFrequencies>;
  [Symbol.iterator](): IterableIterator<[number, TermFrequencies]>;
}

/** A table keyed by passage number: a Map in MiniSearch, a dense table here (see document-tables.ts). */
export interface NumberKeyedTable<V> {
  readonly size: number;
  get(id: number): V | undefined;
  set(id: number, value: V): unknown;
  has(id: number): boolean;
  delete(id: number): boolean;
  [Symbol.iterator](): IterableIterator<[number, V]>;
}

/** MiniSearch's radix tree, as far as it and we use it (a FlatTermIndex here, see compact-terms.ts). */
export interface TermTree {
  get(term: string): FieldTermData | undefined;
  set(term: string, data: FieldTermData): unknown;
  has(term: string): boolean;
  delete(term: string): boolean;
  fetch(term: string, initial: () => FieldTermData): FieldTermData;
  atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
  [Symbol.iterator](): IterableIterator<[string, FieldTermData]>;
  readonly size: number;
}

/**
 * The parts of a MiniSearch instance this project reads and writes directly: the term index
 * (for compact postings, a faster scorer and a binary snapshot) and the per-document tables.
 * They are private in MiniSearch's types, so the package is pinned to one minor version and
 * `miniSearchInternals` checks their shape at run time rather than failing quietly.
 */
export interface MiniSearchInternals {
  _index: TermTree;
  _documentCount: number;
  _nextId: number;
  _dirtCount: number;
  _documentIds: NumberKeyedTable<string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: NumberKeyedTable<number[]>;
  _avgFieldLength: number[];
  _storedFields: Map<number, Record<string, unknown> | undefined>;
  addTerm(fieldId: number, shortId: number, term: string): void;
  addFieldLength(documentId: number, fieldId: number, count: number, length: number): void;
}

export function miniSearchInternals<T>(mini: MiniSearch<T>): MiniSearchInternals {
  const inside = mini as unknown as MiniSearchInternals;
  const ok =
    typeof inside._index?.get === 'function' &&
    typeof inside._index?.atPrefix === 'function' &&
    typeof inside._documentIds?.get === 'function' &&
    inside._idToShortId instanceof Map &&
    typeof inside._fieldLength?.get === 'function' &&
    inside._storedFields instanceof Map &&
    Array.isArray(inside._avgFieldLength) &&
    typeof inside._nextId === 'number' &&
    typeof inside._documentCount === 'number' &&
    typeof inside.addTerm === 'function' &&
    typeof inside.addFieldLength === 'function';
  if (!ok) throw new Error('this MiniSearch version keeps its index differently: pin minisearch to 7.2.x');
  return inside;
}
