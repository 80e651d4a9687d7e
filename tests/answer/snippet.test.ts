import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSnippet, findMatches, SNIPPET_CHARS } from '../../src/answer/snippet.js';

const long = '第一句话讲的是背景，没有关键词。'.repeat(8) + '东芝公司同意提供机器，并与康斯伯格合作。' + '最后一句话也很长，没有关键词。'.repeat(8);

describe('buildSnippet', () => {
  it('keeps a short paragraph whole and highlights the matched words', () => {
    const s = buildSnippet('东芝和康斯伯格受到制裁。', ['东芝', '康斯伯格']);
    expect(s.text).toBe('东芝和康斯伯格受到制裁。');
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['东芝', '康斯伯格']);
  });

  it('crops a long paragraph around the match, on a sentence boundary, with ellipses', () => {
    const s = buildSnippet(long, ['康斯伯格']);
    expect(s.text.length).toBeLessThanOrEqual(SNIPPET_CHARS + 2);
    expect(s.text).toContain('康斯伯格');
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    // The window opens at the start of a sentence.
    expect(s.text.slice(1)).toMatch(/^(第一句话|东芝)/);
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['康斯伯格']);
  });

  it('shows the part holding most of the distinct weighted words, not where a common word repeats', () => {
    const opening = '中国和美国的关系，美国对中国的政策，中国对美国的回应，美国和中国的竞争。'.repeat(3);
    const middle = '这一段讲的是别的事情，没有问题里的词。'.repeat(6);
    const answer = '中国利用西方技术发展了多种武器系统。';
    const weights = new Map([
      ['中国', { group: 0, weight: 4 }],
      ['美国', { group: 1, weight: 4 }],
      ['西方技术', { group: 2, weight: 12 }],
      ['武器', { group: 3, weight: 10 }],
    ]);
    const words = [...weights.keys()];
    const weighted = buildSnippet(opening + middle + answer, words, SNIPPET_CHARS, undefined, weights);
    expect(weighted.text).toContain(answer);
    // Counting characters instead, the opening's many repeats win.
    expect(buildSnippet(opening + middle + answer, words).text).not.toContain(answer);
  });

  it('crops a list at the start of an item, not in the middle of one', () => {
    const items = Array.from({ length: 12 }, (_, i) => `${i + 1}. 美国出口管制制度系列文章之${i + 1}：第${i + 1}篇的题目`).join('\n');
    const s = buildSnippet(`围绕出口管制，本公众号曾发表文章：\n${items}\n13. 苏联油气管道的事件`, ['苏联']);
    expect(s.text).toContain('苏联');
    expect(s.text).toMatch(/^…\d+\. /);
  });

  it('highlights full-width, traditional and upper-case spellings of a normalised word', () => {
    const text = 'ＣＯＣＯＭ與東芝';
    const ranges = findMatches(text, ['cocom', '东芝']);
    expect(ranges.map(([a, b]) => text.slice(a, b))).toEqual(['ＣＯＣＯＭ', '東芝']);
  });

  it('matches Latin words only on word boundaries', () => {
    expect(findMatches('He said so', ['ai'])).toEqual([]);
    expect(findMatches('AI and chips', ['ai'])).toEqual([[0, 2]]);
  });

  it('keeps highlights in range, sorted and apart, and never splits an emoji', () => {
    const piece = fc.constantFrom('东芝', '康斯伯格', '😀', '。', '出口管制', 'a', '🇨🇳', '，', '美国');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 300 }), fc.subarray(['东芝', '康斯伯格', '美国']), (pieces, words) => {
        const s = buildSnippet(pieces.join(''), words);
        expect(s.text.length).toBeLessThanOrEqual(SNIPPET_CHARS + 2);
        let last = 0;
        for (const [a, b] of s.highlights) {
          expect(a).toBeGreaterThanOrEqual(last);
          expect(b).toBeGreaterThan(a);
          expect(b).toBeLessThanOrEqual(s.text.length);
          expect(words).toContain(s.text.slice(a, b));
          last = b;
        }
        expect(s.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        expect(s.text.replace('…', '')).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
      { numRuns: 300 },
    );
  });
});
