import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnswerer, snippetWeightsOf } from '../../src/answer/answer.js';
import type { Article } from '../../src/corpus/article.js';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { unambiguous } from '../../src/library.js';
import { normalizeText, findPhrase } from '../../src/search/normalize.js';
import { createBoilerplateModel, fingerprintOf, sourceKeyOf, squashForRepeats } from '../../src/search/boilerplate.js';
import { articleReferenceOf } from '../../src/search/article-reference.js';
import { answerTypesOf, holdsAnswer } from '../../src/search/query/answer-type.js';
import { isEnglishQuestion, parseCedict, withChineseSpellings, withChineseSynonyms } from '../../src/search/query/english-chinese.js';
import { measureCoverage } from '../../src/search/query/rank-passages.js';
import { withEnglishInflections } from '../../src/search/query/english-inflections.js';
import { withUnknownNames } from '../../src/search/query/unknown-names.js';
import { createSearchIndex, DEFAULT_RANKING } from '../../src/search/search-index.js';
import { compoundParts, createTokenizer } from '../../src/search/tokenizer.js';

const tokenizer = createTokenizer();
let counter = 0;
function article(source: string, title: string, paragraphs: string[]): Article {
  const body = paragraphs.join('\n\n');
  return parseArticle(`a${counter++}.md`, Buffer.from(`---\ntitle: ${title}\nurl: https://example.com/${counter}\nsource: ${source}\n---\n\n${body}\n`));
}

describe('identifiers', () => {
  it('are indexed whole and by their parts, and matched whole in questions', () => {
    expect(compoundParts('cve-2025-0108')).toEqual(['cve', '2025', '0108']);
    expect(compoundParts('kafka')).toEqual([]);
    expect(tokenizer.words('PAN-OS 身份验证绕过漏洞(CVE-2025-0108) OpenSSH 9.8p1')).toEqual(expect.arrayContaining(['pan-os', 'cve-2025-0108', '0108', '9.8p1']));
    expect(findPhrase('pan-os 11.0.2', 'pan', true)).toBe(-1);
    expect(findPhrase('pan-os 11.0.2', 'pan-os', true)).toBe(0);
    expect(findPhrase('cve-2025-0108', '0108')).toBe(9);
  });
});

describe('mined aliases', () => {
  it('keep only pairs whose spellings pair with nothing else across the corpus', () => {
    const groups = [['康斯伯格', 'Kongsberg'], ['漏洞', 'KEV'], ['漏洞', 'PoC'], ['网关', 'VPN'], ['隧道连接', 'VPN']];
    expect(unambiguous(groups.map((group) => ({ group, uses: 1 })))).toEqual([['Kongsberg', '康斯伯格']]);
  });

  it('keep a name whose pairings are nearly all one partner, counting longer partners that hold it', () => {
    const mined = [
      { group: ['远程代码执行', 'RCE'], uses: 16 },
      { group: ['实现远程代码执行', 'RCE'], uses: 2 },
      { group: ['远程命令执行', 'RCE'], uses: 2 },
      { group: ['漏洞', 'KEV'], uses: 3 },
      { group: ['漏洞', 'XXE'], uses: 2 },
    ];
    expect(unambiguous(mined)).toEqual([['RCE', '远程代码执行']]);
    // Half and half is no name: neither partner is the usual one.
    expect(unambiguous([...mined.slice(0, 1), { group: ['远程命令执行', 'RCE'], uses: 16 }])).toEqual([]);
  });
});

describe('ranking across many articles', () => {
  const index = createSearchIndex(tokenizer);
  const answer = createAnswerer(index, tokenizer);
  const target = article('安全通告', 'Palo Alto Networks PAN-OS身份验证绕过漏洞(CVE-2025-0108)', [
    'Palo Alto Networks 发布安全公告，修复了 PAN-OS 管理界面中的身份验证绕过漏洞 CVE-2025-0108。',
    '由于Nginx与Apache对请求路径的处理不一致，未经身份验证的攻击者可以直接访问管理界面并调用其中的脚本。',
    '建议尽快升级到修复版本，暂时无法升级时可以限制对管理界面的访问。',
  ]);
  const others = Array.from({ length: 12 }, (_, i) =>
    article(`来源${i}`, `PAN-OS 安全漏洞通报第${i}期`, [
      `PAN-OS 是防火墙设备的操作系统，第${i}期通报汇总了多个漏洞的登录问题与后台访问控制缺陷。`,
      `本期还涉及其他厂商的 ${i} 个漏洞，请用户关注后台登录的安全配置。`,
    ]),
  );
  for (const a of [target, ...others]) index.add(a);

  it('finds the paragraph that answers although it does not repeat the name the question gives', () => {
    const top = answer('PAN-OS 0108 为什么不用身份验证就能访问管理界面', { limit: 3 }).results[0];
    expect(top?.articleId).toBe(target.id);
    expect(top?.text).toContain('由于Nginx与Apache');
  });

  it('reads a bare CVE number as that CVE', () => {
    expect(answer('0108 修复版本', { limit: 1 }).results[0]?.articleId).toBe(target.id);
  });
});

