import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../src/library.js';
import { DEFAULT_RANKING } from '../../src/search/search-index.js';
import { tempDir } from '../notices/helpers.js';

// One article whose editor's note lists links to other articles on the same subject as its text.
const ARTICLE = `---
title: 半导体设备的出口
url: https://example.com/a
---
**编者按：**

围绕光刻机，本公众号曾发表文章：

1. [光刻机出口管制的由来](https://example.com/1)
2. [荷兰光刻机出口管制新规](https://example.com/2)
3. [日本跟进光刻机出口管制](https://example.com/3)

正文

荷兰政府在今年宣布了新的规定，对先进光刻机的出口实行许可证管理。这项光刻机出口管制措施要求企业在向特定国家发货之前提交申请，并说明最终用户和用途，审查期限通常为八周。
`;

describe('reading lists (links to other articles)', () => {
  const { dir, cleanup } = tempDir('reading-');
  afterAll(cleanup);
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, 'a.md'), ARTICLE);
  const topHeading = (weight: number, question: string) =>
    openLibrary(corpusDir, { ranking: { ...DEFAULT_RANKING, readingListWeight: weight } }).library.answer(question).results[0]?.heading;

  it('rank below the article\'s own text for a question about the subject', () => {
    // Scored as any passage, the list, which says 光刻机出口管制 three times, would come first.
    expect(topHeading(1, '光刻机出口管制')).toBe('编者按');
    expect(topHeading(DEFAULT_RANKING.readingListWeight, '光刻机出口管制')).toBe('正文');
  });

  it('come first when the question asks for articles to read', () => {
    expect(topHeading(DEFAULT_RANKING.readingListWeight, '光刻机出口管制的相关文章有哪些')).toBe('编者按');
  });
});
