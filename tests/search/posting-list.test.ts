import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { decodeIndexInto, encodeIndex } from '../../src/search/index-codec.js';
import { miniSearchInternals } from '../../src/search/minisearch-internals.js';
import { COMPACT_FROM, PostingList, useCompactPostings } from '../../src/search/posting-list.js';
import { createScorer } from '../../src/search/query/scorer.js';

// Ids around chunk edges (65,536) and far apart, as well as dense small ones.
const IDS = [...Array.from({ length: 60 }, (_, i) => i), 65_534, 65_535, 65_536, 65_537, 131_071, 131_072, 300_000, 2 ** 32 - 1];

type Operation = { kind: 'set'; id: number; value: number } | { kind: 'delete'; id: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id: fc.constantFrom(...IDS), value: fc.integer({ min: 1, max: 70_000 }) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }),
);

describe('PostingList', () => {
  it('behaves like a Map kept in ascending key order, whatever is set and deleted (frequencies of 255 and up included)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const list = PostingList.withCapacity(2);
        const map = new Map<number, number>();
        for (const op of operations) {
          if (op.kind === 'set') {
            list.set(op.id, op.value);
            map.set(op.id, op.value);
          } else {
            expect(list.delete(op.id)).toBe(map.delete(op.id));
          }
        }
        const expected = [...map].sort((a, b) => a[0] - b[0]);
        expect([...list]).toEqual(expected);
        expect(list.size).toBe(map.size);
        for (const id of IDS) {
          expect(list.get(id)).toBe(map.get(id));
          expect(list.has(id)).toBe(map.has(id));
        }
      }),
    );
  });

  it('lets entries be deleted while it is being iterated (as MiniSearch vacuums)', () => {
    const list = PostingList.fromEntries([[1, 1], [2, 1], [3, 2], [4, 1]], 4);
    const seen: number[] = [];
    for (const [id] of list) {
      seen.push(id);
      list.delete(id);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(list.size).toBe(0);
  });

  it('grows in place within its room in a shared buffer, and copies itself out beyond it', () => {
    const lows = new Uint16Array([1, 2, 0, 0, 7, 8]);
    const frequencies = new Uint8Array([1, 1, 0, 0, 5, 5]);
    const first = new PostingList(lows.subarray(0, 4), frequencies.subarray(0, 4), 2);
    first.chunkHighs.push(0);
    first.chunkStarts.push(0);
    first.set(3, 2);
    first.set(4, 2);
    expect(lows.subarray(0, 4)).toEqual(new Uint16Array([1, 2, 3, 4]));
    first.set(5, 9);
    expect([...first]).toEqual([[1, 1], [2, 1], [3, 2], [4, 2], [5, 9]]);
    expect([...lows.subarray(4)]).toEqual([7, 8]);
    expect([...frequencies.subarray(4)]).toEqual([5, 5]);
  });

  it('keeps passage numbers beyond 65,536 apart in their chunks', () => {
    const ids = [5, 65_535, 65_536, 65_537, 200_000, 4_000_000_000];
    const list = PostingList.fromEntries(ids.map((id, i) => [id, i + 1]), 2);
    expect([...list.keys()]).toEqual(ids);
    expect(list.chunkHighs).toEqual([0, 1, 3, 61035]);
    expect(list.delete(65_536)).toBe(true);
    expect(list.delete(65_537)).toBe(true);
    expect(list.chunkHighs).toEqual([0, 3, 61035]);
    expect(list.get(200_000)).toBe(5);
    expect(list.get(65_537)).toBeUndefined();
    list.set(70_000, 9);
    expect([...list]).toEqual([[5, 1], [65_535, 2], [70_000, 9], [200_000, 5], [4_000_000_000, 6]]);
  });
});

