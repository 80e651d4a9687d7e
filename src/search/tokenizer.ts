import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodejieba from 'nodejieba';
import { parseIdfTable, type IdfTable } from './idf-table.js';
import { findPhrase, isCjk, isWordToken, normalizeText, phraseReadingsOf } from './normalize.js';
import { articleReferenceOf, namesOnlyTheArticle } from './article-reference.js';
import { isQuestionWord, JIEBA_STOP_WORDS, QUERY_STOP_WORDS } from './stop-words.js';

/** A query word with its weight and the other spellings that count as the same word. */
export interface QueryWord {
  term: string;
  /** jieba IDF: rare words weigh more. */
  weight: number;
  /** Synonyms from the glossary and the corpus (康斯伯格 ↔ kongsberg), normalised. */
  aliases: string[];
  /** Near-synonyms (首次 → 初次), found at question time: they count for less than the word. */
  related?: string[];
  /**
   * Other forms of an English word in the corpus (fixed, fixes for fix), found at question
   * time: a passage holding one holds the word, but they are not scored as terms of their own
   * (each would bring its own passages into the few an article sends to be ranked).
   */
  forms?: string[];
  /**
   * Set when the word only names the article the question is about ("那篇讲X的文章里，…"):
   * it finds the article, and the rest of the question finds the paragraph (see article-reference.ts).
   */
  namesArticle?: boolean;
}

export interface AnalyzedQuery {
  normalized: string;
  /** Informative words, stop words and question words removed, de-duplicated. */
  words: QueryWord[];
  /**
   * Character bigrams of the question with stop words blanked out, so bigrams that span
   * two adjacent words ("链安" in 供应链安全) reward passages where they stand together.
   */
  grams: string[];
  /** How much a word's near-synonyms (QueryWord.related) count against the word itself, once they are looked up. */
  relatedCredit?: number;
}

export interface TokenizerOptions {
  /** jieba user dictionary (one word per line, optional frequency and tag). */
  userDictPath?: string | undefined;
  /** Glossary groups: each inner array lists spellings of one thing. Its Chinese spellings become jieba words. */
  glossary?: string[][];
  /** Use jieba's HMM to join words unknown to the dictionary. */
  hmm?: boolean;
}

export interface Tokenizer {
  normalize(text: string): string;
  /** Words of a text for the index (normalised, cut for search, stop words dropped). */
  words(text: string): string[];
  /** jieba's plain cut of a text (whole words, stop words dropped): how a query phrase is split. */
  cut(text: string): string[];
  /** Character bigrams of the CJK runs of a normalised text, plus its Latin/digit words. */
  grams(text: string): string[];
  analyzeQuery(query: string): AnalyzedQuery;
  /** Replaces the aliases mined from the corpus (the glossary stays). Query-time only. */
  setMinedAliases(groups: string[][]): void;
  /** IDF of a word (jieba's table; unknown words get a high value). */
  idf(word: string): number;
  /** The IDF an unknown word gets: a name jieba's table has never seen. */
  readonly unknownIdf: number;
  /** Changes whenever anything that shapes the tokens changes: part of the snapshot key. */
  readonly fingerprint: string;
}

/** Bumped whenever the tokenizing code changes in a way that changes tokens. */
export const TOKENIZER_VERSION = 8;

const JIEBA_DICT_DIR = new URL('../../node_modules/nodejieba/submodules/cppjieba/dict/', import.meta.url);

let loadedUserDict: string | null = null;

/**
 * nodejieba keeps its dictionaries in process-wide native state: load once per user dict.
 * Its own copy of the IDF table (for nodejieba.extract) would cost ~19 MB of native memory
 * next to the one read here (loadIdf): it gets a one-line table, and keywordsOf stands in.
 */
function loadJieba(userDictPath: string | undefined): void {
  const key = userDictPath ?? '';
  if (loadedUserDict === key) return;
  const options: { userDict?: string; idfDict: string } = { idfDict: fileURLToPath(new URL('jieba-idf-placeholder.utf8', import.meta.url)) };
  if (userDictPath && existsSync(userDictPath)) options.userDict = userDictPath;
  nodejieba.load(options);
  loadedUserDict = key;
}

let idfTable: IdfTable | null = null;
let idfUnknown = 12;
let idfSingleCharacter = 7;

/**
 * Where single characters sit among jieba's IDF values (see loadIdf): with the commonest
 * words. In questions they are mostly verbs and particles (升, 算, 真, 拖).
 */
const SINGLE_CHARACTER_QUANTILE = 0.001;

