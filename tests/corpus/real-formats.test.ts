import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArticleError, type Article } from '../../src/corpus/article.js';
import { readByline } from '../../src/corpus/formats/wechat-markdown.js';
import { isCallToReader } from '../../src/corpus/reader-calls.js';
import { parseArticle, parseArticleDetailed } from '../../src/corpus/parse-article.js';
import { stepNumber } from '../../src/corpus/sections.js';

const FIXTURES = 'tests/fixtures/real';
const parse = (name: string) => parseArticleDetailed(name, readFileSync(join(FIXTURES, name)));
const textOf = (article: Article) => article.sections.flatMap((s) => s.paragraphs).join('\n');
const headingsOf = (article: Article) => article.sections.map((s) => s.heading);
/** A page as wechatmp2markdown writes it: title, byline, then each line with its hard break and a blank line. */
const wechatPage = (title: string, lines: readonly string[]) =>
  Buffer.from([`# ${title}`, '某作者  某实验室   2030-03-26 10:00  ', '', ...lines.flatMap((line) => [`${line}  `, ''])].join('\n'));

/** Each of `calls` is a call to the reader; none of `text` is (the message names the line that fails). */
function expectCalls(calls: readonly string[], text: readonly string[]): void {
  for (const line of calls) expect(isCallToReader(line), line).toBe(true);
  for (const line of text) expect(isCallToReader(line), line).toBe(false);
}

/** Words of WeChat's and sites' page furniture that must never reach the index. */
const FURNITURE = ['往期推荐', '长按识别', '关注我们', '点个在看', '微信扫一扫', '预览时标签不可点', '知道了', '取消允许', 'Share this', 'Pingback', 'Skip to content', 'Post navigation', 'Like Loading'];

describe('wechatmp2markdown output', () => {
  const { article, document } = parse('wechat-advisory.md');

  it('takes the title, account, author and date from the byline, and the link from 原文链接', () => {
    expect(document.format).toBe('wechat-markdown');
    expect(article.title).toBe('某堡垒机 set_port 远程命令执行漏洞');
    expect(article.source).toBe('南街老友');
    expect(article.author).toBe('SXdysq');
    expect(article.date).toBe('2025-07-08');
    expect(article.url).toMatch(/^https:\/\/mp\.weixin\.qq\.com\/s\?__biz=/);
  });

  it('joins hard-broken lines into their paragraph and keeps bold and Markdown headings, markup stripped', () => {
    expect(headingsOf(article)).toEqual(['0x01 阅读须知', '漏洞说明', '影响版本', 'FOFA']);
    expect(textOf(article)).toContain('请求处理存在缺陷，参数未经过严格校验导致的。');
  });

  it('keeps code as code with its lines and entities decoded, and tables row by row', () => {
    const fofa = article.sections.find((s) => s.heading === 'FOFA')!;
    expect(fofa.kinds).toEqual(['code']);
    expect(fofa.paragraphs[0]).toBe('FOFA自查语法\nbody="/fort/login" && header="FORTSESSIONID"');
    const versions = article.sections.find((s) => s.heading === '影响版本')!;
    expect(versions.kinds).toEqual(['table']);
    expect(versions.paragraphs[0]).toBe('产品 · 版本\n堡垒机 · < 3.2.1\n网关 · 9.8p1');
  });

  it('drops the images, the read-next links and the follow prompts at the end', () => {
    for (const word of FURNITURE) expect(textOf(article) + headingsOf(article).join()).not.toContain(word);
    expect(textOf(article)).not.toMatch(/mmbiz|https?:/);
  });

  it('reads bylines with and without an author', () => {
    expect(readByline(' 进击安全   2025-05-29 07:38  ')).toEqual({ author: undefined, account: '进击安全', date: '2025-05-29' });
    expect(readByline('原创 360CERT  三六零CERT   2023-06-26 16:46')).toEqual({ author: '360CERT', account: '三六零CERT', date: '2023-06-26' });
    expect(readByline('这是一个普通的句子，不是署名。')).toBeUndefined();
  });
});

describe('a crawled WeChat page under front matter', () => {
  const { article, document } = parse('crawl-wechat.md');

  it('reads front matter that is not valid YAML (an unquoted colon in the title) line by line', () => {
    expect(article.title).toBe('Update: 一次诈骗APP的逆向分析');
    expect(article.source).toBe('看雪学苑');
    expect(document.notes[0]).toMatch(/not valid YAML/);
  });

  it('drops the cover, the repeated title, the byline and the WeChat page controls; keeps the article', () => {
    expect(headingsOf(article)).toEqual(['一 APP介绍', '二 逆向分析']);
    expect(textOf(article)).toContain('名称叫《羞密基地》');
    expect(textOf(article)).not.toContain('touful');
    for (const word of FURNITURE) expect(textOf(article)).not.toContain(word);
    expect(article.sections[1]?.kinds).toEqual(['text', 'code', 'text']);
  });
});

describe('a site page (an English blog)', () => {
  const { article, dropped } = parse('site-blog.md');

  it('starts at the title repeated after the navigation and ends before sharing, navigation and comments', () => {
    expect(headingsOf(article)).toEqual(['导语', 'Mitigation']);
    expect(textOf(article)).toMatch(/^During a recent engagement/);
    expect(textOf(article)).toContain('Lenovo advises deleting the file');
    for (const word of FURNITURE) expect(textOf(article)).not.toContain(word);
    expect(dropped.map((d) => d.reason)).toContain('page header, before the title repeated in the body');
    expect(dropped.map((d) => d.reason)).toContain('after the article ends');
  });
});

