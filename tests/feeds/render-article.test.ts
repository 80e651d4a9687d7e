import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { articleFileName, linkKey, publishedDate, renderArticle, slugify } from '../../src/feeds/render-article.js';

describe('renderArticle', () => {
  it('writes the front matter the corpus parser reads, and the body', () => {
    const bytes = renderArticle({ title: '标题：含"引号"与#号', url: 'https://mp.weixin.qq.com/s?__biz=A&mid=1#rd', source: '网安寻路人', date: '2026-11-24', fetchDate: '2026-11-25T01:02:03.000Z', markdown: '第一段正文。\n\n## 小节\n\n第二段正文。' });
    const article = parseArticle('feeds/x/a.md', bytes);
    expect(article).toMatchObject({ title: '标题：含"引号"与#号', url: 'https://mp.weixin.qq.com/s?__biz=A&mid=1#rd', source: '网安寻路人', date: '2026-11-24' });
    expect(article.sections.map((s) => [s.heading, s.paragraphs])).toEqual([
      ['导语', ['第一段正文。']],
      ['小节', ['第二段正文。']],
    ]);
    expect(bytes.toString()).toContain('fetch_date: "2026-11-25T01:02:03.000Z"');
  });

  it('keeps any title, source and URL intact through YAML (property)', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).filter((s) => s.replace(/[\s\u0000-\u001F\u007F\u0085\u2028\u2029]/g, '').length > 0);
    fc.assert(
      fc.property(text, text, fc.webUrl(), (title, source, url) => {
        const article = parseArticle('a.md', renderArticle({ title, url, source, date: undefined, fetchDate: '2026-11-25T00:00:00Z', markdown: '正文段落。' }));
        const oneLine = (s: string) => s.replace(/[\u0000-\u001F\u007F\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
        expect(article.title).toBe(oneLine(title));
        expect(article.source).toBe(oneLine(source));
        expect(article.url).toBe(url);
      }),
      { numRuns: 200 },
    );
  });
});

describe('file names and keys', () => {
  it('makes safe, readable names that never start with a dot', () => {
    expect(slugify('欧盟《网络韧性法案》生效：24小时内报告')).toBe('欧盟-网络韧性法案-生效-24小时内报告');
    expect(slugify('../.hidden/..')).toBe('hidden');
    expect(slugify('...')).toBe('article');
    expect(slugify('x'.repeat(100))).toHaveLength(40);
    const name = articleFileName('.env', 'guid-1');
    expect(name).toMatch(/^env-[0-9a-f]{8}\.md$/);
    expect(articleFileName('同名', 'guid-1')).not.toBe(articleFileName('同名', 'guid-2'));
  });

  it('dates an item by its publisher\'s calendar', () => {
    expect(publishedDate('2026-11-24T01:00:00+08:00')).toBe('2026-11-24');
    expect(publishedDate('Mon, 23 Nov 2026 17:00:00 GMT')).toBe('2026-11-23');
    expect(publishedDate('Tue, 24 Nov 2026 01:00:00 +0800')).toBe('2026-11-24');
    expect(publishedDate('yesterday')).toBeUndefined();
    expect(publishedDate(undefined)).toBeUndefined();
  });

  it('identifies a link whichever way it was shared', () => {
    const a = linkKey('https://mp.weixin.qq.com/s?__biz=MzA5&mid=265&idx=1&sn=0a1b&chksm=8ba0&scene=21#wechat_redirect');
    expect(a).toBe(linkKey('http://mp.weixin.qq.com/s?sn=0a1b&__biz=MzA5&idx=1&mid=265'));
    expect(linkKey('https://www.site.example/post/1/?utm_source=rss#top')).toBe('site.example/post/1');
    expect(linkKey('https://site.example/post?id=1')).not.toBe(linkKey('https://site.example/post?id=2'));
  });
});
