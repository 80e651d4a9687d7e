import { describe, expect, it } from 'vitest';
import { parseIdfTable } from '../../src/search/idf-table.js';

describe('parseIdfTable', () => {
  const table = parseIdfTable('漏洞 8.5\n补丁 9.25\nopenssh 13.1\n坏行\n空值 abc\n漏洞 7.5\n\n修复 6\n');

  it('finds each word’s value in place, the later line winning, malformed lines skipped', () => {
    expect(table.get('漏洞')).toBe(7.5);
    expect(table.get('补丁')).toBe(9.25);
    expect(table.get('openssh')).toBe(13.1);
    expect(table.get('修复')).toBe(6);
    expect(table.get('坏行')).toBeUndefined();
    expect(table.get('空值')).toBeUndefined();
    expect(table.get('漏')).toBeUndefined();
    expect(table.get('漏洞利用')).toBeUndefined();
    // As jieba averages: over every well-formed line, a word listed twice counted twice.
    expect(table.mean).toBeCloseTo((8.5 + 9.25 + 13.1 + 7.5 + 6) / 5);
  });

  it('reads quantiles of the values', () => {
    expect(table.quantile(0)).toBe(6);
    expect(table.quantile(0.99)).toBe(13.1);
    expect(parseIdfTable('').quantile(0.5)).toBeUndefined();
  });
});