describe('a comment thread under a blog post', () => {
  const comment = (n: number, text: string, who: string) => [`${n}. ${text}`, '', `Comment by ${who} — Monday 9 June 2030 @ 14:3${n}`, ''];
  const page = [
    '---', 'title: Measuring a doorbell transformer', 'url: https://blog.example.com/doorbell', '---', '',
    'I measured the standby consumption of the transformer that powers my wired doorbell with an energy meter on its primary winding.', '',
    'With the light-bulb in the button it draws 3 Watt around the clock; without it, 1.5 Watt.', '',
    '## 2 Comments »', '',
    ...comment(1, 'A doorbell uses a simple electromagnetic coil to pull in the plunger, and that coil does not care whether it is fed AC or DC, so a rectifier would work as well.', 'Anonymous'),
    ...comment(2, 'Did you take the power factor into account? An unloaded transformer draws current that is out of phase with the voltage, so a plain meter overstates it.', 'A reader'),
    '### Leave a Reply', '',
    'This site uses a spam filter to reduce spam. Learn how your comment data is processed.', '',
  ].join('\n');

  it('is not the article: it ends where the thread opens, however long the comments', () => {
    const { article, dropped } = parseArticleDetailed('doorbell.md', Buffer.from(page));
    expect(textOf(article)).toContain('it draws 3 Watt around the clock');
    expect(textOf(article)).not.toMatch(/electromagnetic coil|power factor|Comment by|spam/);
    expect(dropped.find((d) => d.block.text.startsWith('2 Comments'))?.reason).toBe('after the article ends');
  });

  it('is opened by a whole line only: a heading about a comment box is the article\'s', () => {
    const article = parseArticle('xss.md', wechatPage('某论坛存储型XSS漏洞分析', ['评论区XSS', '攻击者在评论区提交带有恶意脚本的内容，其他用户浏览该帖子时脚本被执行，从而窃取会话令牌。', '修复建议', '对评论内容进行HTML实体编码，并设置CSP策略限制内联脚本。']));
    expect(headingsOf(article)).toEqual(['评论区XSS', '修复建议']);
  });
});

describe('the account\'s follow block under a heading that calls the reader (关注我们)', () => {
  const about = '欢迎来到我们的公众号！我们专注于全球网络安全和精选资讯，为您带来最新的资讯和深入的分析。在这里，您可以了解世界各地的网络安全事件，同时通过我们的新闻获取更多的安全知识。';

  it('is dropped from the heading to the end of the page once the article has begun', () => {
    const { article, dropped } = parseArticleDetailed('follow.md', wechatPage('某文件传输软件认证绕过漏洞', [
      '**1. 某文件传输软件认证绕过漏洞**',
      '美国网络安全机构已将该文件传输软件的认证绕过漏洞添加到已知被利用漏洞列表，攻击者可接管服务器。',
      '**关注我们**',
      about,
      '公众号：某某安全',
    ]));
    expect(textOf(article)).toBe('美国网络安全机构已将该文件传输软件的认证绕过漏洞添加到已知被利用漏洞列表，攻击者可接管服务器。');
    expect(headingsOf(article)).not.toContain('关注我们');
    expect(dropped.filter((d) => d.reason === 'a call to follow, share or join').map((d) => d.block.text)).toEqual(['关注我们', about, '公众号：某某安全']);
  });

  it('ends at the next heading the author marked; above the text it is a banner, not the end', () => {
    const article = parseArticle('banner.md', wechatPage('某路由器命令注入漏洞复现', [
      '**关注我们**',
      '## 0x01 前言',
      '某路由器的诊断接口把用户输入的主机名直接拼接进 ping 命令，登录后即可注入任意系统命令。',
      '**关注我们**',
      about,
      '## 0x02 修复建议',
      '升级固件到厂商发布的最新版本，并限制管理界面只在内网访问。',
    ]));
    expect(headingsOf(article)).toEqual(['0x01 前言', '0x02 修复建议']);
    expect(textOf(article)).toContain('拼接进 ping 命令');
    expect(textOf(article)).toContain('升级固件到厂商发布的最新版本');
    expect(textOf(article)).not.toContain('欢迎来到我们的公众号');
  });

  it('is also opened by a heading that asks through a platform feature (扫码关注)', () => {
    const { article } = parseArticleDetailed('scan.md', wechatPage('某网关远程代码执行漏洞分析', [
      '研究人员在某网关的管理接口中发现了一个未经身份验证的远程代码执行漏洞，攻击者可直接获取设备权限。',
      '**扫码关注 了解更多**',
      '一款快速识别网站指纹3W+的浏览器插件|「指纹猎手」',
    ]));
    expect(textOf(article)).toBe('研究人员在某网关的管理接口中发现了一个未经身份验证的远程代码执行漏洞，攻击者可直接获取设备权限。');
  });

  it('is a heading of its own: a heading about what we follow is the article\'s', () => {
    const article = parseArticle('watch.md', wechatPage('本周漏洞态势', [
      '美国网络安全机构本周新增多个已知被利用漏洞，涉及文件传输软件、路由器和浏览器，建议尽快排查。',
      '**我们关注的三个漏洞**',
      '其中文件传输软件的认证绕过漏洞已被勒索团伙利用，影响超过一万台暴露在互联网上的服务器。',
    ]));
    expect(textOf(article)).toContain('影响超过一万台暴露在互联网上的服务器');
  });
});

describe('a "read more" list of the account\'s other articles (往期推荐, 推荐阅读)', () => {
  it('is dropped with its titles, which a saved page keeps without their links', () => {
    const { article, dropped } = parseArticleDetailed('more.md', wechatPage('某网关远程代码执行漏洞分析', [
      '研究人员在某网关的管理接口中发现了一个未经身份验证的远程代码执行漏洞，攻击者可直接获取设备权限。',
      '往期推荐',
      '蓝队应急响应姿势之Linux',
      '01 ｜银狐团伙再出新招，Web漏洞成切入点02 ｜美防务公司将从战场收集数据训练AI模型',
    ]));
    expect(textOf(article)).toBe('研究人员在某网关的管理接口中发现了一个未经身份验证的远程代码执行漏洞，攻击者可直接获取设备权限。');
    expect(dropped.filter((d) => d.reason === 'other articles to read').map((d) => d.block.text)).toContain('往期推荐');
  });

  it('at the top of a page ends where the article\'s prose begins; a sentence that recommends reading is text', () => {
    const article = parseArticle('top.md', wechatPage('第三方登录RedirectUrl劫持漏洞', [
      '往期回顾',
      'Nuclei权威指南-如何躺赚',
      '有的人可能看不懂，其实这个漏洞逻辑也很简单，就是将RedirectUrl这个参数后面的url改为你自己的域名，只要受害者点击了改变之后的url，你就可以在网站日志里面查看到相对应的token，攻击者就可以利用泄露的token实现账户劫持，原因主要在于开发者并未对RedirectUrl做严格的过滤',
      '推荐阅读官方文档，了解回调地址白名单的配置方法。',
    ]));
    expect(textOf(article)).toMatch(/^有的人可能看不懂/);
    expect(textOf(article)).toContain('推荐阅读官方文档');
    expect(textOf(article)).not.toContain('Nuclei');
  });
});