describe('traditional characters', () => {
  it('in an article\'s title leave its simplified paragraphs as the index reads them (文件 stays 文件)', () => {
    const index = createSearchIndex(tokenizer);
    // 隨著 is traditional: the title is converted with Taiwan phrases, the paragraph is not.
    index.add(article('申', '隨著雲端普及的漏洞通告', ['攻击者可以上传任意文件并执行恶意程序。']));
    const [hit] = index.search(tokenizer.analyzeQuery('上传任意文件执行恶意程序'), { limit: 1 });
    expect(hit?.passageCoverage).toBeCloseTo(1, 10);
    expect(hit?.matched).toEqual(expect.arrayContaining(['文件', '恶意程序']));
  });

  it('in a question find the mainland word the Taiwan phrase table would rewrite (執行 is 执行, not only 运行)', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('酉', 'Gizmo 网关漏洞通告', ['未经身份验证的攻击者可在目标设备上执行任意代码。', '该网关运行在嵌入式系统上，默认开启远程管理。']));
    const [hit] = index.search(tokenizer.analyzeQuery('Gizmo 網關漏洞能執行任意代碼嗎？'), { limit: 1 });
    expect(hit?.passage.text).toContain('执行任意代码');
    // Every word of the question is there: 执行 as the word itself, not as a near-synonym of 运行.
    expect(hit?.passageCoverage).toBeCloseTo(1, 10);
  });
});

describe('the paragraphs either side', () => {
  it('lend their words to a paragraph that answers without naming its subject', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('辰', '某UPS产品曝出多个漏洞', [
      '## 编译：代码卫士',
      '研究人员发现，Gizmo 控制器受七个漏洞影响，包括明文密码存储和会话cookie窃取。',
      '他解释称，组合利用这三个漏洞可导致攻击者完全控制设备。',
      '该公司建议停止使用已到期产品，并更新至新型号。',
      '攻击者组合利用网关漏洞，组合利用多个漏洞后攻击者完全控制了网络。',
    ]));
    const top = (neighbourCredit: number) => index.search(tokenizer.analyzeQuery('Gizmo几个漏洞组合利用会怎样？'), { limit: 3, ranking: { ...DEFAULT_RANKING, neighbourCredit } });
    expect(top(DEFAULT_RANKING.neighbourCredit)[0]?.passage.text).toContain('他解释称');
    expect(top(0)[0]?.passage.text).not.toContain('他解释称');
  });

  it('earn a word part of its credit, and are read only for the words a passage lacks', () => {
    const query = tokenizer.analyzeQuery('Gizmo漏洞组合利用');
    let reads = 0;
    const around = { text: () => (reads++, '研究人员发现 gizmo 控制器受七个漏洞影响'), credit: 0.5 };
    const own = measureCoverage(query, '组合利用这三个漏洞可导致攻击者完全控制设备');
    const lent = measureCoverage(query, '组合利用这三个漏洞可导致攻击者完全控制设备', around);
    const gizmo = query.words.find((w) => w.term === 'gizmo')!.weight / query.words.reduce((sum, w) => sum + w.weight, 0);
    expect(lent.coverage).toBeCloseTo(own.coverage + 0.5 * gizmo, 10);
    expect(lent.matched).toEqual(own.matched);
    expect(reads).toBe(1);
    measureCoverage(query, 'gizmo 组合利用漏洞', around);
    expect(reads).toBe(1);
  });

  it('lend nothing when they are a template (the disclaimer of an account)', () => {
    const index = createSearchIndex(tokenizer);
    const disclaimer = '本公众号文章仅供安全研究学习，请勿将相关工具用于非法用途，后果自负。';
    for (let i = 0; i < 4; i++) index.add(article('午', `午的第${i}篇文章`, [`第${i}篇讲的是别的事情，与路由器无关。`, disclaimer]));
    index.add(article('午', '某路由器漏洞通告', ['厂商已经为这款路由器发布了补丁。', disclaimer]));
    index.add(article('未', '另一款路由器漏洞通告', ['厂商已经为那款路由器发布了补丁。', disclaimer]));
    const coverageOf = (title: string) =>
      index.search(tokenizer.analyzeQuery('路由器补丁能不能用于非法用途'), { limit: 10 }).find((hit) => index.article(hit.passage.articleId)?.title === title && hit.passage.text.includes('补丁'))!.passageCoverage;
    // The same two paragraphs: beside a template the patch line stands alone; beside a one-off paragraph it gains.
    expect(coverageOf('某路由器漏洞通告')).toBeLessThan(coverageOf('另一款路由器漏洞通告'));
  });
});

