// What kind of answer a question asks for, read from its question words, and what a
// passage holding such an answer looks like. "多久" wants a span of time (三年, 17 天),
// "哪个版本" a version (8.10), "为什么" a cause (由于, 源于, 原因是), "怎么办" a remedy
// (建议, 升级, 可以通过). Classic question answering: among passages that mention what the
// question names, the one with an answer of the right kind is more likely the answer.
// These are facts of the language, not of any article or question set.

export interface AnswerType {
  name: string;
  /** The question asks for this kind of answer. */
  asks: RegExp;
  /** A passage holds an answer of this kind. */
  holds: RegExp;
}

const NUMBER = '(?:\\d[\\d,.]*|[一二两三四五六七八九十百千万几数]+)';

export const ANSWER_TYPES: readonly AnswerType[] = [
  {
    name: 'duration',
    asks: /多久|多长时间|几天|几年|几个月|多少天|多少年|多长|多频繁|how long|how often/,
    // "多久做一次" is answered by a frequency as often as by a span: 每月或每周.
    holds: new RegExp(`${NUMBER}\\s*(?:天|年|个月|月|周|小时|分钟|days?|years?|months?|weeks?|hours?)|每隔?[天日周月年季]|每个?(?:月|星期|季度)|(?:daily|weekly|monthly|yearly)\\b`),
  },
  {
    name: 'date',
    asks: /什么时候|啥时候|何时|几时|哪天|哪一天|哪年|哪一年|几月|几号|when\b/,
    holds: /\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月|\d{4}[-/.]\d{1,2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d/,
  },
  {
    name: 'money',
    // English "how much" asks for money only when it says so (how much power, how much data).
    asks: /多少钱|价格|价钱|费用|奖励|奖金|赏金|多少元|多少美元|how much (?:money|does (?:it|this|that) cost|did (?:it|they) (?:pay|cost))|price|\bcost\b/,
    holds: new RegExp(`${NUMBER}\\s*(?:元|美元|万元|亿元|欧元|英镑|刀|\\$)|\\$\\s*\\d`),
  },
  {
    name: 'version',
    asks: /哪[几一]?[个些款]?版本|什么版本|版本号|哪一版|影响版本|受影响|升到|升级到|修复版本|安全版本|which versions?/,
    // A number that reads as a version: three parts (8.8.15), a v (v10.75), a suffix (9.8p1,
    // 5.x), a version word or a bound beside it. Not any decimal: a CVSS score (评分为7.5)
    // sits in nearly every advisory.
    holds: /\d+\.\d+\.\d+|\bv\d+(?:\.\d+)+|\d+\.\d+p\d+|\d+(?:\.\d+)*\.x\b|(?:版本|version|release|升级|更新|升)\s*(?:到|至|为|:|：)?\s*v?\d+\.\d+|\d+\.\d+\s*(?:版|及以|之前|以前|以下|以上|或更高|及更高|or (?:later|earlier|higher|newer))|[<>≤≥]=?\s*v?\d/,
  },
  {
    name: 'identifier',
    asks: /编号|cve|漏洞号|哪个漏洞|什么漏洞/,
    holds: /cve-\d{4}-\d{3,}|cnvd-\d{4}-\d+|cnnvd-\d{6}-\d+/,
  },
  {
    name: 'score',
    asks: /评分|分数|cvss|严重程度|等级/,
    holds: /\d{1,2}\.\d|评分[:：]?\s*\d|高危|严重|中危|低危/,
  },
  {
    name: 'count',
    asks: /多少个|几个|多少|几种|几项|几步|哪几|how many|how much/,
    holds: new RegExp(`${NUMBER}\\s*(?:个|种|项|步|台|家|名|次|条|处|款|万|亿|份|篇|起|位|例|封|批|轮|%)|\\b\\d[\\d,.]*\\s*(?:%|[a-z]{2,})`),
  },
  {
    name: 'share',
    asks: /占比|比例|占多少|各占|百分之|百分比|percentage|what share/,
    holds: /\d+(?:\.\d+)?\s*%|百分之/,
  },
  {
    name: 'path',
    asks: /哪个目录|什么目录|哪个路径|什么路径|哪个文件夹|放在哪|存在哪|存放在哪|位于哪|which (?:directory|folder|path)/,
    holds: /(?:^|[^\w/])(?:\/[\w.-]+){2,}|[a-z]:\\[\w.-]/,
  },
  {
    // A query for a cyberspace search engine (FOFA, Hunter, Quake, Shodan): how readers find
    // exposed instances of what an advisory describes. Its answer is written in the engine's
    // syntax, a field and a quoted value: body="…", app="…", title="…".
    name: 'search',
    asks: /fofa|hunter|quake|shodan|zoomeye|censys|鹰图|测绘|搜索语法|搜索引擎|资产搜索|指纹|dork/,
    holds: /\b(?:body|title|app|header|icon_hash|domain|cert|banner|server|product|protocol|web\.title|web\.body|http\.title|http\.html)\s*[=:]{1,2}\s*["“']/,
  },
  {
    name: 'cause',
    asks: /为什么|为何|为啥|原因|怎么造成|如何造成|怎么回事|怎么导致|咋回事|问题出在|出在哪|哪里出了问题|哪出了问题|症结|why\b/,
    holds: /由于|因为|源于|原因|导致|造成|归因|之所以|在于|缺陷|未经|没有对|未对|不当|缺乏/,
  },
  {
    name: 'consequence',
    asks: /后果|会怎样|会怎么样|危害|(?<!受)影响(?!范围|[^，。？?]{0,3}版本)|能造成|能导致|可导致|能拿到|能干什么|what happens/,
    holds: /导致|造成|可以|能够|允许|获得|获取|执行任意|控制|泄露|拒绝服务|提升权限|绕过/,
  },
  {
    name: 'remedy',
    // Also asked by naming it: 修复方案, 整改意见, 处置办法.
    asks: /怎么办|咋办|咋整|如何修复|怎么修复|如何防范|怎么防|缓解|解决|怎么处理|应对|措施|建议|换成|升级|修复方案|整改|处置|加固|how (?:to|do i) (?:fix|mitigate)/,
    holds: /建议|升级|更新至|更新到|修复|缓解|临时|措施|禁用|关闭|限制|配置|可以通过|应当|替换|补丁/,
  },
  {
    name: 'method',
    asks: /怎么|如何|怎样|咋弄|咋搞|什么方法|什么技巧|哪几步|步骤|how\b/,
    holds: /通过|利用|使用|首先|然后|步骤|方法|发送|构造|修改|设置|调用|可以|如果/,
  },
];

/** The kinds of answer a (normalised) question asks for. */
export function answerTypesOf(question: string): AnswerType[] {
  return ANSWER_TYPES.filter((type) => type.asks.test(question));
}

/** Whether a (normalised) passage holds an answer of any of the kinds. */
export function holdsAnswer(types: readonly AnswerType[], text: string): boolean {
  return types.some((type) => type.holds.test(text));
}