function loadIdf(): IdfTable {
  if (idfTable) return idfTable;
  const table = parseIdfTable(readFileSync(new URL('idf.utf8', JIEBA_DICT_DIR), 'utf8'));
  // Words jieba never saw are usually names or rare terms: weigh them like the rare end.
  idfUnknown = table.quantile(0.9) ?? 12;
  // The table holds no single characters at all; as words (想, 搞, 太, 新) they are among the
  // commonest, so they weigh like the common end, not like an unknown name.
  idfSingleCharacter = table.quantile(SINGLE_CHARACTER_QUANTILE) ?? 7;
  idfTable = table;
  return table;
}

/** A key word of a text and its TF-IDF weight. */
export interface Keyword {
  word: string;
  weight: number;
}

/**
 * The `topN` key words of a text by TF-IDF, as jieba's keyword extractor (nodejieba.extract)
 * finds them: jieba's cut with HMM, single characters and jieba's stop words left out, each
 * word's count times its IDF (words the table lacks: the table's mean). Ties in word order.
 */
export function keywordsOf(text: string, topN: number): Keyword[] {
  if (loadedUserDict === null) loadJieba(undefined);
  const idf = loadIdf();
  const counts = new Map<string, number>();
  for (const word of nodejieba.cut(text, true)) {
    if ([...word].length < 2 || !word.trim() || JIEBA_STOP_WORDS.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts]
    .map(([word, count]) => ({ word, weight: count * (idf.get(word) ?? idf.mean) }))
    .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, topN);
}