describe('MiniSearch with compact postings', () => {
  const words = ['出口', '管制', '盟国', '东芝', '苏联', '芯片', '荷兰', '日本'];
  const documents = Array.from({ length: 120 }, (_, i) => ({
    id: `d${i}`,
    text: words.filter((_, w) => (i * (w + 3)) % (w + 2) === 0 || i % 7 === w).join(' ') + (i % 5 === 0 ? ' 出口 出口' : ''),
  }));
  const create = (compact: boolean) => {
    const mini = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], tokenize: (t) => t.split(' ').filter(Boolean) });
    if (compact) useCompactPostings(mini);
    mini.addAll(documents);
    return mini;
  };

  it('converts long lists and answers MiniSearch searches exactly as its own Maps do, before and after removals', () => {
    const plain = create(false);
    const compact = create(true);
    const postings = miniSearchInternals(compact)._index.get('出口')?.get(0);
    expect(postings).toBeInstanceOf(PostingList);
    expect(postings!.size).toBeGreaterThanOrEqual(COMPACT_FROM);
    for (const mini of [plain, compact]) for (const doc of documents.slice(10, 40)) mini.remove(doc);
    for (const word of words) {
      const expected = plain.search(word).map((r) => [r.id, r.score]);
      expect(compact.search(word).map((r) => [r.id, r.score])).toEqual(expected);
    }
  });

  it("scores a one-word query with MiniSearch's own BM25 numbers", () => {
    const mini = create(true);
    const scorer = createScorer(miniSearchInternals(mini), { k: 1.2, b: 0.7, d: 0.5 });
    for (const word of words) {
      const ours = scorer.topDocuments([[{ terms: [word], prefix: false, fields: new Map([[0, 1]]), boost: 1 }]], 200);
      const theirs = mini.search(word, { bm25: { k: 1.2, b: 0.7, d: 0.5 } });
      expect(ours.map((d) => miniSearchInternals(mini)._documentIds.get(d.shortId))).toEqual(theirs.map((r) => r.id));
      ours.forEach((d, i) => expect(d.score).toBeCloseTo(theirs[i]!.score, 9));
    }
  });

  it('counts a passage once per question word, and requires every piece of a split name', () => {
    const mini = create(true);
    const scorer = createScorer(miniSearchInternals(mini), { k: 1.2, b: 0.7, d: 0.5 });
    const clause = (terms: string[]) => ({ terms, prefix: false, fields: new Map([[0, 1]]), boost: 1 });
    const both = scorer.topDocuments([[clause(['东芝', '苏联'])]], 200);
    const idsOf = (docs: { shortId: number }[]) => docs.map((d) => miniSearchInternals(mini)._documentIds.get(d.shortId)).sort();
    const withBoth = documents.filter((d) => d.text.split(' ').includes('东芝') && d.text.split(' ').includes('苏联')).map((d) => d.id).sort();
    expect(withBoth.length).toBeGreaterThan(0);
    expect(idsOf(both)).toEqual(withBoth);
    // Two words: a passage with both scores its sum times two.
    const [top] = scorer.topDocuments([[clause(['东芝'])], [clause(['苏联'])]], 1);
    const single = (word: string) => scorer.topDocuments([[clause([word])]], 200).find((d) => d.shortId === top!.shortId)?.score ?? 0;
    expect(top!.score).toBeCloseTo(2 * (single('东芝') + single('苏联')), 9);
  });
});

describe('the index codec', () => {
  it('round-trips an index exactly, frequencies of 255 and more included', () => {
    const options = { fields: ['text'], tokenize: (t: string) => t.split(' ').filter(Boolean) };
    const documents = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, text: i === 7 ? Array(300).fill('出口').join(' ') : `出口 管制 d${i % 3}` }));
    const original = new MiniSearch<{ id: string; text: string }>(options);
    useCompactPostings(original);
    original.addAll(documents);
    original.remove(documents[3]!);
    const encoded = encodeIndex(miniSearchInternals(original));
    const copy = MiniSearch.loadJS<{ id: string; text: string }>(
      { documentCount: encoded.meta.documentCount, nextId: encoded.meta.nextId, documentIds: {}, fieldIds: encoded.meta.fieldIds, fieldLength: {}, averageFieldLength: encoded.meta.averageFieldLength, storedFields: {}, dirtCount: 0, index: [], serializationVersion: 2 },
      options,
    );
    decodeIndexInto(miniSearchInternals(copy), encoded);
    expect(miniSearchInternals(copy)._index.get('出口')?.get(0)?.get(miniSearchInternals(copy)._idToShortId.get('d7')!)).toBe(300);
    for (const q of ['出口', '管制', 'd1', '出口 d2']) expect(copy.search(q)).toEqual(original.search(q));
    // The copy keeps working as an index: add and remove, as the original does.
    for (const mini of [original, copy]) {
      mini.add({ id: 'new', text: '出口 出口 新' });
      mini.remove(documents[8]!);
    }
    for (const q of ['出口', '新', '管制']) expect(copy.search(q)).toEqual(original.search(q));
  });
});
