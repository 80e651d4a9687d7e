import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { loadGlossary, mineAliases } from '../../src/search/aliases.js';
import { normalizeText } from '../../src/search/normalize.js';
import { createTokenizer } from '../../src/search/tokenizer.js';

const seed = parseArticle('seed.md', readFileSync('corpus/2023-01-26-export-controls-return.md'));
const tokenizer = createTokenizer({ glossary: loadGlossary('corpus/glossary.txt') });
tokenizer.setMinedAliases(mineAliases([seed], tokenizer.idf));
const terms = (q: string) => tokenizer.analyzeQuery(q).words.map((w) => w.term);

describe('normalizeText', () => {
  it('turns traditional characters and Taiwan phrases into mainland simplified', () => {
    expect(normalizeText('國會議員為什麼砸東芝的音響')).toBe('国会议员为什么砸东芝的音响');
    expect(normalizeText('美國限制晶片出口')).toBe('美国限制芯片出口');
    expect(normalizeText('軟體')).toBe('软件');
  });

  it('leaves simplified text as it is, so a traditional word meets the mainland word it stands for', () => {
    // Over simplified text the Taiwan phrase table would rewrite 文件 → 文档 and 程序 → 进程.
    expect(normalizeText('下载文件后运行程序')).toBe('下载文件后运行程序');
    expect(normalizeText('檔案上傳')).toBe(normalizeText('文件上传'));
    expect(normalizeText('使用Python撰寫的程式')).toBe('使用python撰写的程序');
  });

  it('folds full-width letters and digits and lower-cases Latin', () => {
    expect(normalizeText('ＣＯＣＯＭ在１９９４年')).toBe('cocom在1994年');
    expect(normalizeText('Kongsberg')).toBe('kongsberg');
  });

  it('writes Chinese numerals in dates as digits, position for position', () => {
    expect(normalizeText('上世纪八十年代')).toBe('上世纪80年代');
    expect(normalizeText('一九八七年七月')).toBe('1987年七月');
    expect(normalizeText('十九世纪与二十世纪')).toBe('19世纪与20世纪');
    // Not dates, or not the same length as digits: left alone.
    for (const text of ['三十年', '几十年代', '二十一世纪', '一百八十年代']) expect(normalizeText(text)).toBe(text);
  });

  it('removes zero-width and control characters', () => {
    expect(normalizeText('东\u200b芝\u0007')).toBe('东芝 ');
  });
});

