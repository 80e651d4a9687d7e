import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlatTermIndex, ShortPostings, TermFields } from '../../src/search/compact-terms.js';
import { encodeTerm } from '../../src/search/search-index.js';

type Op = { kind: 'set'; id: number; value: number } | { kind: 'delete'; id: number };
const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 0, max: 20 }), value: fc.integer({ min: 1, max: 300 }) }),
    fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 20 }) }),
  ),
  { maxLength: 60 },
);

describe('ShortPostings', () => {
  it('answers like the Map it replaces, order of insertion included, whatever is set and deleted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), ops, (first, steps: Op[]) => {
        const postings = new ShortPostings(first, 1);
        const model = new Map([[first, 1]]);
        for (const step of steps) {
          if (step.kind === 'set') {
            postings.set(step.id, step.value);
            model.set(step.id, step.value);
          } else {
            expect(postings.delete(step.id)).toBe(model.delete(step.id));
          }
          expect(postings.size).toBe(model.size);
          expect([...postings]).toEqual([...model]);
        }
        for (let id = 0; id <= 20; id++) {
          expect(postings.get(id)).toBe(model.get(id));
          expect(postings.has(id)).toBe(model.has(id));
        }
        expect([...postings.keys()]).toEqual([...model.keys()]);
      }),
    );
  });
});

describe('TermFields', () => {
  it('holds one list per field id, and refuses a field it has no slot for', () => {
    const fields = new TermFields();
    const words = new ShortPostings(7, 2);
    fields.set(0, words);
    fields.set(3, new ShortPostings(1, 1));
    expect(fields.size).toBe(2);
    expect(fields.get(0)).toBe(words);
    expect([...fields.keys()]).toEqual([0, 3]);
    expect(fields.delete(0)).toBe(true);
    expect(fields.delete(0)).toBe(false);
    expect(fields.has(0)).toBe(false);
    expect(fields.size).toBe(1);
    expect(() => fields.set(4, words)).toThrow(RangeError);
  });
});

describe('FlatTermIndex', () => {
  const words = ['sanction', 'sanctions', 'sanctioned', 'san', 'sql', 'ssh', 'openssh', 'cve-2024-6387', '漏洞', '漏洞利用', 'a', 'zz', '9.8p1'];

  it('finds by prefix exactly what a scan finds, as terms come and go', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ add: fc.boolean(), word: fc.constantFrom(...words) }), { maxLength: 40 }),
        fc.constantFrom('san', 'sanction', 's', 'open', 'cve', '漏洞', 'zz', '9.8'),
        (steps, prefix) => {
          const index = new FlatTermIndex();
          const model = new Set<string>();
          // Ask once early, so the sorted Latin terms exist and are kept in order from then on.
          [...index.atPrefix(encodeTerm('s'))];
          for (const { add, word } of steps) {
            const term = encodeTerm(word);
            if (add) {
              index.fetch(term, () => new TermFields());
              model.add(term);
            } else {
              expect(index.delete(term)).toBe(model.delete(term));
            }
          }
          const encoded = encodeTerm(prefix);
          const found = [...index.atPrefix(encoded)].map(([term]) => term).sort();
          expect(found).toEqual([...model].filter((term) => term.startsWith(encoded)).sort());
          expect(index.size).toBe(model.size);
        },
      ),
    );
  });
});
