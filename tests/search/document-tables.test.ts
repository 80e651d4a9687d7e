import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { DenseIdMap, FieldLengthTable, useDenseDocumentTables } from '../../src/search/document-tables.js';
import { miniSearchInternals } from '../../src/search/minisearch-internals.js';

type Step = { kind: 'set'; id: number; value: number } | { kind: 'delete'; id: number };
const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 0, max: 3000 }), value: fc.integer({ min: 0, max: 1000 }) }),
    fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 3000 }) }),
  ),
  { maxLength: 80 },
);
const byId = <T>(entries: Iterable<[number, T]>) => [...entries].sort((a, b) => a[0] - b[0]);

describe('DenseIdMap', () => {
  it('answers like a Map keyed by passage number, whatever is set and deleted', () => {
    fc.assert(
      fc.property(steps, (todo: Step[]) => {
        const dense = new DenseIdMap<string>();
        const model = new Map<number, string>();
        for (const step of todo) {
          if (step.kind === 'set') {
            dense.set(step.id, `p${step.value}`);
            model.set(step.id, `p${step.value}`);
          } else {
            expect(dense.delete(step.id)).toBe(model.delete(step.id));
          }
          expect(dense.size).toBe(model.size);
        }
        expect([...dense]).toEqual(byId(model));
        for (const [id, value] of model) expect(dense.get(id)).toBe(value);
        expect(dense.has(3001)).toBe(false);
      }),
    );
  });

  it('refuses a key that is not a passage number', () => {
    expect(() => new DenseIdMap<string>().set(-1, 'x')).toThrow(RangeError);
    expect(() => new DenseIdMap<string>().set(1.5, 'x')).toThrow(RangeError);
  });
});

describe('FieldLengthTable', () => {
  it('keeps each passage’s row of field lengths like a Map of arrays, across growth and deletes', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: 3 }), (todo: Step[], field) => {
        const table = new FieldLengthTable(4);
        const model = new Map<number, number[]>();
        for (const step of todo) {
          if (step.kind === 'set') {
            const row = model.get(step.id) ?? [];
            row[field] = step.value;
            model.set(step.id, row);
            table.setLength(step.id, field, step.value);
          } else {
            expect(table.delete(step.id)).toBe(model.delete(step.id));
          }
        }
        expect(table.size).toBe(model.size);
        expect([...table]).toEqual(byId(model));
      }),
    );
  });

  it('refuses a field past its columns and a length that does not fit', () => {
    const table = new FieldLengthTable(2);
    expect(() => table.setLength(0, 2, 1)).toThrow(RangeError);
    expect(() => table.setLength(0, 0, 2 ** 32)).toThrow(RangeError);
  });
});

describe('useDenseDocumentTables', () => {
  it('leaves MiniSearch searching, removing and averaging field lengths as before', () => {
    const docs = [
      { id: 'a', text: 'openssh regreSSHion remote code execution' },
      { id: 'b', text: 'openssh 9.8p1 fixes it' },
      { id: 'c', text: 'libxml2 external entities' },
    ];
    const plain = new MiniSearch({ fields: ['text'] });
    const dense = new MiniSearch({ fields: ['text'] });
    useDenseDocumentTables(dense);
    for (const mini of [plain, dense]) {
      mini.addAll(docs);
      mini.remove(docs[0]!);
      mini.add({ id: 'd', text: 'openssh again' });
    }
    expect(dense.search('openssh')).toEqual(plain.search('openssh'));
    expect(miniSearchInternals(dense)._avgFieldLength).toEqual(miniSearchInternals(plain)._avgFieldLength);
    expect([...miniSearchInternals(dense)._documentIds]).toEqual([...miniSearchInternals(plain)._documentIds]);
  });
});