describe('passages that only repeat the question', () => {
  it('come after every passage that says something more', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('戊', '戊的漏洞周报', ['## 3.IBM Gadget代码执行漏洞', 'IBM Gadget 存在代码执行漏洞，该漏洞源于未经检查的记录器注入。', 'CVE-2030-  \n27869', 'IBM Gadget 10.5.0.11']));
    index.add(article('己', '另一篇周报', ['## 1.Gadget拒绝服务漏洞', 'Gadget 存在拒绝服务漏洞，该漏洞源于特制游标。']));
    const answer = createAnswerer(index, tokenizer);
    const texts = answer('Gadget CVE-2030-27869 是怎么造成的？', { limit: 5 }).results.map((r) => r.text);
    expect(texts).toContain('IBM Gadget 存在代码执行漏洞，该漏洞源于未经检查的记录器注入。');
    const echo = texts.indexOf('CVE-2030-27869');
    if (echo >= 0) expect(echo).toBe(texts.length - 1);
    expect(texts[0]).not.toBe('CVE-2030-27869');
  });

  it('are still shown when nothing else is relevant, however many irrelevant passages there are', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('丑', '丑的漏洞周报', ['## 5.Widget代码执行漏洞', '漏洞编号：CVE-2030-11111']));
    for (let i = 0; i < 40; i++) index.add(article(`寅${i}`, `第${i}期事故通报`, [`${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[i % 12]}厂区第${i * 7 + 3}号机组的事故造成了${i + 2}小时停机，${['原因仍在调查', '厂方已经赔偿', '当地已经复产', '工人无人受伤'][i % 4]}。`]));
    const answer = createAnswerer(index, tokenizer);
    expect(answer('Widget CVE-2030-11111 是怎么造成的？', { limit: 3 }).results.map((r) => r.text)).toEqual(['漏洞编号：CVE-2030-11111']);
  });

  it('count a field label as saying nothing more (漏洞编号：CVE-…)', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('癸', '癸的漏洞周报', ['## 3.IBM Gadget代码执行漏洞', '漏洞编号：CVE-2030-27869', 'IBM Gadget 存在代码执行漏洞，该漏洞源于未经检查的记录器注入。攻击者可利用该漏洞在系统上执行任意代码。']));
    const answer = createAnswerer(index, tokenizer);
    const texts = answer('Gadget CVE-2030-27869 是怎么造成的？', { limit: 5 }).results.map((r) => r.text);
    expect(texts[0]).toContain('源于未经检查的记录器注入');
  });
});

describe('which words a passage holds', () => {
  it('count for more than how often and how densely it holds some of them', () => {
    const index = createSearchIndex(tokenizer);
    const filler = '这份诉状共112页，提交至联邦地方法院，五名原告代表声称，这家芯片巨头对引发问题的错误指令早就知情，集体诉讼的原告来自多个州，代表购买了相关处理器的个人与企业用户。';
    index.add(article('庚', '芯片厂商被诉故意销售有缺陷的处理器', [
      'Gadgetfall漏洞编号为CVE-2030-40982，Gadgetfall漏洞是芯片厂商第六到第十一代处理器中的Gadgetfall信息披露漏洞，现已修复。',
      `${filler}${filler}诉状指出，芯片厂商早在多年前就收到了Gadgetfall漏洞的报告，却拖延了近五年才发布补丁。`,
      '芯片厂商同期发布了漏洞补丁，但补丁大幅削弱了处理速度。',
    ]));
    const answer = createAnswerer(index, tokenizer);
    expect(answer('芯片厂商拖了多久才修Gadgetfall漏洞？', { limit: 3 }).results[0]?.text).toContain('拖延了近五年');
  });
});

describe('names jieba does not know', () => {
  const words = (query: ReturnType<typeof tokenizer.analyzeQuery>) => query.words.map((w) => w.term);
  it('are one word again where the corpus holds their characters side by side', () => {
    const query = tokenizer.analyzeQuery('瑞友天翼虚拟化被指拖了多久');
    expect(words(query)).toEqual(expect.arrayContaining(['瑞', '友', '天', '翼', '指', '拖']));
    const corpusBigrams = new Set(['瑞友', '友天', '天翼']);
    const merged = withUnknownNames(query, (gram) => (corpusBigrams.has(gram) ? 3 : 0), 12);
    expect(words(merged)).toContain('瑞友天翼');
    expect(words(merged)).toEqual(expect.arrayContaining(['指', '拖']));
    expect(merged.words.find((w) => w.term === '瑞友天翼')?.weight).toBeLessThanOrEqual(12);
  });

  it('find the article that names them, not one where the characters are scattered', () => {
    const index = createSearchIndex(tokenizer);
    const target = article('辛', '瑞友天翼应用虚拟化系统远程代码执行漏洞通告', ['瑞友天翼应用虚拟化系统存在远程代码执行漏洞，攻击者无需登录即可利用。']);
    const scattered = article('壬', '今天的虚拟化平台巡检', ['今天巡检了虚拟化平台，友商的两翼产品线都需要登录后才能管理，瑞雪兆丰年。']);
    index.add(target);
    index.add(scattered);
    const answer = createAnswerer(index, tokenizer);
    expect(answer('瑞友天翼虚拟化需要登录吗', { limit: 1 }).results[0]?.articleId).toBe(target.id);
  });
});

