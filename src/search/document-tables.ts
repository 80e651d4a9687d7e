import type MiniSearch from 'minisearch';
import { miniSearchInternals, type NumberKeyedTable } from './minisearch-internals.js';

// MiniSearch keeps two tables keyed by passage number: its id, and its length in each field.
// As Maps they cost ~45 bytes an entry, and each length row is an array push() made room in
// for 17 numbers (~185 bytes): 75 MB at 322,000 passages. Passage numbers are dense (they
// only grow), so arrays indexed by them hold the same in a fraction of that.

/** A Map from passage number to value, kept in an array indexed by the number; iterates in number order. */
export class DenseIdMap<V> implements NumberKeyedTable<V> {
  private readonly slots: (V | undefined)[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): V | undefined {
    return this.slots[id];
  }

  has(id: number): boolean {
    return this.slots[id] !== undefined;
  }

  set(id: number, value: V): this {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`passage number ${id} is not a whole number ≥ 0`);
    if (value === undefined) throw new TypeError('DenseIdMap holds no undefined values');
    if (this.slots[id] === undefined) this.count++;
    // Filling up to the id keeps the array packed (holes would make V8 fall back to a dictionary).
    while (this.slots.length < id) this.slots.push(undefined);
    this.slots[id] = value;
    return this;
  }

  delete(id: number): boolean {
    if (this.slots[id] === undefined) return false;
    this.slots[id] = undefined;
    this.count--;
    return true;
  }

  clear(): void {
    this.slots.length = 0;
    this.count = 0;
  }

  *entries(): IterableIterator<[number, V]> {
    for (let id = 0; id < this.slots.length; id++) {
      const value = this.slots[id];
      if (value !== undefined) yield [id, value];
    }
  }

  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(each: (value: V, id: number) => void): void {
    for (const [id, value] of this.entries()) each(value, id);
  }

  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.entries();
  }
}

const NO_LENGTH = 0xffffffff;

/**
 * Field lengths per passage number in one typed array per field. Answers MiniSearch's Map
 * methods with rows made on demand (`get` returns a fresh array: write with `setLength`).
 */
export class FieldLengthTable implements NumberKeyedTable<number[]> {
  private columns: Uint32Array[];
  private count = 0;
  private present: Uint8Array;

  constructor(readonly fieldCount: number) {
    this.columns = Array.from({ length: fieldCount }, () => new Uint32Array(1024).fill(NO_LENGTH));
    this.present = new Uint8Array(1024);
  }

  get size(): number {
    return this.count;
  }

  private growTo(id: number): void {
    if (id < this.present.length) return;
    const capacity = Math.max(id + 1, Math.ceil(this.present.length * 1.5));
    this.columns = this.columns.map((column) => {
      const grown = new Uint32Array(capacity).fill(NO_LENGTH);
      grown.set(column);
      return grown;
    });
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.present = present;
  }

  /** The length of field `fieldId` of passage `id` (undefined when not recorded). */
  lengthOf(id: number, fieldId: number): number | undefined {
    const length = this.columns[fieldId]?.[id];
    return length === undefined || length === NO_LENGTH ? undefined : length;
  }

  setLength(id: number, fieldId: number, length: number): void {
    const column = this.columns[fieldId];
    if (!column) throw new RangeError(`field id ${fieldId} is past the ${this.fieldCount} fields of the index`);
    if (!Number.isInteger(length) || length < 0 || length >= NO_LENGTH) throw new RangeError(`field length ${length} does not fit`);
    this.growTo(id);
    if (!this.present[id]) {
      this.present[id] = 1;
      this.count++;
    }
    this.columns[fieldId]![id] = length;
  }

  get(id: number): number[] | undefined {
    if (!this.present[id]) return undefined;
    const row: number[] = [];
    for (let f = 0; f < this.fieldCount; f++) {
      const length = this.lengthOf(id, f);
      if (length !== undefined) row[f] = length;
    }
    return row;
  }

  has(id: number): boolean {
    return this.present[id] === 1;
  }

  set(id: number, row: readonly (number | undefined)[]): this {
    this.delete(id);
    this.growTo(id);
    this.present[id] = 1;
    this.count++;
    row.forEach((length, fieldId) => {
      if (length !== undefined) this.setLength(id, fieldId, length);
    });
    return this;
  }

  delete(id: number): boolean {
    if (!this.present[id]) return false;
    this.present[id] = 0;
    for (const column of this.columns) column[id] = NO_LENGTH;
    this.count--;
    return true;
  }

  *entries(): IterableIterator<[number, number[]]> {
    for (let id = 0; id < this.present.length; id++) if (this.present[id]) yield [id, this.get(id)!];
  }

  [Symbol.iterator](): IterableIterator<[number, number[]]> {
    return this.entries();
  }
}

/**
 * Makes a MiniSearch instance keep its passage ids and field lengths in the dense tables
 * above, with its own addFieldLength writing to them. Call it before any passage is added.
 */
export function useDenseDocumentTables<T>(mini: MiniSearch<T>): void {
  const inside = miniSearchInternals(mini);
  if (inside._documentIds instanceof DenseIdMap) return;
  if (inside._documentIds.size) throw new Error('useDenseDocumentTables must be called before any passage is added');
  const lengths = new FieldLengthTable(Object.keys(inside._fieldIds).length);
  inside._documentIds = new DenseIdMap<string>();
  inside._fieldLength = lengths;
  inside.addFieldLength = (documentId: number, fieldId: number, count: number, length: number): void => {
    lengths.setLength(documentId, fieldId, length);
    // MiniSearch's running average, as in its own addFieldLength.
    const average = inside._avgFieldLength[fieldId] || 0;
    inside._avgFieldLength[fieldId] = (average * count + length) / (count + 1);
  };
}
