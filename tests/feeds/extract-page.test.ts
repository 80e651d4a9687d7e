import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExtractError, extractPage, weChatPublishTime } from '../../src/feeds/extract-page.js';
import { htmlToMarkdown, htmlToText } from '../../src/feeds/html-content.js';

const page = (name: string) => readFileSync(`tests/fixtures/pages/${name}`, 'utf8');

describe('extractPage', () => {
  it('reads a WeChat article: the #js_content body, the account and the publish time, without follow prompts and cards', () => {
    const article = extractPage(page('wechat-article.html'), 'https://mp.weixin.qq.com/s?__biz=MzA5MzE0MDQ1Mg==&mid=2651234567&idx=1&sn=0a1b2c3d4e5f');
    expect(article.title).toBe('欧盟《网络韧性法案》生效：制造商须在24小时内报告被利用的漏洞');
    expect(article.source).toBe('数据合规观察');
    expect(article.published).toBe('2024-12-10T14:55:00+08:00');
    expect(article.markdown).toContain('须在**24小时内**向欧盟网络安全局（ENISA）');
    expect(article.markdown).toContain('## 过渡期安排');
    // Lazy images get their real address; prompts, the account card and the page's chrome are gone.
    expect(article.markdown).toContain('](https://mmbiz.qpic.cn/mmbiz_png/cover/640?wx_fmt=png)');
    for (const chrome of ['点击上方蓝字关注我们', '长按识别二维码', '分享、点赞、在看', '微信扫一扫', '喜欢作者', 'data:image', 'mp-common-profile']) {
      expect(article.markdown).not.toContain(chrome);
    }
  });

  it('says why a WeChat page holds no article', () => {
    const deleted = '<html><body><div class="weui-msg"><p class="weui-msg__title">该内容已被发布者删除</p></div></body></html>';
    expect(() => extractPage(deleted, 'https://mp.weixin.qq.com/s/gone')).toThrow(new ExtractError('the author deleted this WeChat article'));
    const check = '<html><body><p>环境异常</p><p>当前环境异常，完成验证后即可继续访问。</p></body></html>';
    expect(() => extractPage(check, 'https://mp.weixin.qq.com/s/x')).toThrow(/verification/);
  });

  it('reads WeChat publish times in their several forms, as China time', () => {
    expect(weChatPublishTime('var ct = "1674715200";')).toBe('2023-01-26T14:40:00+08:00');
    expect(weChatPublishTime('var create_time = "1674715200" * 1;')).toBe('2023-01-26T14:40:00+08:00');
    expect(weChatPublishTime("var createTime = '2023-01-26 08:00';")).toBe('2023-01-26T08:00:00+08:00');
    expect(weChatPublishTime('', '2023年1月26日 08:05')).toBe('2023-01-26T08:05:00+08:00');
    expect(weChatPublishTime('var object = "1674715200";')).toBeUndefined();
  });

  it('reads another page with Readability: the article without navigation, sidebar, share block, comments or footer', () => {
    const article = extractPage(page('blog-post.html'), 'https://blog.example.com/posts/supply-chain');
    expect(article).toMatchObject({ title: '开源软件供应链攻击的三种常见手法', source: '安全札记', published: '2026-11-20T09:30:00+08:00' });
    expect(article.markdown).toContain('## 依赖混淆');
    expect(article.markdown).toContain('XZ Utils 后门事件');
    expect(article.markdown).toContain('[软件物料清单入门](https://blog.example.com/posts/sbom)');
    for (const chrome of ['归档', '热门文章', '分享到', '还没有评论', '保留所有权利']) expect(article.markdown).not.toContain(chrome);
  });

  it('refuses a page with no article text', () => {
    expect(() => extractPage('<html><body><nav><a href="/">首页</a></nav></body></html>', 'https://x.example/')).toThrow(ExtractError);
  });
});

describe('htmlToMarkdown', () => {
  it('keeps headings, lists, tables and links, drops scripts and forms, and makes links absolute', () => {
    const markdown = htmlToMarkdown(
      '<h2>小节</h2><p>正文 <a href="/x">链接</a> <a href="javascript:void(0)">按钮</a></p><ul><li>一</li><li>二</li></ul><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table><script>alert(1)</script><form><input></form>',
      'https://site.example/post/',
    );
    expect(markdown).toBe('## 小节\n\n正文 [链接](https://site.example/x) 按钮\n\n-   一\n-   二\n\n| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('turns titles and summaries into one line of text', () => {
    expect(htmlToText('<b>A</b> &amp; B\n C')).toBe('A & B C');
    expect(htmlToText('plain  text')).toBe('plain text');
  });
});