describe('templates', () => {
  it('fingerprint a paragraph as the FNV-1a hash of its squashed text, without building that text', () => {
    const fnv = (text: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
      return h;
    };
    const piece = fc.constantFrom('漏洞', 'CVE-2023-27869', ' ', '，', '。', 'IBM DB2 10.5.0.11', '长按识别二维码', 'Get Link', '2024年5月3日', '（', '）', 'ÄÖ', 'Ωμέγα', '１２３', '·', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
        const squashed = squashForRepeats(text);
        const expected = squashed.length >= 4 && squashed.length <= 600 ? { fingerprint: fnv(squashed), length: squashed.length } : undefined;
        expect(fingerprintOf(text)).toEqual(expected);
      }),
    );
  });

  it('are paragraphs repeated across one source, or short lines across many sources; reposted articles are content', () => {
    const model = createBoilerplateModel();
    const disclaimer = '本公众号的文章仅供学习参考，由于传播利用所造成的后果由使用者本人负责。';
    const repost = '研究人员发现某开源组件存在远程代码执行漏洞，攻击者可以构造特殊请求执行任意命令，影响多个版本。';
    const articles = [
      ...['路由器', '摄像头', '打印机', '交换机'].map((device, i) => article('甲', `甲的文章${i}`, [disclaimer, '微信扫一扫，使用小程序', `这一篇讲的是${device}固件里的一个漏洞，细节各不相同。`])),
      ...Array.from({ length: 4 }, (_, i) => article(`乙${i}`, `乙的文章${i}`, ['微信扫一扫，使用小程序', repost])),
    ];
    for (const a of articles) model.add(a);
    const first = articles[0]!;
    expect(model.reasonFor(disclaimer, sourceKeyOf(first))).toEqual({ kind: 'source', repeats: 4 });
    expect(model.reasonFor('微信扫一扫，使用小程序', sourceKeyOf(articles[5]!))?.kind).toBe('platform');
    expect(model.reasonFor(repost, sourceKeyOf(articles[5]!))).toBeUndefined();
    expect(model.reasonFor('这一篇讲的是路由器固件里的一个漏洞，细节各不相同。', sourceKeyOf(first))).toBeUndefined();
    const version = model.version;
    for (const a of articles.slice(1, 4)) model.remove(a);
    expect(model.version).not.toBe(version);
    expect(model.reasonFor(disclaimer, sourceKeyOf(first))).toBeUndefined();
  });

  it('never fold identifiers together: CVE and version lines of a weekly digest are each their own line', () => {
    const model = createBoilerplateModel();
    const digests = Array.from({ length: 6 }, (_, i) =>
      article('丁', `丁的漏洞周报第${i}期`, [`CVE-2023-2786${i}`, `IBM DB2 10.5.0.1${i}`, '及时测试并升级到最新版本或升级版本。']),
    );
    for (const a of digests) model.add(a);
    const source = sourceKeyOf(digests[0]!);
    expect(model.reasonFor('CVE-2023-27861', source)).toBeUndefined();
    expect(model.reasonFor('IBM DB2 10.5.0.11', source)).toBeUndefined();
    expect(model.reasonFor('及时测试并升级到最新版本或升级版本。', source)?.kind).toBe('source');
  });

  it("set as a heading above an article's text cite what they stand over as the lead; an outline's headings stay", () => {
    const index = createSearchIndex(tokenizer);
    const devices = ['路由器', '摄像头', '打印机', '交换机'];
    for (const [i, device] of devices.entries()) {
      index.add(article('戊', `戊的文章${i}`, ['## 更多全球网络安全资讯尽在戊安全', `研究人员在${device}固件中发现了一个认证绕过漏洞。`, '## 漏洞详情', `${device}的管理接口未校验会话令牌。`]));
      // Numbered, or heading sections in many sources: an outline, whatever stands above it.
      for (const port of ['调试', '串口', '远程管理']) index.add(article(`己${i}`, `己的${port}通告${i}`, ['## 漏洞描述', `${device}的${port}端口默认开放，可被远程访问。`]));
      index.add(article('庚', `庚的通告${i}`, ['## 01 产品简介', `${device}是一款常见的网络设备。`]));
    }
    const answer = createAnswerer(index, tokenizer);
    const headingOf = (question: string) => answer(question, { limit: 1 }).results[0]?.heading;
    expect(headingOf('路由器固件认证绕过漏洞')).toBe('导语');
    expect(headingOf('路由器管理接口会话令牌')).toBe('漏洞详情');
    expect(headingOf('路由器的调试端口默认开放')).toBe('漏洞描述');
    expect(headingOf('路由器是一款常见的网络设备')).toBe('01 产品简介');
    expect(index.passage(index.search(tokenizer.analyzeQuery('路由器固件认证绕过漏洞'), { limit: 1 })[0]!.passage.id)?.heading).toBe('导语');
    const first = index.articles().find((a) => a.title === '戊的文章0')!;
    expect(first.sections.map((_, i) => index.citedHeading(first, i))).toEqual(['导语', '漏洞详情']);
  });

  it('are never answers', () => {
    const index = createSearchIndex(tokenizer);
    const disclaimer = '免责声明：本文仅用于技术交流与学习，请勿用于非法用途，否则后果自负。';
    for (let i = 0; i < 4; i++) index.add(article('丙', `丙的文章${i}`, [disclaimer, `丙的第${i}篇讲述了一种新的免杀技术和它的检测方法。`]));
    const answer = createAnswerer(index, tokenizer);
    const texts = answer('免责声明 非法用途 技术交流', { limit: 5 }).results.map((r) => r.text);
    expect(texts).not.toContain(disclaimer);
  });
});