describe('a share bar written as a list', () => {
  const page = (middle: string) =>
    [
      '---', 'title: Patch notes for the gateway', 'url: https://blog.example/patch', '---', '',
      '# Patch notes for the gateway', '',
      '* Get link', '* Facebook', '* X', '* Pinterest', '* Email', '* Other Apps', '',
      'The vendor shipped fixes for the authentication bypass in its VPN gateway this week, after attacks were seen in the wild.', '',
      middle, '',
      'Administrators should update at once and rotate the credentials stored on the appliance, since the flaw exposed them.', '',
    ].join('\n');

  it('is page furniture before the text, while a list of short items inside the text stays', () => {
    const { article, dropped } = parseArticleDetailed('p.md', Buffer.from(page('* 9.1.3\n* 9.2.1\n* 10.0.2\n* 10.1.0')));
    expect(textOf(article)).not.toContain('Pinterest');
    expect(dropped.some((d) => d.block.text.includes('Pinterest') && d.reason === 'before the article starts')).toBe(true);
    expect(textOf(article)).toContain('10.0.2');
    expect(textOf(article)).toMatch(/^The vendor shipped/);
  });
});

describe('an advisory of label and value lines', () => {
  const advisory = [
    '#  【漏洞通告】Widget 远程代码执行漏洞CVE-2030-12345  ',
    '研究实验室  某安全中心   2030-09-18 19:03  ',
    '',
    '**组件名称：**  ', '', 'Widget Themes  ', '',
    '**漏洞类型：**  ', '', '远程代码执行  ', '',
    '**官方解决方案：**  ', '', '已发布  ', '',
    '**漏洞分析**  ', '', '![](https://img.example/a.gif)', '',
    '**组件介绍**  ', '', 'Widget Themes 是桌面背景图片、颜色和声音的组合，由主题文件描述并在加载时解析。  ', '',
  ].join('\n');

  it('keeps each value under its label, and bold headings in a row as headings', () => {
    const { article, dropped } = parseArticleDetailed('advisory.md', Buffer.from(advisory));
    const byHeading = Object.fromEntries(article.sections.map((s) => [s.heading, s.paragraphs]));
    expect(byHeading['组件名称：']).toEqual(['Widget Themes']);
    expect(byHeading['漏洞类型：']).toEqual(['远程代码执行']);
    expect(byHeading['官方解决方案：']).toEqual(['已发布']);
    expect(byHeading['组件介绍']?.[0]).toMatch(/^Widget Themes 是桌面背景/);
    expect(dropped.filter((d) => d.reason === 'a run of page controls')).toEqual([]);
  });
});

describe('a page whose footer outweighs its text', () => {
  const links = Array.from({ length: 40 }, (_, i) => `[往期文章第${i + 1}篇：网络安全知识的一个题目](http://mp.weixin.qq.com/s?__biz=x&mid=${i})`);
  const page = [
    '# 钓鱼邮件是数据泄露的前兆',
    '某作者  某公众号   2030-12-15 10:00  ',
    '',
    '钓鱼邮件模仿银行或工作场所的信息技术部门，诱骗收件人点击恶意链接或者打开附件。',
    '',
    '攻击者借此取得初始访问权限，进一步探索网络并提升权限，最后部署勒索软件锁定文件。',
    '',
    '```',
    '```',
    '',
    '**>>>其他<<<**',
    '',
    ...links.flatMap((line) => [line, '', '']),
  ].join('\n');

  it('keeps the text and drops the footer, however long the footer is', () => {
    const { article, dropped } = parseArticleDetailed('footer.md', Buffer.from(page));
    expect(textOf(article)).toContain('钓鱼邮件模仿银行');
    expect(textOf(article)).toContain('部署勒索软件');
    expect(textOf(article)).not.toContain('往期文章');
    expect(headingsOf(article)).not.toContain('>>>其他<<<');
    expect(dropped.filter((d) => d.block.text.includes('往期文章'))).toHaveLength(40);
  });
});

describe('a weekly digest of label lines', () => {
  const digest = [
    '# 某众测漏洞周报2030.7.24-2030.7.30',
    '某作者  某众测   2030-08-01 10:00  ',
    '',
    '**1****.****Apache Widget 身份认证绕过漏洞**  ', '', '漏洞介绍：  ', '', 'Apache Widget 是一个强大且易用的 Java 安全框架，执行身份验证和授权。  ', '',
    '漏洞编号：  ', '', 'CVE-2030-34478  ', '',
    '**2****.****IBM Gadget代码执行漏洞**  ', '', '漏洞危害：  ', '', 'IBM Gadget 存在代码执行漏洞，该漏洞源于未经检查的记录器注入。  ', '',
    '漏洞编号：  ', '', 'CVE-2030-  ', '27869  ', '',
  ].join('\n');

  it('reads bold runs written in pieces as one heading, and a label line with its value as one line', () => {
    const { article } = parseArticleDetailed('digest.md', Buffer.from(digest));
    expect(headingsOf(article)).toEqual(['1.Apache Widget 身份认证绕过漏洞', '2.IBM Gadget代码执行漏洞']);
    expect(article.sections[0]?.paragraphs).toContain('漏洞编号：CVE-2030-34478');
    expect(article.sections[1]?.paragraphs).toContain('漏洞编号：CVE-2030-27869');
  });
});

describe('bold lines of a digest', () => {
  it('head their entries however many Latin words the title holds (a word reads as one character does)', () => {
    const article = parseArticle('digest.md', wechatPage('信息安全漏洞周报（2030年第2期）', [
      '**2. Dell VxRail 安全漏洞（CNNVD-203001-1008）******',
      'Dell VxRail 8.0.000版本至8.0.311版本存在安全漏洞，该漏洞源于以明文形式存储密码。',
      '**3. Microsoft Azure Marketplace SaaS 访问控制错误漏洞（CNNVD-203001-1299）******',
      'Microsoft Azure Marketplace SaaS存在访问控制错误漏洞，该漏洞源于访问控制不当。',
    ]));
    expect(headingsOf(article)).toEqual(['2. Dell VxRail 安全漏洞（CNNVD-203001-1008）', '3. Microsoft Azure Marketplace SaaS 访问控制错误漏洞（CNNVD-203001-1299）']);
  });

  it('that end a sentence are emphasis, kept as text to find', () => {
    const article = parseArticle('bold.md', wechatPage('某芯片漏洞通告', [
      '**漏洞详情**',
      '**英特尔发布了缓解受影响型号 CVE-2030-45332 的微代码更新。**',
      '用户应尽快从主板厂商处获取新的固件。',
    ]));
    expect(headingsOf(article)).toEqual(['漏洞详情']);
    expect(textOf(article)).toContain('英特尔发布了缓解受影响型号 CVE-2030-45332 的微代码更新。');
  });
});

