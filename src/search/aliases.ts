import { existsSync, readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';
import type { Article } from '../corpus/article.js';
import { QUERY_STOP_WORDS } from './stop-words.js';

// 中文（English） and English（中文）: how these articles introduce a name in both languages.
const CHINESE_THEN_LATIN = /([\u4e00-\u9fff·]{2,30})[（(]\s*([A-Za-z][A-Za-z0-9 .&'\-]{1,60}?)\s*[)）]/g;
const LATIN_THEN_CHINESE = /([A-Za-z][A-Za-z0-9.&'\-]*(?: [A-Za-z0-9.&'\-]+){0,6})\s*[（(]\s*([\u4e00-\u9fff·]{2,20})\s*[)）]/g;
const MAX_NAME_CHARS = 16;

const PROPER_NOUN_TAGS = new Set(['nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz', 'x']);

/**
 * The name that ends a run of Chinese text. A trailing run of proper-noun words wins
 * ("挪威国有国防承包商康斯伯格" → "康斯伯格"); otherwise walk back over words until a
 * function word or the length limit ("他们成立了多边出口管制协调委员会" → "多边出口管制协调委员会").
 */
function trailingName(text: string): string | undefined {
  const tagged = nodejieba.tag(text);
  let proper = '';
  for (let i = tagged.length - 1; i >= 0; i--) {
    const { word, tag } = tagged[i] ?? { word: '', tag: '' };
    if (!PROPER_NOUN_TAGS.has(tag) || proper.length + word.length > MAX_NAME_CHARS) break;
    proper = word + proper;
  }
  if (proper.length >= 2) return proper;
  let name = '';
  for (let i = tagged.length - 1; i >= 0; i--) {
    const word = tagged[i]?.word ?? '';
    if (QUERY_STOP_WORDS.has(word) || !/^[\u4e00-\u9fff·]+$/.test(word)) break;
    if (name.length + word.length > MAX_NAME_CHARS) break;
    name = word + name;
  }
  return name.length >= 2 ? name : undefined;
}

/** Words this frequent in general Chinese (jieba's IDF) are everyday words, not names. */
const COMMON_WORD_IDF = 8;

/** A place, person or organisation as jieba tags it (荷兰, 华为), however common. */
function isProperNoun(word: string): boolean {
  const tagged = nodejieba.tag(word);
  return tagged.length === 1 && ['nr', 'nrt', 'nrfg', 'ns', 'nt', 'nz'].includes(tagged[0]?.tag ?? '');
}

/**
 * Whether a pair reads as one name in two languages, not as a word glossed with a value or a
 * description: technical text puts all sorts in brackets (用户（root）, 版本（r1750）,
 * CVE-2025-27817（任意文件读取漏洞）). The English side is a name: letters only, a few words;
 * the Chinese side is not an everyday word (a common word paired with an English one would
 * make every passage with that word match a name).
 */
function isNamePair(chinese: string, latin: string, isCommonWord: (word: string) => boolean): boolean {
  if (!/^[A-Za-z][A-Za-z .&'\-]*[A-Za-z.]$/.test(latin) || latin.length > 40) return false;
  // Two letters only as an acronym (EU, UN): "in" or "at" in brackets is not a name.
  const letters = latin.replace(/[^A-Za-z]/g, '');
  if (letters.length < 2 || (letters.length < 3 && letters !== letters.toUpperCase()) || latin.split(/\s+/).length > 5) return false;
  if (QUERY_STOP_WORDS.has(latin.toLowerCase())) return false;
  if (chinese.length < 2 || chinese.length > 12) return false;
  return !isCommonWord(chinese);
}

/**
 * Alias groups written in the articles themselves, e.g. [康斯伯格, Kongsberg]. Snapshots keep
 * them per article: a change here that changes the groups must bump TOKENIZER_VERSION.
 */
export function mineAliases(articles: Iterable<Article>, idf?: (word: string) => number): string[][] {
  const isCommonWord = (word: string) => idf !== undefined && idf(word) < COMMON_WORD_IDF && !isProperNoun(word);
  const groups: string[][] = [];
  const seen = new Set<string>();
  const add = (chinese: string | undefined, latin: string | undefined) => {
    if (!chinese || !latin || !isNamePair(chinese, latin.trim(), isCommonWord)) return;
    const key = `${chinese}\u0000${latin.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    groups.push([chinese, latin.trim()]);
  };
  for (const article of articles) {
    for (const section of article.sections) {
      for (const paragraph of section.paragraphs) {
        for (const m of paragraph.matchAll(CHINESE_THEN_LATIN)) add(trailingName(m[1] ?? ''), m[2]);
        for (const m of paragraph.matchAll(LATIN_THEN_CHINESE)) add(m[2], m[1]);
      }
    }
  }
  return groups;
}

/**
 * Reads a glossary: one thing per line, its spellings separated by `|` or tabs
 * (`SMIC | 中芯国际 | 中芯`); `#` starts a comment. A missing file is an empty glossary.
 */
export function loadGlossary(path: string): string[][] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(/\s*[|\t]\s*/).map((s) => s.trim()).filter(Boolean))
    .filter((group) => group.length >= 2);
}