describe('English questions about Chinese articles', () => {
  const dictionary = parseCedict(['腳本 脚本 [jiao3 ben3] /script/', '嘗試 尝试 [chang2 shi4] /to try/to attempt/CL:次[ci4]/', '黑盒 黑盒 [hei1 he2] /black box/', '減輕 减轻 [jian3 qing1] /to lighten/to mitigate/'].join('\n'));

  it('look the English words up in the dictionary, stemmed, and keep what the corpus holds', () => {
    expect(dictionary.translate('attempts')).toEqual(['尝试']);
    expect(dictionary.translate('mitigations')).toEqual(['减轻']);
    expect(isEnglishQuestion(normalizeText('How many attempts does the script make?'))).toBe(true);
    expect(isEnglishQuestion(normalizeText('Kafka 影响版本'))).toBe(false);
    const query = tokenizer.analyzeQuery('How many attempts does the black-box script make?');
    const held = withChineseSpellings(query, () => dictionary, (word) => (word === '脚本' || word === '尝试' ? 3 : 0));
    const aliases = held.words.flatMap((w) => w.aliases);
    expect(aliases).toEqual(expect.arrayContaining(['脚本', '尝试']));
    expect(aliases).not.toContain('黑盒');
  });

  it("take security writing's sense of a word before the dictionaries' everyday ones (flaw → 漏洞, not 裂缝)", () => {
    const lexicon = { translate: (english: string) => ({ flaw: ['缺点', '裂缝'], fixed: ['固定'] })[english] ?? [] };
    const query = tokenizer.analyzeQuery('When was the flaw in the router firmware fixed?');
    const inCorpus = new Set(['漏洞', '缺陷', '缺点', '裂缝', '修复', '固定']);
    const held = withChineseSpellings(query, () => dictionary, (word) => (inCorpus.has(word) ? 1 : 0), () => lexicon);
    expect(held.words.find((w) => w.term === 'flaw')?.aliases.slice(0, 2)).toEqual(['漏洞', '缺陷']);
    expect(held.words.find((w) => w.term === 'fixed')?.aliases[0]).toBe('修复');
    // Only what the corpus holds: 修补 is not in it.
    expect(held.words.find((w) => w.term === 'fixed')?.aliases).not.toContain('修补');
  });

  it("take the English–Chinese lexicon's first senses before the glosses read backwards", () => {
    const lexicon = { translate: (english: string) => (english === 'instruments' ? ['仪器', '工具', '乐器', '器械'] : []) };
    const query = tokenizer.analyzeQuery('Which instruments does the attacker target?');
    const inCorpus = new Set(['仪器', '工具', '乐器', '器械']);
    const held = withChineseSpellings(query, () => dictionary, (word) => (inCorpus.has(word) ? 1 : 0), () => lexicon);
    expect(held.words.find((w) => w.term === 'instruments')?.aliases).toEqual(['仪器', '工具', '乐器']);
  });

  it('are answered where they share a word as written with the passage, not through translations alone', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('旅行', '出行建议', ['最好的时期是六月，游客可以访问当地的博物馆。']));
    index.add(article('安全', 'Andariel 组织的新手法', ['Andariel 首先创建一个隐藏的低权限本地账户，再修改注册表。']));
    const answer = createAnswerer(index, tokenizer);
    expect(answer('When is the best season to visit Iceland?').results).toEqual([]);
    expect(answer('How does Andariel create the hidden account?').results[0]?.text).toContain('隐藏的低权限本地账户');
  });
});