describe('HTML tables (wechatmp2markdown keeps a page\'s tables as HTML)', () => {
  const cell = (text: string) => `<td style="word-break: break-all;"><section><span>${text}</span></section></td>`;
  const row = (...cells: string[]) => `<tr class="x">${cells.map(cell).join('')}</tr>`;

  it('are read row by row, a cell from the next, whatever follows them on their line', () => {
    const article = parseArticle('table.md', wechatPage('某产品漏洞通告', [
      '漏洞概述',
      `<table><tbody>${row('漏洞名称', 'Widget 内核权限提升漏洞')}${row('漏洞ID', 'CVE-2030-43630')}${row('CVSS', '7.8 &amp; 高危')}</tbody></table>`,
      '**1. Widget Cloud Marketplace SaaS 访问控制错误漏洞（CNNVD-203001-1299）**',
      '攻击者可以绕过访问控制读取租户数据。',
      `表1 受影响版本<table>${row('版本', '状态')}${row('2.1', '受影响<br/>需升级')}</table>修复建议见下文。`,
    ]));
    const paragraphs = article.sections.flatMap((s) => s.paragraphs);
    expect(paragraphs).toContain('漏洞名称 · Widget 内核权限提升漏洞\n漏洞ID · CVE-2030-43630\nCVSS · 7.8 & 高危');
    expect(paragraphs).toContain('版本 · 状态\n2.1 · 受影响 需升级');
    expect(paragraphs).toEqual(expect.arrayContaining(['表1 受影响版本', '修复建议见下文。']));
    expect(article.sections.find((s) => s.paragraphs.some((p) => p.startsWith('漏洞名称')))?.kinds).toEqual(['table']);
    expect(headingsOf(article)).toEqual(['漏洞概述', '1. Widget Cloud Marketplace SaaS 访问控制错误漏洞（CNNVD-203001-1299）']);
  });

  it('too long for one passage keep their column names in every piece', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(String(i + 1), `Widget 产品线第${i + 1}号组件的远程代码执行漏洞`, '高危'));
    const article = parseArticle('long.md', wechatPage('某周报', ['本周重要漏洞', `<table>${row('序号', '漏洞名称', '危害等级')}${rows.join('')}</table>`]));
    const pieces = article.sections.flatMap((s) => s.paragraphs.filter((_, i) => s.kinds?.[i] === 'table'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.split('\n')[0]).toBe('序号 · 漏洞名称 · 危害等级');
    expect(pieces.join('\n')).toContain('40 · Widget 产品线第40号组件的远程代码执行漏洞 · 高危');
  });

  it('of one column are a page\'s layout: their rows are text', () => {
    const article = parseArticle('box.md', wechatPage('每周安全动向', [
      '动向一览',
      `<table><tbody><tr><td><ul><li>虚假 CVE-2030-40477 PoC 传播远控木马，研究人员发现其最终会安装 VenomRAT。</li></ul></td></tr></tbody></table>`,
    ]));
    expect(textOf(article)).toBe('虚假 CVE-2030-40477 PoC 传播远控木马，研究人员发现其最终会安装 VenomRAT。');
    expect(article.sections[0]?.kinds ?? ['text']).toEqual(['text']);
  });

  it('written over several lines, or one inside another, are one table; one left open ends where its HTML does', () => {
    const nested = `<table>${row('组件', `<table>${row('内层', '值')}</table>`)}${row('版本', '1.0')}</table>`;
    const article = parseArticle('lines.md', Buffer.from(['# 某组件通告', '', '<table>', row('组件', '影响版本'), row('Widget', '≤ 2.3'), '</table>', '', nested, '', `<table>${row('未闭合', '表格')}`, '', '这一段是正文，讲的是升级到 2.4 以后的变化。', '', '有趣的是，<table> 标签写在句子里时只是文字。', ''].join('\n')));
    const tables = article.sections.flatMap((s) => s.paragraphs.filter((_, i) => s.kinds?.[i] === 'table'));
    expect(tables).toEqual(['组件 · 影响版本\nWidget · ≤ 2.3', '组件\n内层 · 值\n版本 · 1.0', '未闭合 · 表格']);
    expect(textOf(article)).toContain('这一段是正文，讲的是升级到 2.4 以后的变化。');
    expect(textOf(article)).toContain('有趣的是， 标签写在句子里时只是文字。');
  });
});

describe('a bold heading right under the title of a saved page', () => {
  it('is a heading, and a bold credit line there is a byline', () => {
    const page = ['---', 'title: Notes on a ransomware tool matrix', 'url: https://blog.example/rtm', '---', '', '# Notes on a ransomware tool matrix', '', '**编译：代码卫士**', '', '**Introduction**', '', 'This post summarises the tools that ransomware groups were seen using this quarter, from public reports.', ''].join('\n');
    const { article } = parseArticleDetailed('rtm.md', Buffer.from(page));
    expect(headingsOf(article)).toEqual(['Introduction']);
    expect(textOf(article)).not.toContain('代码卫士');
  });
});

describe('paragraphs set in a heading style (`###`)', () => {
  const page = (lines: readonly string[]) => parseArticle('styled.md', wechatPage('某产品整数溢出漏洞通告', lines));

  it('keep their text: a section saved on one heading line is a heading and its text', () => {
    const article = page([
      '### 01 漏洞概况      当使用libcurl自动解压内容编码的HTTP响应时，攻击者控制的整数溢出会导致缓冲区溢出。',
      '### 03 漏洞排查      用户尽快排查应用系统使用libcurl的版本是否在7.10.5-8.11.1之间。04 修复方案升级 libcurl 8.12.0 或更高版本。',
    ]);
    expect(headingsOf(article)).toEqual(['01 漏洞概况', '03 漏洞排查']);
    expect(textOf(article)).toContain('升级 libcurl 8.12.0 或更高版本');
  });

  it('are paragraphs when they hold finished sentences; a long heading without them stays a heading', () => {
    const article = page([
      '## 二、漏洞详情',
      '### 近日，国家信息安全漏洞库收到关于某防火墙安全漏洞情况的报送。成功利用漏洞的攻击者，可在目标系统上执行任意代码。',
      '### CVE-2022-22038: Windows Remote Procedure Call Runtime远程代码执行漏洞',
      '该漏洞影响多个版本的系统。',
    ]);
    expect(headingsOf(article)).toEqual(['二、漏洞详情', 'CVE-2022-22038: Windows Remote Procedure Call Runtime远程代码执行漏洞']);
    expect(article.sections[0]?.paragraphs[0]).toMatch(/^近日，国家信息安全漏洞库/);
  });
});