describe('the tokenizer on the seed article', () => {
  it('cuts a sentence into jieba words without punctuation or stop words', () => {
    const words = tokenizer.words('1949年，他们成立了多边出口管制协调委员会（COCOM）。');
    expect(words).toContain('出口');
    expect(words).toContain('管制');
    expect(words).toContain('cocom');
    expect(words).not.toContain('，');
    expect(words).not.toContain('了');
  });

  it('keeps lower-case English words whole (jieba alone would split them into letters)', () => {
    expect(tokenizer.words('苏联进口商Tekmashimport')).toContain('tekmashimport');
    expect(terms('What is Wassenaar?')).toEqual(['wassenaar']);
  });

  it('drops question words and particles from questions', () => {
    expect(terms('东芝丑闻是哪一年开始的？')).toEqual(['东芝', '丑闻', '开始']);
    for (const stop of ['的', '了', '什么', '怎么', '为什么', '哪些', '吗', '呢']) {
      expect(terms(`出口管制${stop}`)).not.toContain(stop);
    }
  });

  it('drops colloquial question words that jieba keeps whole (咋办 is 怎么办), so "not found" never names them as absent', () => {
    expect(terms('payload被拦了咋办')).toEqual(['payload', '拦']);
    for (const asked of ['咋样', '啥时候', '干嘛', '怎么弄', '几时']) {
      expect(terms(`出口管制${asked}`)).not.toContain(asked);
    }
  });

  it('drops the intensifiers a spoken question leans on (到底, 究竟, 真的, 算), which no answer repeats', () => {
    expect(terms('这个补丁到底算不算真的修好了')).toEqual(['补丁', '修好']);
    expect(terms('出口管制究竟是怎么回事')).toEqual(['出口管制']);
  });

  it('drops an interrogative with its measure word (哪几个, 几块), but not the numbers asked about', () => {
    expect(terms('漏洞是在哪几个版本之间出现的')).toEqual(['漏洞', '版本', '之间', '出现']);
    expect(terms('内核哪几块子系统漏洞最多')).not.toContain('几块');
    expect(terms('三步走是哪三步')).toContain('三步');
    expect(terms('几乎所有设备')).toContain('几乎');
    expect(terms('这个平台能干哪几样活')).not.toContain('几样');
    expect(terms('这是谷歌今年第几次修补零日漏洞')).not.toContain('第几次');
  });

  it('drops the A-not-A form of a yes-no question (值不值得, 好不好), which no answer says', () => {
    expect(terms('这个IP值不值得出报告')).not.toContain('值不值得');
    expect(terms('这个扫描器好不好用')).not.toContain('好不好');
    expect(terms('差不多所有版本')).toContain('差不多');
  });

  it('treats traditional and simplified questions alike', () => {
    expect(terms('國會議員為什麼砸東芝的音響')).toEqual(terms('国会议员为什么砸东芝的音响'));
  });

  it('keeps the character-by-character reading of a phrase the Taiwan table rewrote (執行 → 运行, also 执行)', () => {
    const words = tokenizer.analyzeQuery('遠端程式碼執行漏洞的執行條件').words;
    expect(words.find((w) => w.term === '运行')?.aliases).toContain('执行');
    expect(words.find((w) => w.term === '代码运行')?.aliases).toContain('代码执行');
    // A simplified question has one reading only.
    expect(tokenizer.analyzeQuery('运行条件').words.find((w) => w.term === '运行')?.aliases).toEqual([]);
  });

  it('mines 中文（English） pairs from the corpus as two-way aliases', () => {
    const mined = mineAliases([seed], tokenizer.idf);
    expect(mined).toContainEqual(['康斯伯格', 'Kongsberg']);
    expect(mined).toContainEqual(['多边出口管制协调委员会', 'COCOM']);
    const kongsberg = tokenizer.analyzeQuery('Kongsberg').words[0];
    expect(kongsberg?.aliases).toContain('康斯伯格');
    const chinese = tokenizer.analyzeQuery('康斯伯格').words[0];
    expect(chinese?.aliases).toContain('kongsberg');
  });

  it('uses the glossary for names the article does not spell out', () => {
    expect(tokenizer.analyzeQuery('SMIC').words[0]?.aliases).toContain('中芯国际');
    expect(tokenizer.analyzeQuery('巴黎統籌委員會').words[0]?.aliases).toContain('cocom');
  });

  it('finds multi-word English names from the glossary as one word', () => {
    expect(terms('Bureau of Industry and Security')).toEqual(['bureau of industry and security']);
  });

  it('weighs rare words above common ones', () => {
    expect(tokenizer.idf('康斯伯格')).toBeGreaterThan(tokenizer.idf('美国'));
  });

  it('weighs single characters (which jieba\'s table lacks) like common words, not like unknown names', () => {
    for (const ch of ['搞', '想', '太']) {
      expect(tokenizer.idf(ch)).toBeLessThan(tokenizer.idf('荷兰') + 1);
      expect(tokenizer.idf(ch)).toBeLessThan(tokenizer.idf('康斯伯格') - 3);
    }
  });

  it('drops conversational frames from questions', () => {
    expect(terms('我想了解一下，听说这件事情后来怎么样了')).toEqual([]);
  });

  it('produces character bigrams that span adjacent question words', () => {
    expect(tokenizer.analyzeQuery('供应链安全方面的文章').grams).toContain('链安');
  });

  it('loads a user dictionary so a made-up domain word stays whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'userdict-'));
    try {
      const path = join(dir, 'userdict.txt');
      writeFileSync(path, '蓝鲸芯联盟 100 nz\n');
      const custom = createTokenizer({ userDictPath: path });
      expect(custom.words('蓝鲸芯联盟宣布成立')).toContain('蓝鲸芯联盟');
      expect(custom.fingerprint).not.toBe(tokenizer.fingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never throws and never yields empty terms, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (text) => {
        const analyzed = tokenizer.analyzeQuery(text);
        for (const w of analyzed.words) expect(w.term.trim()).not.toBe('');
        for (const t of [...tokenizer.words(text), ...tokenizer.grams(text), ...analyzed.grams]) expect(t.trim()).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });
});

describe('English possessives', () => {
  it('are the name they belong to, in questions and in the index alike', () => {
    expect(terms("Which bug class is OpenAI's bounty focused on?")).toContain('openai');
    expect(tokenizer.words('Microsoft’s patch for OpenAI’s app')).toEqual(expect.arrayContaining(['microsoft', 'openai']));
    expect(tokenizer.words("don't")).toEqual(["don't"]);
  });
});