describe('a long table cut into pieces', () => {
  it('lends no piece the identifiers of the next: other rows are other records', () => {
    const header = 'CVE-ID · CVE 标题 · 漏洞级别';
    const advisory = article('某安全简讯', '微软7月多个安全漏洞', ['x', 'y', 'z']);
    const section = advisory.sections[0]!;
    section.paragraphs = [
      '本次更新修复了130个漏洞，涵盖特权提升、远程代码执行等类型。',
      [header, 'CVE-2030-47981 · SPNEGO Security Mechanism Remote Code Execution Vulnerability · 严重'].join('\n'),
      [header, 'CVE-2030-49727 · Win32k 特权提升漏洞 · 重要', 'CVE-2030-49735 · Windows KDC 代理服务 (KPSSVC) 远程代码执行漏洞 · 严重'].join('\n'),
    ];
    section.kinds = ['text', 'table', 'table'];
    const index = createSearchIndex(tokenizer);
    index.add(advisory);
    const hits = index.search(tokenizer.analyzeQuery("In the advisory on Microsoft's July security updates, what kind of vulnerability is CVE-2030-49735?"));
    expect(hits[0]?.passage.text).toContain('KPSSVC');
  });
});

describe('English questions over English articles', () => {
  it("look for the corpus's other forms of each word (fix: fixed, fixes; bugs: bug), by stem, and nothing else", () => {
    const vocabulary = ['fix', 'fixed', 'fixes', 'fixture', 'bug', 'bugs', 'report', 'reported', 'reporting', 'reporter'];
    const index = {
      termsStartingWith: (prefix: string) => vocabulary.filter((term) => term.startsWith(prefix)),
      documentFrequency: (term: string) => (term === 'fixed' ? 9 : 1),
    };
    const query = withEnglishInflections(tokenizer.analyzeQuery('When did the vendor fix the bugs that were reported?'), index);
    const formsOf = (term: string) => query.words.find((w) => w.term === term)?.forms;
    expect(formsOf('fix')).toEqual(['fixed', 'fixes']);
    expect(formsOf('bugs')).toEqual(['bug']);
    expect(formsOf('reported')).toEqual(expect.arrayContaining(['report', 'reporting']));
    expect(formsOf('fix')).not.toContain('fixture');
    // A Chinese question's Latin names are names: they are not inflected.
    expect(withEnglishInflections(tokenizer.analyzeQuery('API 401 绕过 测试思路'), index)).toEqual(tokenizer.analyzeQuery('API 401 绕过 测试思路'));
  });

  it('find the paragraph that says it with other endings', () => {
    const index = createSearchIndex(tokenizer);
    index.add(article('Project Zero', 'Mind the Gap', [
      'Project Zero gave an internal preview of its talk on kernel drivers.',
      'We reported these five issues to ARM between June and July 2022. ARM fixed the issues promptly in July and August 2022.',
    ]));
    const hits = index.search(tokenizer.analyzeQuery('Did ARM fix the issue that Project Zero reports?'));
    expect(hits[0]?.passage.text).toContain('ARM fixed the issues promptly');
  });
});