describe('a WeChat article whose body repeats its title', () => {
  it('loses only the repeated title: wechatmp2markdown writes no page header to drop before it', () => {
    const article = parseArticle(
      'digest.md',
      wechatPage('某VPN成为新0day攻击的目标', [
        '研究人员将新修补的VPN 0day漏洞的利用与网络间谍活动联系起来。',
        '厂商周三向客户发出警报，其VPN设备中已修复两个漏洞。',
        '某VPN成为新0day攻击的目标',
        '攻击者在后利用阶段使用了恶意软件来窃取凭证。',
      ]),
    );
    expect(textOf(article)).toContain('研究人员将新修补的VPN 0day漏洞的利用');
    expect(textOf(article)).toContain('攻击者在后利用阶段');
    expect(textOf(article)).not.toContain('某VPN成为新0day攻击的目标');
  });
});

describe('an advisory ending in label and value lines', () => {
  const { article, dropped } = parseArticleDetailed(
    'fields.md',
    wechatPage('某摄像头远程代码执行漏洞', [
      '**0x00 漏洞编号**',
      '- 暂无',
      '**0x01 危险等级**',
      '- 高危',
      '**0x02 漏洞概述**',
      '某摄像头是一款功能丰富、性能稳定的监控设备，适用于各种安全监控需求。',
      '**0x03 漏洞详情**',
      '###',
      '**漏洞类型：**',
      '远程代码执行',
      '**影响：**',
      '执行任意代码',
      '**简述：**',
      '某摄像头的/handle_site_config.php接口存在远程代码执行漏洞，未经身份验证的攻击者可以远程执行任意代码。',
      '**0x04 影响版本**',
      '- 某摄像头',
      '**0x05 POC状态**',
      '- 已公开',
      '**0x06 修复建议**',
      '目前官方已发布漏洞修复版本，建议用户升级到安全版本：',
      '[往期推荐：某系统漏洞一](https://mp.weixin.qq.com/s?a)',
      '[往期推荐：某系统漏洞二](https://mp.weixin.qq.com/s?b)',
      '[往期推荐：某系统漏洞三](https://mp.weixin.qq.com/s?c)',
    ]),
  );

  it('keeps the fields and the text after them: short lines under a label or a numbered heading are values, not a menu', () => {
    const text = textOf(article);
    expect(text).toContain('远程代码执行');
    expect(text).toContain('高危');
    expect(text).toContain('/handle_site_config.php接口存在远程代码执行漏洞');
    expect(text).toContain('建议用户升级到安全版本');
    expect(text).not.toContain('往期推荐');
    expect(dropped.map((d) => d.reason)).toContain('after the article ends');
  });
});

describe('a short line between two headings', () => {
  it('is the text of the heading above it, not a heading over nothing', () => {
    const article = parseArticle(
      'advice.md',
      Buffer.from(['# 某系统接口存在SQL注入漏洞', '', '## 6.漏洞复现', '', '发送构造的请求即可触发注入。', '', '## 7.整改意见', '', '联系厂商获取升级补丁修复漏洞', '', '## 8.附录', '', '参考链接见原文。', ''].join('\n')),
    );
    expect(article.sections.find((s) => s.heading === '7.整改意见')?.paragraphs).toEqual(['联系厂商获取升级补丁修复漏洞']);
  });

  it('still heads the text under it', () => {
    const article = parseArticle('sub.md', Buffer.from(['# 某产品漏洞通告', '', '## 漏洞详情', '', '影响版本', '', '某产品 2.4.1 及以下版本受影响。', ''].join('\n')));
    expect(headingsOf(article)).toContain('影响版本');
  });
});

describe('a heading written inside a list item', () => {
  it('is the item\'s text without its # marks, and an item with nothing left goes', () => {
    const article = parseArticle('fields.md', wechatPage('某系统漏洞通告', ['漏洞编号：', '- # 暂无\n- #\n- 影响 C# 客户端', '请尽快升级到最新版本。']));
    expect(textOf(article)).toContain('- 暂无\n- 影响 C# 客户端');
    expect(textOf(article)).not.toContain('- #');
  });
});

describe('lines under an image', () => {
  const { article, dropped } = parseArticleDetailed(
    'figures.md',
    wechatPage('某商城缓存配置错误导致越权', [
      '漏洞利用',
      '我用普通用户的 Cookie 访问管理员端点，服务器返回了店铺的订单信息。',
      '![](https://example.com/a.png "null")',
      'img',
      '服务器会将 GetOrders 的响应缓存大约 3 到 4 秒的时间。',
      '![](https://example.com/b.png)',
      '图 3 攻击流程',
      '攻击者在管理员访问后的几秒内抓取订单信息。',
    ]),
  );

  it("drop an editor's placeholder caption, which is no heading of the text after it", () => {
    expect(headingsOf(article)).toEqual(['漏洞利用']);
    expect(dropped.filter((d) => d.reason === 'image').map((d) => d.block.text)).toContain('img');
    expect(textOf(article)).not.toMatch(/^img$/m);
  });

  it("keep a figure's caption as text of its section", () => {
    expect(article.sections[0]?.paragraphs).toContain('图 3 攻击流程');
    expect(article.sections[0]?.paragraphs.at(-1)).toBe('攻击者在管理员访问后的几秒内抓取订单信息。');
  });
});

describe('field lines at the head of an article', () => {
  const { article } = parseArticleDetailed(
    'fields.md',
    wechatPage('CISA提醒：严重的 Ruckus 漏洞被用于感染 WiFi 接入点', [
      '聚焦源代码安全，网罗国内外最新资讯！',
      '**编译：代码卫士**',
      '美国网络安全和基础设施安全局提醒称，Ruckus Wireless Admin 面板中存在一个严重的远程代码执行漏洞，已遭某僵尸网络利用。',
      '虽然该漏洞已在2月初修复，但很多设备所有人可能尚未修复无线接入点。',
      '**第一步：排查设备**',
      '管理员应先列出所有 Ruckus 无线接入点及其固件版本。',
    ]),
  );

  it('read a credit line (编译：代码卫士) as text, not as the heading of the article', () => {
    expect(headingsOf(article)).not.toContain('编译：代码卫士');
    expect(article.sections[0]?.paragraphs).toContain('编译：代码卫士');
    expect(article.sections[0]?.paragraphs.at(-1)).toBe('虽然该漏洞已在2月初修复，但很多设备所有人可能尚未修复无线接入点。');
  });

  it('keep the same shape as a heading further down (第一步：排查设备)', () => {
    expect(headingsOf(article)).toContain('第一步：排查设备');
  });
});