const LATIN_WORD = /[a-z0-9][a-z0-9'’.\-_/]*[a-z0-9]|[a-z0-9]/g;
/** The possessive of a name is the name: OpenAI's bounty is about OpenAI. */
const POSSESSIVE = /['’]s$/;

/**
 * Cuts normalised text: Latin words and numbers by the regex above (jieba without HMM
 * splits lower-case English into letters), everything between them by jieba.
 */
function segment(normalized: string, cutter: (text: string) => string[]): string[] {
  const out: string[] = [];
  // No push(...tokens): spreading a large array into a call overflows the stack.
  const append = (tokens: readonly string[]) => {
    for (const token of tokens) out.push(token);
  };
  let at = 0;
  for (const m of normalized.matchAll(LATIN_WORD)) {
    const start = m.index ?? 0;
    if (start > at) append(cutter(normalized.slice(at, start)));
    out.push(m[0].replace(POSSESSIVE, ''));
    at = start + m[0].length;
  }
  if (at < normalized.length) append(cutter(normalized.slice(at)));
  return out;
}

/** The parts of a Latin compound (`cve-2025-0108` → cve, 2025, 0108); none for a plain word. */
export function compoundParts(token: string): string[] {
  if (!/[-_/]/.test(token) || !/^[a-z0-9]/.test(token)) return [];
  return token.split(/[-_/]+/).filter((part) => part.length >= 2 && !QUERY_STOP_WORDS.has(part));
}

export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const hmm = options.hmm ?? false;
  loadJieba(options.userDictPath);
  const idf = loadIdf();

  const glossary = (options.glossary ?? []).map(normalizeGroup).filter((g) => g.length >= 2);
  // Glossary names become dictionary words so jieba keeps them whole in text and questions.
  for (const group of glossary) {
    for (const spelling of group) {
      if (/[\u4e00-\u9fff]/.test(spelling) && spelling.length >= 2 && !/\s/.test(spelling)) nodejieba.insertWord(spelling);
    }
  }
  let aliasOf = new Map<string, Set<string>>();
  // Spellings found in questions by substring, longest first, before jieba cuts the rest;
  // grouped by first character so a question only tries the names that could start in it.
  let phrasesByFirst = new Map<string, string[]>();
  function setMinedAliases(mined: string[][]): void {
    aliasOf = new Map();
    for (const group of [...glossary, ...mined.map(normalizeGroup)]) {
      for (const spelling of group) {
        const set = aliasOf.get(spelling) ?? new Set<string>();
        for (const other of group) if (other !== spelling) set.add(other);
        aliasOf.set(spelling, set);
      }
    }
    phrasesByFirst = new Map();
    for (const phrase of [...aliasOf.keys()].filter((s) => s.length >= 2).sort((a, b) => b.length - a.length)) {
      const first = phrase[0] ?? '';
      phrasesByFirst.set(first, [...(phrasesByFirst.get(first) ?? []), phrase]);
    }
  }
  setMinedAliases([]);

  const userDictHash = options.userDictPath && existsSync(options.userDictPath)
    ? createHash('sha256').update(readFileSync(options.userDictPath)).digest('hex').slice(0, 12)
    : 'none';
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ v: TOKENIZER_VERSION, hmm, userDictHash, glossary }))
    .digest('hex')
    .slice(0, 16);

  function idfOf(word: string): number {
    const known = idf.get(word);
    if (known !== undefined) return known;
    // A single character, or a small number (39, 2024 not: four digits name a year or an id).
    if ([...word].length === 1 || /^\d{1,3}$/.test(word)) return idfSingleCharacter;
    // A phrase jieba does not know but whose words it does (漏洞编号): as rare as its rarest word.
    if (/[\u4e00-\u9fff]/.test(word) && word.length > 2) {
      const pieces = nodejieba.cut(word, hmm);
      if (pieces.length > 1 && pieces.every((p) => idf.get(p) !== undefined)) return Math.max(...pieces.map((p) => idf.get(p) ?? 0));
    }
    return idfUnknown;
  }

  function cutNormalized(normalized: string): string[] {
    const out: string[] = [];
    for (const token of segment(normalized, (t) => nodejieba.cutForSearch(t, hmm))) {
      const t = token.trim();
      if (!t || !isWordToken(t) || QUERY_STOP_WORDS.has(t)) continue;
      out.push(t);
      // An identifier is indexed whole and by its parts: CVE-2025-0108 is found by
      // "CVE-2025-0108" and by "0108", PAN-OS by "pan-os" and by "pan".
      for (const part of compoundParts(t)) out.push(part);
    }
    return out;
  }

  function words(text: string): string[] {
    return cutNormalized(normalizeText(text));
  }

  function grams(text: string): string[] {
    const normalized = normalizeText(text);
    const out: string[] = [];
    let run = '';
    const flush = () => {
      if (run.length === 1) out.push(run);
      for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
      run = '';
    };
    for (const ch of normalized) {
      if (isCjk(ch)) run += ch;
      else flush();
    }
    flush();
    for (const m of normalized.matchAll(LATIN_WORD)) out.push(m[0].replace(POSSESSIVE, ''));
    return out;
  }

  function cut(text: string): string[] {
    return segment(normalizeText(text), (t) => nodejieba.cut(t, hmm))
      .map((t) => t.trim())
      .filter((t) => t && isWordToken(t) && !QUERY_STOP_WORDS.has(t));
  }

  function analyzeQuery(query: string): AnalyzedQuery {
    const normalized = normalizeText(query);
    // A traditional question's words in their character-by-character reading as well
    // (代码运行 ← 程式碼執行 → 代码执行), when that reading is a word jieba knows.
    const readings = phraseReadingsOf(query).filter(({ literal }) => idf.get(literal) !== undefined);
    const seen = new Set<string>();
    const result: QueryWord[] = [];
    const push = (term: string) => {
      if (seen.has(term)) return;
      seen.add(term);
      const aliases = [...(aliasOf.get(term) ?? [])];
      for (const { rewritten, literal } of readings) {
        const other = term.includes(rewritten) ? term.replace(rewritten, literal) : undefined;
        if (other && !aliases.includes(other)) aliases.push(other);
      }
      for (const alias of aliases) seen.add(alias);
      result.push({ term, weight: idfOf(term), aliases });
    };
    // Known names first, by substring: jieba may split a name it does not know (康斯伯格),
    // and English names may span several words (Bureau of Industry and Security).
    let rest = normalized;
    const candidates = [...new Set(normalized)].flatMap((ch) => phrasesByFirst.get(ch) ?? []).sort((a, b) => b.length - a.length);
    for (const phrase of candidates) {
      if (QUERY_STOP_WORDS.has(phrase)) continue;
      // Whole compounds only: an alias "pan" must not split the question's "pan-os".
      const at = findPhrase(rest, phrase, true);
      if (at < 0) continue;
      push(phrase);
      rest = `${rest.slice(0, at)} ${rest.slice(at + phrase.length)}`;
    }
    // cut (not cutForSearch) for questions: whole words, each counted once.
    let content = '';
    for (const token of segment(normalized, (t) => nodejieba.cut(t, hmm))) {
      const term = token.trim();
      const informative = Boolean(term) && isWordToken(term) && !isQuestionWord(term);
      content += informative ? token : ' ';
    }
    for (const token of segment(rest, (t) => nodejieba.cut(t, hmm))) {
      const term = token.trim();
      if (!term || !isWordToken(term) || isQuestionWord(term)) continue;
      push(term);
    }
    const reference = articleReferenceOf(normalized);
    const words = reference ? result.map((word) => (namesOnlyTheArticle(word.term, reference) ? { ...word, namesArticle: true } : word)) : result;
    return { normalized, words, grams: [...new Set(grams(content))] };
  }

  return { normalize: normalizeText, words, cut, grams, analyzeQuery, setMinedAliases, idf: idfOf, unknownIdf: idfUnknown, fingerprint };
}

function normalizeGroup(group: string[]): string[] {
  return [...new Set(group.map((s) => normalizeText(s).trim().replace(/\s+/g, ' ')).filter(Boolean))];
}