describe('Chinese near-synonyms from the dictionary', () => {
  const dictionary = parseCedict(
    [
      '首次 首次 [shou3 ci4] /first/first time/for the first time/',
      '初次 初次 [chu1 ci4] /for the first time/first (meeting, attempt etc)/',
      '攻破 攻破 [gong1 po4] /to make a breakthrough/to break through/',
      '突破 突破 [tu1 po4] /to break through/to make a breakthrough/',
      '得到 得到 [de2 dao4] /to get/',
      ...['拿到', '获得', '获取', '取得', '弄到', '搞到', '赢得', '领到', '讨到'].map((w) => `${w} ${w} [x] /to get/`),
    ].join('\n'),
  );

  it('are the words glossed with one of the same senses; a loose sense joins only words that share a character', () => {
    expect(dictionary.synonyms('首次')).toEqual(['初次']);
    expect(dictionary.synonyms('攻破')).toEqual(['突破']);
    // "to get" glosses ten words: too loose on its own, so 拿到 meets 得到 (到) but not 获得 or 赢得.
    expect(dictionary.synonyms('拿到')).toEqual(['得到', '弄到', '搞到', '领到', '讨到']);
    expect(dictionary.synonyms('赢得')).toEqual(['得到', '获得', '取得']);
  });

  it('are offered for a Chinese question where the corpus holds them, and count for less than the word', () => {
    const query = withChineseSynonyms(tokenizer.analyzeQuery('首次攻破防火墙用了什么办法'), () => dictionary, (w) => (w === '初次' ? 2 : 0), 0.5);
    expect(query.words.find((w) => w.term === '首次')?.related).toEqual(['初次']);
    expect(query.relatedCredit).toBe(0.5);
    expect(query.words.find((w) => w.term === '攻破')?.related).toBeUndefined();
    // The shipped dictionary glosses 攻破 and 突破 alike ("to break through").
    const index = createSearchIndex(tokenizer);
    index.add(article('子', '某防火墙设备漏洞分析', ['黑客盯上了防火墙。', '黑客在去年十月突破了这家公司的防火墙。']));
    const top = (synonymCredit: number) => index.search(tokenizer.analyzeQuery('黑客怎么攻破防火墙'), { limit: 2, ranking: { ...DEFAULT_RANKING, synonymCredit } });
    expect(top(DEFAULT_RANKING.synonymCredit)[0]?.passage.text).toContain('突破');
    expect(top(DEFAULT_RANKING.synonymCredit)[0]!.passageCoverage).toBeLessThan(1);
    expect(top(0)[0]?.passage.text).toBe('黑客盯上了防火墙。');
  });

  it('weigh in the snippet as in the ranking: a share of their word, in its group', () => {
    const query = withChineseSynonyms(tokenizer.analyzeQuery('首次攻破防火墙用了什么办法'), () => dictionary, (w) => (w === '初次' ? 2 : 0), 0.5);
    const weights = snippetWeightsOf(query);
    const word = query.words.find((w) => w.term === '首次')!;
    expect(weights.get('初次')).toEqual({ group: weights.get('首次')!.group, weight: word.weight * 0.5 });
  });
});

describe('answer types', () => {
  it('read what a question asks for, and whether a passage holds it', () => {
    expect(answerTypesOf('这个漏洞拖了多久才修').map((t) => t.name)).toContain('duration');
    expect(answerTypesOf('升到哪个版本才算修好').map((t) => t.name)).toContain('version');
    expect(answerTypesOf('为什么会崩').map((t) => t.name)).toContain('cause');
    expect(holdsAnswer(answerTypesOf('拖了多久'), '却拖延了近五年才发布补丁')).toBe(true);
    expect(holdsAnswer(answerTypesOf('哪个版本修复了'), '只有8.10版本进行了修补')).toBe(true);
    expect(holdsAnswer(answerTypesOf('哪个版本修复了'), '官方已经发布了补丁')).toBe(false);
  });

  it('read a frequency as an answer to 多久一次, a percentage to 各占多少, a path to 哪个目录', () => {
    const names = (q: string) => answerTypesOf(q).map((t) => t.name);
    expect(holdsAnswer(answerTypesOf('多久要做一次安全评估'), '定期评估会纳入整体风险管理计划，每月或每周进行一次。')).toBe(true);
    expect(holdsAnswer(answerTypesOf('多久要做一次安全评估'), '定期评估会纳入整体风险管理计划。')).toBe(false);
    expect(names('哪几块子系统出洞最多？大概各占多少？')).toEqual(expect.arrayContaining(['count', 'share']));
    expect(holdsAnswer(answerTypesOf('大概各占多少'), '它们的漏洞占比分别为45%、16.7%和14.3%')).toBe(true);
    expect(holdsAnswer(answerTypesOf('发布了多少份安全公告'), '本周，该公司发布了32份安全公告')).toBe(true);
    expect(holdsAnswer(answerTypesOf('上传的文件都放在哪个目录'), '所有上传的文件都位于 /mnt/data 目录中')).toBe(true);
    expect(holdsAnswer(answerTypesOf('上传的文件都放在哪个目录'), '文件上传后由沙箱统一保存')).toBe(false);
    expect(names('是在哪几个版本之间又冒出来的')).toContain('version');
    // English "how much" is a quantity; money only when the question says so.
    expect(names('how much power does the doorbell consume')).not.toContain('money');
    expect(holdsAnswer(answerTypesOf('how much power does the doorbell consume'), 'my doorbell consumes 3 watt 24/7')).toBe(true);
    expect(names('how much does it cost to renew the license')).toContain('money');
  });

  it('read 影响 as a consequence, but 影响版本 and 影响范围 as the versions and scope affected', () => {
    const names = (q: string) => answerTypesOf(q).map((t) => t.name);
    expect(names('这个漏洞有什么影响')).toContain('consequence');
    expect(names('CVE-2025-2783 影响哪些版本')).toEqual(['version']);
    expect(names('Kafka 影响版本')).toEqual(['version']);
    expect(names('受影响的版本有哪些')).not.toContain('consequence');
    expect(names('影响范围多大')).not.toContain('consequence');
  });

  it('read a remedy asked for by name (修复方案, 整改意见), and a search-engine query asked for by the engine', () => {
    const names = (q: string) => answerTypesOf(q).map((t) => t.name);
    expect(names('CVE-2025-0725 libcurl 修复方案')).toContain('remedy');
    expect(names('这个SQL注入的整改意见是什么')).toContain('remedy');
    expect(holdsAnswer(answerTypesOf('想用 fofa 找这类站点该用啥语法'), 'body="/comhome/cases/index.html"')).toBe(true);
    expect(holdsAnswer(answerTypesOf('hunter 怎么搜'), 'web.title="xxx管理系统"')).toBe(true);
    expect(holdsAnswer(answerTypesOf('fofa 语法'), '该系统存在 sql 注入漏洞，攻击者可获取数据库信息')).toBe(false);
    expect(names('这个漏洞的危害是什么')).not.toContain('search');
  });

  it('read 问题出在哪 as asking for a cause, and only a number that reads as a version as a version', () => {
    expect(answerTypesOf('新版Chrome弹不出数据，问题出在哪').map((t) => t.name)).toContain('cause');
    const version = answerTypesOf('官方在哪些版本修好的');
    expect(holdsAnswer(version, '发布了新版本8.8.15 P31.1和 9.0.0 P24.1')).toBe(true);
    expect(holdsAnswer(version, '建议尽快更新至v10.75版本补丁')).toBe(true);
    expect(holdsAnswer(version, 'OpenSSH 9.8p1 修复了该漏洞')).toBe(true);
    expect(holdsAnswer(version, '受影响版本：Vite <= 6.2.2')).toBe(true);
    expect(holdsAnswer(version, 'Vite 5.x 受影响')).toBe(true);
    // A CVSS score is a decimal in nearly every advisory, not a version.
    expect(holdsAnswer(version, 'CVE-2022-27924的CVSS评分为7.5，是未认证请求的缓存投毒')).toBe(false);
  });

  it('read colloquial question words as their plain forms (咋办 as 怎么办, 啥时候 as 什么时候)', () => {
    expect(answerTypesOf('payload被拦了咋办').map((t) => t.name)).toContain('remedy');
    expect(answerTypesOf('补丁啥时候出').map((t) => t.name)).toContain('date');
    expect(answerTypesOf('这个洞咋弄').map((t) => t.name)).toContain('method');
  });
});