describe('a sentence whose inline spans were saved a line each', () => {
  it('keeps a number and its unit (7 / 月 / 12 / 日，…) in the text, under the section heading before it', () => {
    const { article } = parseArticleDetailed(
      'spans.md',
      wechatPage('【安全更新】微软7月安全更新多个产品高危漏洞', ['**1**', '漏洞概述', ['7  ', '月  ', '12  ', '日，绿盟科技  ', 'CERT  ', '监测到微软发布  ', '7  ', '月安全更新补丁，修复了  ', '132  ', '个安全问题。'].join('\n')]),
    );
    expect(headingsOf(article)).toEqual(['1 漏洞概述']);
    expect(article.sections[0]?.paragraphs[0]).toBe('7月12日，绿盟科技CERT监测到微软发布7月安全更新补丁，修复了132个安全问题。');
  });
});

describe('calls to follow, share, scan or join', () => {
  const { article, dropped } = parseArticleDetailed(
    'calls.md',
    wechatPage('某OA系统任意文件读取漏洞', [
      '点击上方蓝字关注我们 并设为星标',
      '某OA系统存在任意文件读取漏洞，未经身份验证的攻击者可以读取服务器上的任意文件。',
      '如果你想学习更多渗透测试技术，欢迎加入我们内部星球，扫描下方二维码即可加入。',
      '攻击者通过社交渠道发送钓鱼文件和二维码，在微信群中传播虚假链接。',
      '常见的修改密码、分享文章、点赞等功能处，都可能存在CSRF漏洞。',
      '建议用户尽快升级到最新版本。  \n请在文末点赞、留言、转发、点个在看吧😉',
    ]),
  );

  it('are dropped wherever the page put them, a call on the last line of a paragraph too', () => {
    const text = textOf(article);
    for (const call of ['设为星标', '内部星球', '点个在看']) expect(text).not.toContain(call);
    expect(text).toContain('建议用户尽快升级到最新版本。');
    const calls = dropped.filter((d) => d.reason === 'a call to follow, share or join').map((d) => d.block.text);
    expect(calls).toEqual(expect.arrayContaining([expect.stringContaining('内部星球'), expect.stringContaining('点个在看')]));
  });

  it('are dropped when set as a heading too, and the text under them stays', () => {
    const page = parseArticleDetailed('call-heading.md', wechatPage('某CMS后台任意文件上传漏洞', ['**点击蓝字 关注我们**', '某CMS后台存在任意文件上传漏洞，攻击者登录后可上传任意文件。', '**修复建议**', '建议用户尽快升级到官方发布的最新版本，并限制后台管理页面的访问来源。']));
    expect(headingsOf(page.article)).toEqual(['导语', '修复建议']);
    expect(page.article.sections[0]?.paragraphs).toEqual(['某CMS后台存在任意文件上传漏洞，攻击者登录后可上传任意文件。']);
    expect(page.dropped.find((d) => d.block.text === '点击蓝字 关注我们')?.reason).toBe('a call to follow, share or join');
  });

  it('are told from an article that names the platform\'s features without asking the reader anything', () => {
    const text = textOf(article);
    expect(text).toContain('在微信群中传播虚假链接');
    expect(text).toContain('都可能存在CSRF漏洞');
  });

  it('are read the same for every account: two platform features, or one with a reader action in a short line', () => {
    expectCalls(
      [
        '关注公众号回复“加群”，即可进入交流群',
        '欢迎关注我们的公众号',
        '●点击↑蓝字关注我们，获取更多安全风险通告',
      ],
      [
        '觉得不错，就点个 “在看” 或 "赞” 吧~',
        '文中的蓝字部分是链接，点击可以查看原文。',
        '漏洞处理过程中，如有疑问请关注官方公告。',
        `${'某产品存在漏洞，攻击者可以执行任意代码。'.repeat(8)}欢迎关注公众号，点赞在看。`,
      ],
    );
  });

  it('count following the account that speaks (关注我们) and a keyword to reply with (回复“8825”) as the platform\'s features', () => {
    expectCalls(
      [
        '如果你对安全感兴趣，别忘了关注我们，持续为你带来最新的安全动态与技术分享！',
        '点击下方名片，关注我们',
        '本文推荐的网安开源工具，我们已帮您整理汇总： 长按识别下方二维码，回复“8825”，免费领取~',
      ],
      [
        // 关注 as heeding: what we found, how our match went.
        '然而，这篇博客不会关注 PostgreSQL 漏洞本身，而是关注我们在这两个服务中发现的隔离问题。',
        '彭老师高度关注我们的比赛情况，经常询问做题情况并且给予了我们很多宝贵的建议。',
        '管理员在后台回复工单时，附件路径未经校验，攻击者可借此读取服务器上的任意文件。',
      ],
    );
  });

  it('need no address when they ask to star the account, or name two features and an action', () => {
    expectCalls(
      [
        '“设为星标”，否则可能就看不到了啦！',
        '建议大家把夜组科技圈设为星标，接收一手资讯！',
        '点它，分享点赞在看都在这里',
      ],
      [
        '觉得不错，就点个 “在看” 或 "赞” 吧~',
        // The article's own: a question about the platform, and 置顶 as pinning a post.
        '强制关注公众号、获取大量个人信息，扫码支付怎么变得越来越复杂？',
        '随意输入帖子的文案，然后点击发布后置顶，接口显示出了对应的价格字段',
      ],
    );
  });

  it('count joining, signing up and claiming as a reader\'s action: the ads for paid groups and courses', () => {
    expectCalls(
      [
        '欢迎加入星球一起交流，券后价仅40元！！！ 即将满600人涨价',
        '需要的朋友扫描下方二维码，备注：【355页渗透测试笔记】，免费领取',
        '粉丝福利价，仅需 9.9 即可参与两天训练营！扫码加入！',
      ],
      [
        // The article's own: an attacker and a victim, not the reader.
        '攻击者以退款为名诱导受害者加入微信群，再骗取银行卡验证码。',
      ],
    );
  });
});

