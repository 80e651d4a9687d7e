import { describe, expect, it } from 'vitest';
import { createTokenizer, keywordsOf } from '../../src/search/tokenizer.js';

describe('keywordsOf (jieba TF-IDF key words over the tokenizer’s IDF table)', () => {
  const tokenizer = createTokenizer();

  it('weighs each word by its count times its IDF, heaviest first, and keeps topN', () => {
    const text = '出口管制是美国的政策。出口管制影响芯片。芯片制造商担心出口管制。';
    const keywords = keywordsOf(text, 3);
    expect(keywords).toHaveLength(3);
    const weights = keywords.map((k) => k.weight);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
    const chip = keywordsOf(text, 20).find((k) => k.word === '芯片');
    expect(chip?.weight).toBeCloseTo(2 * tokenizer.idf('芯片'));
  });

  it('leaves out single characters, jieba’s stop words and whitespace', () => {
    const words = keywordsOf('我们的 的的的 了 漏洞\n\n漏洞 而且 补丁', 20).map((k) => k.word);
    expect(words).toContain('漏洞');
    expect(words).toContain('补丁');
    for (const dropped of ['的', '了', '我们', '而且', '\n\n']) expect(words).not.toContain(dropped);
  });

  it('has nothing to say about an empty text', () => {
    expect(keywordsOf('', 5)).toEqual([]);
  });
});