describe('a question that names its article first ("那篇讲X的文章里，…")', () => {
  const question = '那篇讲国产智能网联汽车挖洞的议题回顾里，作者说进了车机工程模式最想搞到啥？';

  it('splits off the clause that points at the article, and only then', () => {
    expect(articleReferenceOf(normalizeText(question))).toEqual({ clause: '那篇讲国产智能网联汽车挖洞的议题回顾里', rest: normalizeText('作者说进了车机工程模式最想搞到啥？') });
    expect(articleReferenceOf(normalizeText('那个拿了4万美元赏金的案例里，作者从哪儿看到命令输出的？'))?.clause).toBe('那个拿了4万美元赏金的案例里');
    // A place, not an article: 在Windows系统里 points at nothing written.
    expect(articleReferenceOf(normalizeText('在Windows系统里，怎么关闭自动更新？'))).toBeUndefined();
    expect(articleReferenceOf(normalizeText('车机工程模式最想搞到啥？'))).toBeUndefined();
    const marked = tokenizer.analyzeQuery(question).words.filter((w) => w.namesArticle).map((w) => w.term);
    expect(marked).toEqual(expect.arrayContaining(['国产', '汽车', '议题']));
    expect(marked).not.toContain('工程模式');
  });

  it('finds the article by the clause and the paragraph by the rest', () => {
    const index = createSearchIndex(tokenizer);
    index.add(
      article('车联网安全', '国产智能网联汽车漏洞挖掘议题回顾', [
        '本议题回顾国产智能网联汽车漏洞挖掘的几种方法和思路，国产智能网联汽车的安全问题越来越多。',
        '国产智能网联汽车的挖洞是本次议题回顾的重点，作者分享了真实案例。',
        '进了车机的工程模式以后，最想要的就是打开ADB调试。',
      ]),
    );
    index.add(article('其他', '手机应用渗透测试入门', ['手机应用的工程模式可以打开调试开关。']));
    const analyzed = tokenizer.analyzeQuery(question);
    const top = (query: typeof analyzed) => index.search(query, { limit: 3 })[0]?.passage.text;
    expect(top(analyzed)).toContain('ADB');
    // Read as one bag of words, the paragraph that repeats the article's name comes first.
    expect(top({ ...analyzed, words: analyzed.words.map(({ namesArticle: _, ...word }) => word) })).not.toContain('ADB');
  });
});
