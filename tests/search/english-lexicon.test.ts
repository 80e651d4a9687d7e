import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseFormsOf, chineseWordsOf, csvFields, englishLexicon, headwordOf, openEnglishLexicon } from '../../src/search/query/english-lexicon.js';

describe('the English–Chinese lexicon (ECDICT)', () => {
  it('reads a CSV line, quoted fields and doubled quotes included', () => {
    expect(csvFields('device,di\'vais,"n. an instrumentality, invented","n. 装置, 设备",,5')).toEqual(['device', "di'vais", 'n. an instrumentality, invented', 'n. 装置, 设备', '', '5']);
    expect(csvFields('"say ""hi""",,x')).toEqual(['say "hi"', '', 'x']);
    expect(csvFields('')).toEqual(['']);
    expect(headwordOf('device,di\'vais,"n. 装置, 设备"')).toBe('device');
    expect(headwordOf('"say ""hi""",,x')).toBe('say "hi"');
    expect(headwordOf('zebra')).toBe('zebra');
  });

  it('takes the Chinese words of a translation: main senses first, notes and an adjective\'s 的 dropped, web senses last', () => {
    expect(chineseWordsOf('[网络] 胡德；兜帽\\nvt. 创造, 建造（房屋）\\na. 隐藏的\\n[计] 小型程序')).toEqual(['创造', '建造', '隐藏', '小型程序', '胡德', '兜帽']);
    // One character is too ambiguous to search for; a pattern with a gap (给…加罩) is no word.
    expect(chineseWordsOf('n. 罩；给…加罩；面罩')).toEqual(['面罩']);
    expect(chineseWordsOf('vt. (使)联合, (使)结合')).toEqual(['联合', '结合']);
    expect(chineseWordsOf('v. 被劫持；使失效')).toEqual(['劫持', '失效']);
  });

  it('looks a word up under its own spelling first, then without its inflection', () => {
    expect(baseFormsOf('attempts')).toEqual(['attempts', 'attempt']);
    expect(baseFormsOf('consumes')).toEqual(['consumes', 'consum', 'consume']);
    expect(baseFormsOf('hijacking')).toEqual(['hijacking', 'hijack', 'hijacke']);
    expect(baseFormsOf('policies')).toEqual(['policies', 'policy', 'polici', 'policie']);
    expect(baseFormsOf('access')).toEqual(['access']);
  });

  it('finds entries on disk by binary search, whatever their case, phrases too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    const file = join(dir, 'ecdict.csv');
    const rows = [
      'word,phonetic,definition,translation,pos,collins,oxford,tag,bnc,frq,exchange,detail,audio',
      "'tween,,,prep. = between,,,,,0,0,,,",
      'account,,,"n. 账户, 解释",,,,,0,0,,,',
      'attempt,,,"n. 尝试, 企图",,,,,0,0,,,',
      'Device,,,"n. 装置, 设备",,,,,0,0,,,',
      'light bulb,,,n. 灯泡,,,,,0,0,,,',
      '"say ""hi""",,,v. 问候,,,,,0,0,,,',
      'zebra,,,n. 斑马,,,,,0,0,,,',
    ];
    writeFileSync(file, `${rows.join('\n')}\n`);
    const lexicon = openEnglishLexicon(file);
    expect(lexicon.translate('device')).toEqual(['装置', '设备']);
    expect(lexicon.translate('Attempts')).toEqual(['尝试', '企图']);
    expect(lexicon.translate('light bulb')).toEqual(['灯泡']);
    expect(lexicon.translate('account')).toEqual(['账户', '解释']);
    expect(lexicon.translate('zebra')).toEqual(['斑马']);
    expect(lexicon.translate('say "hi"')).toEqual(['问候']);
    expect(lexicon.translate("'tween")).toEqual([]);
    expect(lexicon.translate('guitar')).toEqual([]);
    expect(lexicon.translate('zzz')).toEqual([]);
    expect(lexicon.translate('')).toEqual([]);
  });

  it('ships with the ecdict package, and knows what CC-CEDICT read backwards does not', () => {
    const lexicon = englishLexicon();
    expect(lexicon.translate('devices')).toContain('设备');
    expect(lexicon.translate('attempts')).toContain('尝试');
    expect(lexicon.translate('hijacking')).toContain('劫持');
  });
});