describe('plain Markdown', () => {
  it('takes its first heading as the title and cites it without a link', () => {
    const { article, document } = parse('plain-note.md');
    expect(document.format).toBe('plain-markdown');
    expect(article.title).toBe('零信任接入的三个误区');
    expect(article.url).toBe('');
    expect(article.sections[0]?.paragraphs).toHaveLength(3);
  });

  it('takes a date from the file name when the file gives none', () => {
    const article = parseArticle('2024/2024-03-31-note.md', readFileSync(join(FIXTURES, 'plain-note.md')));
    expect(article.date).toBe('2024-03-31');
  });
});

describe('parsing arbitrary Markdown', () => {
  it('never throws anything but an ArticleError naming the file', () => {
    const piece = fc.constantFrom('# ', '## 标题', '**粗体**', '---', '```', '~~~', '> ', '- ', '1. ', '| a | b |', '|---|---|', '![](x)', '[链接](https://e.x/)', '[](https://e.x/)', '  ', '\n', '\n\n', '正文。', 'text ', '0x01', '一、', '<b>', '&#34;', '&amp;', ':', 'title: x', '`', '\\', '　', '😀', '<table>', '</table>', '<tr>', '<td>', '</td>', '<th>', '<br/>');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.boolean(), (pieces, front) => {
        const text = (front ? '---\ntitle: T\n---\n' : '') + pieces.join('');
        try {
          const article = parseArticle('fuzz.md', Buffer.from(text));
          for (const section of article.sections) for (const p of section.paragraphs) expect(p.trim()).not.toBe('');
        } catch (error) {
          expect(error).toBeInstanceOf(ArticleError);
          expect((error as ArticleError).message.startsWith('fuzz.md: ')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('npm run inspect', () => {
  it('tells per file of a folder what was taken and what was dropped, as JSON lines', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/inspect.ts', FIXTURES, '--json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const files = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; format: string; sections: Array<{ heading: string; paragraphs: number }>; dropped: Array<{ reason: string }> });
    expect(files.map((f) => [f.file, f.format])).toEqual([
      ['crawl-wechat.md', 'front-matter'],
      ['plain-note.md', 'plain-markdown'],
      ['site-blog.md', 'front-matter'],
      ['wechat-advisory.md', 'wechat-markdown'],
    ]);
    const advisory = files.find((f) => f.file === 'wechat-advisory.md')!;
    expect(advisory.sections.map((s) => s.heading)).toContain('漏洞说明');
    expect(advisory.dropped.some((d) => d.reason === 'after the article ends')).toBe(true);
  });

  it("says which heading is its source's own line, cited as the lead", async () => {
    const { spawnSync } = await import('node:child_process');
    const folder = mkdtempSync(join(tmpdir(), 'inspect-'));
    try {
      for (const [i, device] of ['路由器', '摄像头', '打印机'].entries()) {
        const body = ['更多全球网络安全资讯尽在戊安全', `研究人员在${device}固件中发现了一个认证绕过漏洞，影响多个版本。`, '漏洞详情', `${device}的管理接口未校验会话令牌，攻击者可以直接登录。`];
        writeFileSync(join(folder, `${i}.md`), `---\ntitle: 戊的文章${i}\nsource: 戊安全\n---\n\n${body.map((line, j) => (j % 2 ? line : `## ${line}`)).join('\n\n')}\n`);
      }
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/inspect.ts', folder, '--json'], { encoding: 'utf8' });
      const [first] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { sections: Array<{ heading: string; citedAs?: string }> });
      expect(first?.sections).toEqual([
        { heading: '更多全球网络安全资讯尽在戊安全', citedAs: '导语', paragraphs: 1 },
        { heading: '漏洞详情', paragraphs: 1 },
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a code fence wrapped in bold markers (wechatmp2markdown writes ****```)', () => {
  const file = [
    '# 某产品远程代码执行漏洞  ',
    '漏洞速递  某安全团队   2024-04-02 09:00  ',
    '',
    '**0x01 漏洞描述**  ',
    '',
    '该产品存在远程代码执行漏洞，攻击者可以通过构造恶意请求在服务器上执行任意命令。  ',
    '',
    '**0x04 修复方案**  ',
    '',
    '****```',
    '请升级到最新版本。 ',
    '```  ',
    '',
    '官方已发布安全更新，受影响的用户应尽快升级到最新版本，并限制管理界面的网络访问以降低风险。  ',
    '',
    '![](https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png "")  ',
    '',
    '往期推荐 · 值得阅看  ',
    '',
    '[CVE-2023-2317 RCE漏洞](http://mp.weixin.qq.com/s?__biz=MzkwMTUzNDgxOA==&mid=1)  ',
    '',
    '[CVE-2023-3450 RCE漏洞（附EXP）](http://mp.weixin.qq.com/s?__biz=MzkwMTUzNDgxOA==&mid=2)  ',
    '',
    '[CVE-2023-6895 RCE漏洞（附EXP）](http://mp.weixin.qq.com/s?__biz=MzkwMTUzNDgxOA==&mid=3)  ',
  ].join('\n');
  const { article } = parseArticleDetailed('bold-fence.md', new TextEncoder().encode(file));

  it('closes the block where the author did, so it does not swallow the page after it', () => {
    // A fenced line of plain Chinese is read as text (see isFencedLabel); what matters is where it ends.
    const fix = article.sections.find((s) => s.heading === '0x04 修复方案');
    expect(fix?.paragraphs).toEqual(['请升级到最新版本。', '官方已发布安全更新，受影响的用户应尽快升级到最新版本，并限制管理界面的网络访问以降低风险。']);
    expect(textOf(article)).not.toMatch(/mmbiz|往期推荐|CVE-2023-2317/);
  });
});

describe("the source's disclaimer (免责声明)", () => {
  const disclaimer = '由于传播、利用本公众号所提供的信息而造成的任何直接或者间接的后果及损失，均由使用者本人负责，公众号及作者不为此承担任何责任。';

  it('is dropped under its heading, and the text the article goes on with under it stays', () => {
    const { article, dropped } = parseArticleDetailed('disclaimer.md', wechatPage('某OA系统前台SQL注入漏洞复现', [
      '**免责声明**',
      disclaimer,
      '该OA系统的某个前台接口未对用户输入进行过滤，攻击者无需登录即可构造SQL语句读取数据库中的管理员密码。',
      '**修复建议**',
      '免责声明：本文仅用于技术讨论与学习，利用此文所提供的信息而造成的任何后果及损失，均由使用者本人负责，与本公众号无关。',
      '升级到厂商发布的最新版本，并对接口参数进行严格的类型校验。',
    ]));
    expect(textOf(article)).toBe(['该OA系统的某个前台接口未对用户输入进行过滤，攻击者无需登录即可构造SQL语句读取数据库中的管理员密码。', '升级到厂商发布的最新版本，并对接口参数进行严格的类型校验。'].join('\n'));
    expect(headingsOf(article)).toEqual(['导语', '修复建议']);
    expect(dropped.filter((d) => d.reason === "the source's disclaimer")).toHaveLength(3);
  });

  it('is kept when the article quotes it or is about it', () => {
    const article = parseArticle('about.md', wechatPage('法院：公众号的免责声明不能免除传播漏洞利用工具的责任', [
      '法院认为，涉案公众号在文末附有免责声明并不能免除其责任，发布可直接用于攻击的工具仍属违法。',
      `> 免责声明：${disclaimer}`,
      '判决书指出，这类声明不构成法律上的免责事由，平台方也应承担相应的审核义务。',
    ]));
    expect(textOf(article)).toContain(disclaimer);
    expect(textOf(article)).toContain('不构成法律上的免责事由');
  });
});

describe('a code fence that nothing closes (its other half saved inside a line of text)', () => {
  const page = wechatPage('某插件自动化检测SSRF漏洞', [
    '**0x02 使用说明**',
    '在插件的配置模块中添加检测字符串，若任意一个Payload探测成功，数据包的状态就会更新为疑似漏洞。',
    '```python',
    'print("a fence the author closed")',
    '```',
    '0x03 更新说明```',
    '```',
    '**0x04 总结**',
    '这些凭据散落在配置文件、日志文件和历史命令中，说明开发与运维过程中存在环境配置不当的问题。',
  ]);

  it('is not a fence: the rest of the page is read as the page, not as one block of code', () => {
    const { article } = parseArticleDetailed('open-fence.md', page);
    expect(headingsOf(article)).toEqual(['0x02 使用说明', '0x04 总结']);
    expect(article.sections[1]?.paragraphs).toEqual(['这些凭据散落在配置文件、日志文件和历史命令中，说明开发与运维过程中存在环境配置不当的问题。']);
    expect(article.sections[1]?.kinds?.[0]).not.toBe('code');
    // The block the author closed is code as before.
    expect(article.sections[0]?.paragraphs[1]).toBe('print("a fence the author closed")');
    expect(article.sections[0]?.kinds?.[1]).toBe('code');
  });
});

describe('runs of short item lines (versions, products) written as separate paragraphs', () => {
  const advisory = wechatPage('某组件任意文件读取漏洞风险提示', [
    '**受影响版本**',
    '目前该漏洞已经修复，受影响用户可升级到以下版本：',
    '6.2.0 <= Widget <= 6.2.2',
    '5.0.0 <= Widget <= 5.4.14',
    'Widget <= 4.5.9',
    '官方已发布安全更新，建议用户尽快升级至最新版本，并限制开发服务器的网络访问。',
    '**漏洞信息**',
    '##',
    '影响范围：',
    'Widget Server 10.5',
    'Widget Server 11.1',
    '修复方案：',
    '厂商已发布补丁，受影响的用户应当及时安装补丁并检查服务器上是否存在异常文件。',
  ]);
  const { article } = parseArticleDetailed('items.md', advisory);

  it('are one passage with the sentence that introduces them, and a sentence after them is its own', () => {
    expect(article.sections.find((s) => s.heading === '受影响版本')?.paragraphs).toEqual([
      '目前该漏洞已经修复，受影响用户可升级到以下版本：\n6.2.0 <= Widget <= 6.2.2\n5.0.0 <= Widget <= 5.4.14\nWidget <= 4.5.9',
      '官方已发布安全更新，建议用户尽快升级至最新版本，并限制开发服务器的网络访问。',
    ]);
  });

  it('join a label with its values; a line of bare marks is no paragraph; the next label starts anew', () => {
    expect(article.sections.find((s) => s.heading === '漏洞信息')?.paragraphs).toEqual([
      '影响范围：Widget Server 10.5\nWidget Server 11.1',
      '厂商已发布补丁，受影响的用户应当及时安装补丁并检查服务器上是否存在异常文件。',
    ]);
  });
});

describe('numbered steps written as separate paragraphs', () => {
  const analysis = wechatPage('某办公软件对象加载漏洞分析', [
    '**加载流程**',
    '办公软件在加载嵌入了对象组件的文档时，会经过三个步骤：',
    '1.从文档中的结构获取CLSID，即对象的全局唯一标识符。',
    '2.通过获取的CLSID，调用CoCreateInstance加载对应的对象。',
    '3.如果对象是OLE对象，则进一步调用IPersistStorage加载具体的数据。',
    '在以上工作流程中即存在安全隐患，文档中的CLSID字段可由攻击者控制。',
    '**修复建议**',
    '2.升级到最新版本之后，再检查注册表中的对象映射是否被篡改过。',
    '3.关闭不需要的对象加载功能，可以进一步降低被攻击的可能性。',
  ]);
  const { article } = parseArticleDetailed('steps.md', analysis);

  it('are one passage with the line that introduces them; the sentence after them is its own', () => {
    expect(article.sections.find((s) => s.heading === '加载流程')?.paragraphs).toEqual([
      '办公软件在加载嵌入了对象组件的文档时，会经过三个步骤：\n1.从文档中的结构获取CLSID，即对象的全局唯一标识符。\n2.通过获取的CLSID，调用CoCreateInstance加载对应的对象。\n3.如果对象是OLE对象，则进一步调用IPersistStorage加载具体的数据。',
      '在以上工作流程中即存在安全隐患，文档中的CLSID字段可由攻击者控制。',
    ]);
  });

  it('stay apart when they do not count on from 1', () => {
    expect(article.sections.find((s) => s.heading === '修复建议')?.paragraphs).toHaveLength(2);
  });

  it('are read by their number in the usual spellings, and a version number is no step', () => {
    expect(['1.获取', '2、调用', '（3）加载', '(4) 检查', '⑤ 关闭', '6）升级'].map(stepNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(['1.2.3 版本修复了该漏洞', '2024年发布', '第一步'].map(stepNumber)).toEqual([undefined, undefined, undefined]);
  });
});
