import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleError, EDITORS_NOTE_HEADING, LEAD_HEADING } from '../../src/corpus/article.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { parseArticle, stripInlineMarkdown } from '../../src/corpus/parse-article.js';

const FIXTURES = 'tests/fixtures/articles';
const fixture = (name: string) => parseArticle(name, readFileSync(join(FIXTURES, name)));
const seedFile = 'corpus/2023-01-26-export-controls-return.md';
const seed = parseArticle('seed.md', readFileSync(seedFile));

function parseError(name: string, bytes: Uint8Array | string): ArticleError {
  try {
    parseArticle(name, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ArticleError);
    return error as ArticleError;
  }
  throw new Error(`${name} parsed without an error`);
}

describe('parseArticle on the seed article', () => {
  it('reads title, url, source and date from the front matter', () => {
    expect(seed.title).toBe('出口管制的回归：一个需要盟国合作的风险策略（外专观点）');
    expect(seed.url).toMatch(/^https:\/\/mp\.weixin\.qq\.com\//);
    expect(seed.source).toBe('网安寻路人');
    expect(seed.date).toBe('2023-01-26');
  });

  it('finds the plain short lines standing alone as section headings, in order', () => {
    const body = seed.sections.map((s) => s.heading).filter((h) => h !== LEAD_HEADING && h !== EDITORS_NOTE_HEADING);
    expect(body).toEqual(['合作的种子', '糟糕的时机', '一个新的世界', '团结一致']);
  });

  it('cites paragraphs before the first heading as the lead, never under a later section', () => {
    const lead = seed.sections.find((s) => s.heading === LEAD_HEADING);
    expect(lead?.paragraphs.some((p) => p.startsWith('1987年7月1日'))).toBe(true);
    const first = seed.sections.find((s) => s.heading === '合作的种子');
    expect(first?.paragraphs.some((p) => p.startsWith('1987年7月1日'))).toBe(false);
  });

  it('keeps the editor\'s note with its link titles as text and without URLs', () => {
    const note = seed.sections.find((s) => s.heading === EDITORS_NOTE_HEADING);
    const text = note?.paragraphs.join('\n') ?? '';
    expect(text).toContain('供应链安全 | 白宫发布关于降低依赖外国对手的重要矿产的行政令');
    expect(text).toContain('围绕供应链安全，本公众号曾发表文章：');
    expect(text).not.toMatch(/https?:|mp\.weixin|\]\(/);
  });

  it('marks the editor\'s lists of links to other articles as reading lists, and nothing else', () => {
    const lists = seed.sections.flatMap((s) => s.readingLists ?? []);
    const marked = seed.sections.flatMap((s) => (s.readingLists ?? []).map((r) => s.paragraphs[r.paragraph] ?? ''));
    expect(marked).toHaveLength(2);
    expect(marked.every((p) => p.includes('本公众号曾发表文章'))).toBe(true);
    // Each item keeps its link, its text as the paragraph shows it.
    expect(lists.map((r) => r.links.length)).toEqual([4, 11]);
    const soviet = lists[1]!.links[2]!;
    expect(soviet.text).toBe('美国出口管制制度系列文章之三：苏联油气管道的“华为”事件');
    expect(soviet.url).toMatch(/^http:\/\/mp\.weixin\.qq\.com\/s\?__biz=MzIxODM0NDU4MQ==&mid=2247488702&/);
    for (const r of lists) for (const link of r.links) expect(marked.some((p) => p.includes(link.text))).toBe(true);
    const article = parseArticle(
      'lists.md',
      new TextEncoder().encode(
        '---\ntitle: 清单\nurl: https://example.com/l\n---\n三个步骤：\n\n1. 申请许可证\n2. 等待审查\n3. 出口\n\n延伸阅读：\n\n- [光刻机出口管制](https://example.com/1)\n- [芯片法案](https://example.com/2)；\n- 另见下期\n\n这份清单之后，文章还在继续讲许可证的审查流程和时间。\n',
      ),
    );
    const lead = article.sections[0]!;
    expect(lead.paragraphs).toHaveLength(3);
    expect(lead.readingLists).toEqual([
      { paragraph: 1, links: [{ text: '光刻机出口管制', url: 'https://example.com/1' }, { text: '芯片法案', url: 'https://example.com/2' }] },
    ]);
  });

  it('drops a list of links that only ends the page (read next, past issues)', () => {
    const article = parseArticle(
      'tail.md',
      new TextEncoder().encode(
        '---\ntitle: 尾巴\nurl: https://example.com/t\n---\n这是一篇文章的正文，讲述出口管制的历史和今天的做法。\n\n往期推荐\n\n- [光刻机出口管制](https://example.com/1)\n- [芯片法案](https://example.com/2)\n- [瓦森纳安排](https://example.com/3)\n',
      ),
    );
    expect(article.sections.flatMap((s) => s.paragraphs)).toEqual(['这是一篇文章的正文，讲述出口管制的历史和今天的做法。']);
  });

  it('indexes no image lines, repeated titles, author or account lines', () => {
    const all = seed.sections.flatMap((s) => s.paragraphs);
    expect(all.some((p) => p.includes('cover_image') || p.includes('mmbiz'))).toBe(false);
    expect(all).not.toContain(seed.title);
    expect(all).not.toContain('洪延青');
    expect(all).not.toContain('网安寻路人');
  });
});

describe('parseArticle on other shapes', () => {
  it('takes Markdown and bold-line headings, and skips the byline under the title', () => {
    const article = fixture('good-markdown-headings.md');
    expect(article.sections.map((s) => s.heading)).toEqual([LEAD_HEADING, '第一部分', '第二部分']);
    expect(article.sections[0]?.paragraphs).toEqual(['这是导语的第一段，介绍芯片出口管制的背景。']);
    expect(article.date).toBe('2024-03-05');
  });

  it('gives the same id to the same path and a new content hash to new content', () => {
    const a = parseArticle('x/a.md', new TextEncoder().encode('---\ntitle: A\nurl: https://e.com/a\n---\n正文一。\n'));
    const b = parseArticle('x/a.md', new TextEncoder().encode('---\ntitle: A\nurl: https://e.com/a\n---\n正文二。\n'));
    expect(a.id).toBe(b.id);
    expect(a.contentHash).not.toBe(b.contentHash);
  });
});

describe('pathological lines', () => {
  // Each of these took quadratic time in an inline-Markdown pattern (seconds per 100,000
  // characters, minutes for a 1 MB line): the test times out if one comes back.
  it.each([
    ['a run of [', `1. ${'['.repeat(200_000)}`],
    ['unclosed links', `- ${'[x]('.repeat(60_000)}`],
    ['unclosed images', '!['.repeat(100_000)],
    ['unclosed tags', '<a'.repeat(100_000)],
    ['unclosed autolinks', '<http://x'.repeat(40_000)],
    ['unclosed tables', '<table><tr><td>单元格'.repeat(40_000)],
    ['table tags without an end', '<table'.repeat(100_000)],
  ])('parse quickly: %s', (_name, line) => {
    const article = parseArticle('odd.md', new TextEncoder().encode(`---\ntitle: 怪\nurl: https://example.com/odd\n---\n${line}\n\n这是正常的一段文字，后面还有更多的内容。\n`));
    expect(article.sections.flatMap((s) => s.paragraphs)).toContain('这是正常的一段文字，后面还有更多的内容。');
  });

  it('still reads links, images with titles and autolinks', () => {
    const line = '见[《出口管制》](https://example.com/a "标题")和![图](https://example.com/i.png "说明")以及<https://example.com/b>。';
    expect(stripInlineMarkdown(line)).toBe('见《出口管制》和以及。');
  });

  it('drops a bare URL and only the URL, when Chinese text follows it with no space', () => {
    const line = '通过访问 http://admin.target:8443/admin/incident-report，我可以下载最新的日志文件，并在其中找到 RCE 的输出！';
    expect(stripInlineMarkdown(line)).toBe('通过访问 ，我可以下载最新的日志文件，并在其中找到 RCE 的输出！');
    expect(stripInlineMarkdown('项目地址：https://github.com/owner/repo?tab=readme#usage（已归档）')).toBe('项目地址：（已归档）');
  });
});

describe('files that are not what the front-matter format expects', () => {
  it('reads front matter that is not valid YAML line by line', () => {
    const article = fixture('bad-yaml.md');
    expect(article.title).toBe('"unterminated');
    expect(article.url).toBe('https://example.com/x');
    const colon = parseArticle('colon.md', new TextEncoder().encode('---\ntitle: Update: the new release\nurl: https://e.com/u\nextra: [oops\n---\n正文内容。\n'));
    expect(colon.title).toBe('Update: the new release');
  });

  it('takes a missing title from the first heading, else from the file name', () => {
    expect(fixture('no-title.md').title).toBe('no title');
    expect(parseArticle('x.md', new TextEncoder().encode('---\nurl: https://e.com/a\n---\n# 标题在这里\n\n正文内容。\n')).title).toBe('标题在这里');
  });

  it('cites an article without a link, or with a link that is not one, without a link', () => {
    expect(fixture('no-url.md').url).toBe('');
    expect(fixture('bad-url.md').url).toBe('');
  });

  it('serves a post with a title and no text (all images) by its title; refuses one with neither', () => {
    const article = fixture('only-front-matter.md');
    expect(article.sections.flatMap((s) => s.paragraphs)).toEqual(['没有正文']);
    expect(parseError('images.md', '![](https://e.com/a.png)\n\n![](https://e.com/b.png)\n').message).toMatch(/^images\.md: the article has no title and no text/);
  });

  it('reads plain Markdown: its first heading is the title', () => {
    const article = fixture('no-front-matter.md');
    expect(article.title).toBe('只有标题');
    expect(article.format).toBe('plain-markdown');
    expect(article.sections.flatMap((s) => s.paragraphs)).toEqual(['正文内容。']);
  });
});

describe('files that cannot be served are named with the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['empty.md', /empty/],
    ['whitespace.md', /empty/],
    ['not-utf8.md', /not UTF-8/],
  ];
  it.each(cases)('%s', (name, reason) => {
    const error = parseError(name, readFileSync(join(FIXTURES, name)));
    expect(error.file).toBe(name);
    expect(error.message.startsWith(`${name}: `)).toBe(true);
    expect(error.message).toMatch(reason);
  });

  it('rejects NUL bytes and files over 5 MB', () => {
    expect(parseError('nul.md', '---\ntitle: a\nurl: https://e.com\n---\nab\u0000cd').message).toMatch(/NUL/);
    const big = new Uint8Array(5 * 1024 * 1024 + 1).fill(0x61);
    expect(parseError('big.md', big).message).toMatch(/limit is 5 MB/);
  });
});

describe('loadCorpus', () => {
  it('serves the good files and reports each malformed one by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    try {
      copyFileSync(seedFile, join(dir, 'seed.md'));
      copyFileSync(join(FIXTURES, 'good-markdown-headings.md'), join(dir, 'good.md'));
      for (const bad of ['no-url.md', 'empty.md', 'not-utf8.md']) copyFileSync(join(FIXTURES, bad), join(dir, bad));
      writeFileSync(join(dir, 'big.md'), Buffer.alloc(5 * 1024 * 1024 + 10, 0x61));
      writeFileSync(join(dir, 'notes.txt'), 'not an article');
      const { articles, errors } = loadCorpus(dir);
      expect(articles.map((a) => a.file).sort()).toEqual(['good.md', 'no-url.md', 'seed.md']);
      expect(errors.map((e) => e.file).sort()).toEqual(['big.md', 'empty.md', 'not-utf8.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
