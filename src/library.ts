import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArticleError, isReadingList, type Article } from './corpus/article.js';
import { listArticleFiles, loadArticleFile, type LoadedCorpus } from './corpus/load-corpus.js';
import type { FileState } from './corpus/watch-corpus.js';
import { createAnswerer, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from './answer/answer.js';
import type { Library, PassageContext, UpsertOutcome } from './library-types.js';
import { loadGlossary, mineAliases } from './search/aliases.js';
import { createSearchIndex, DEFAULT_RANKING, type RankingOptions, type SearchIndex } from './search/search-index.js';
import { loadSnapshot, saveSnapshot, saveSnapshotInBackground, snapshotKey, type SnapshotContent, type SnapshotFile, type SnapshotLoad } from './search/snapshot.js';
import { createTokenizer, keywordsOf, type Tokenizer } from './search/tokenizer.js';

export type { Library } from './library-types.js';

export interface LibraryOptions {
  ranking?: RankingOptions;
  answer?: AnswerSettings;
  /** Aliases already mined per article id (from a snapshot); the rest are mined here. */
  minedAliases?: ReadonlyMap<string, string[][]>;
}

/** The tokenizer for a corpus folder: its user dictionary and glossary, if present. */
export function createCorpusTokenizer(corpusDir: string, hmm = false): Tokenizer {
  return createTokenizer({
    userDictPath: join(corpusDir, 'userdict.txt'),
    glossary: loadGlossary(join(corpusDir, 'glossary.txt')),
    hmm,
  });
}

/** A mined pair, and how many articles write it. */
export interface MinedGroup {
  group: readonly string[];
  uses: number;
}

/** The share of a spelling's pairings its one partner needs to be its other name. */
const DOMINANT_SHARE = 2 / 3;

/**
 * Mined pairs whose spellings are each the other's usual partner across the corpus. A name
 * written in two languages is paired the same way nearly wherever it appears (康斯伯格 ↔
 * Kongsberg; RCE ↔ 远程代码执行 in 26 of 31 pairings, the rest 远程命令执行 and the like);
 * a word that pairs with many (漏洞 ↔ KEV, PoC, XXE…; VPN ↔ 网关, 隧道连接…) is a label, not
 * a name, and aliasing it would make every passage with the label match. A partner that
 * holds another (实现远程代码执行 ⊃ 远程代码执行: the name-finder took a verb along) counts for it.
 */
export function unambiguous(mined: readonly MinedGroup[]): string[][] {
  const partners = new Map<string, Map<string, number>>();
  const spellingOf = new Map<string, string>();
  for (const { group, uses } of mined) {
    for (const spelling of group) {
      const key = spelling.toLowerCase();
      if (!spellingOf.has(key)) spellingOf.set(key, spelling);
      const counts = partners.get(key) ?? new Map<string, number>();
      for (const other of group) {
        const otherKey = other.toLowerCase();
        if (otherKey !== key) counts.set(otherKey, (counts.get(otherKey) ?? 0) + uses);
      }
      partners.set(key, counts);
    }
  }
  const dominantOf = (key: string): string | undefined => {
    const counts = partners.get(key);
    if (!counts?.size) return undefined;
    let total = 0;
    for (const uses of counts.values()) total += uses;
    let best: string | undefined;
    let bestSupport = 0;
    for (const candidate of counts.keys()) {
      let support = 0;
      for (const [other, uses] of counts) if (other.includes(candidate)) support += uses;
      if (support > bestSupport || (support === bestSupport && best !== undefined && candidate.length < best.length)) {
        best = candidate;
        bestSupport = support;
      }
    }
    return bestSupport >= DOMINANT_SHARE * total ? best : undefined;
  };
  const groups: string[][] = [];
  for (const key of [...partners.keys()].sort()) {
    const partner = dominantOf(key);
    if (partner === undefined || key >= partner || dominantOf(partner) !== key) continue;
    groups.push([spellingOf.get(key)!, spellingOf.get(partner)!]);
  }
  return groups;
}

/** Keeps articles, their index and the answerer in step. */
export function createLibrary(
  tokenizer: Tokenizer,
  articles: Iterable<Article> = [],
  options: LibraryOptions = {},
  index: SearchIndex = createSearchIndex(tokenizer, options.ranking ?? DEFAULT_RANKING),
): Library & { index: SearchIndex; tokenizer: Tokenizer; minedAliasesOf(articleId: string): string[][] | undefined } {
  for (const article of articles) if (!index.has(article.id)) index.add(article);
  // Aliases mined per article, so adding one article does not re-read the whole corpus.
  const aliasesByArticle = new Map<string, string[][]>();
  // How many articles write each alias group: the tokenizer is told only when the set of
  // distinct groups changes, and then in time proportional to the groups, not the articles.
  const groupUses = new Map<string, { group: string[]; uses: number }>();
  let groupsChanged = false;
  const count = (groups: string[][] | undefined, delta: 1 | -1) => {
    for (const group of groups ?? []) {
      const key = JSON.stringify(group);
      const entry = groupUses.get(key) ?? { group, uses: 0 };
      entry.uses += delta;
      if (entry.uses <= 0) groupsChanged = groupUses.delete(key) || groupsChanged;
      else if (!groupUses.has(key)) {
        groupUses.set(key, entry);
        groupsChanged = true;
      }
    }
  };
  const setArticleAliases = (articleId: string, groups: string[][] | undefined) => {
    count(aliasesByArticle.get(articleId), -1);
    if (groups) aliasesByArticle.set(articleId, groups);
    else aliasesByArticle.delete(articleId);
    count(groups, 1);
  };
  const refreshAliases = () => {
    if (groupsChanged) tokenizer.setMinedAliases(unambiguous([...groupUses.values()]));
    groupsChanged = false;
  };
  for (const a of index.articles()) setArticleAliases(a.id, options.minedAliases?.get(a.id) ?? mineAliases([a], tokenizer.idf));
  groupsChanged = true;
  refreshAliases();
  const answer = createAnswerer(index, tokenizer, options.answer ?? DEFAULT_ANSWER_SETTINGS);

  function sortedArticles(): Article[] {
    return index.articles().sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
  }

  function passageContext(passageId: string, radius = 1): PassageContext | undefined {
    const passage = index.passage(passageId);
    const article = passage && index.article(passage.articleId);
    const section = article?.sections[passage?.sectionIndex ?? -1];
    if (!passage || !article || !section) return undefined;
    const from = Math.max(0, passage.paragraphIndex - radius);
    const to = Math.min(section.paragraphs.length - 1, passage.paragraphIndex + radius);
    const paragraphs = [];
    for (let i = from; i <= to; i++) {
      paragraphs.push({ paragraphIndex: i, text: section.paragraphs[i] ?? '', isTarget: i === passage.paragraphIndex });
    }
    return { article, heading: passage.heading, sectionIndex: passage.sectionIndex, paragraphs };
  }

  // Examples go with every greeting and every "not found": made once per corpus state.
  const examplesByCount = new Map<number, string[]>();

  /** Questions about the corpus's salient words (jieba TF-IDF per section) that it does answer. */
  function exampleQuestions(count: number): string[] {
    let examples = examplesByCount.get(count);
    if (!examples) {
      examples = findExampleQuestions(count);
      examplesByCount.set(count, examples);
    }
    return [...examples];
  }

  function findExampleQuestions(count: number): string[] {
    const questions: string[] = [];
    const used = new Set<string>();
    for (const article of sortedArticles()) {
      for (const section of article.sections) {
        if (questions.length >= count) return questions;
        // Lists of links to other articles say what to read next, not what this one says.
        const own = section.paragraphs.filter((_, i) => !isReadingList(section, i));
        if (!own.length) continue;
        const keywords = keywordsOf(own.join(''), 5).map((k) => k.word);
        const keyword = keywords.find((k) => k.length >= 2 && !used.has(k) && !/^[\d.]+$/.test(k));
        if (!keyword) continue;
        const question = `${keyword}是怎么回事？`;
        if (answer(question, { limit: 1 }).results.length === 0) continue;
        used.add(keyword);
        questions.push(question);
      }
    }
    return questions;
  }

  function upsert(article: Article): UpsertOutcome {
    const existing = index.article(article.id);
    if (existing?.contentHash === article.contentHash) return 'unchanged';
    index.add(article);
    setArticleAliases(article.id, mineAliases([article], tokenizer.idf));
    refreshAliases();
    examplesByCount.clear();
    return existing ? 'replaced' : 'added';
  }

  function remove(articleId: string): boolean {
    const removed = index.remove(articleId);
    if (removed) {
      setArticleAliases(articleId, undefined);
      refreshAliases();
      examplesByCount.clear();
    }
    return removed;
  }

  return {
    answer,
    articles: sortedArticles,
    article: (id) => index.article(id),
    sectionHeadings: (id) => {
      const article = index.article(id);
      return article ? article.sections.map((_, i) => index.citedHeading(article, i)) : [];
    },
    passageContext,
    exampleQuestions,
    matchesKeywords: (articleId, keywords) => answer(keywords, { articleId, limit: 1 }).results.length > 0,
    upsert,
    remove,
    index,
    tokenizer,
    minedAliasesOf: (articleId: string) => aliasesByArticle.get(articleId),
  };
}

export interface OpenLibraryOptions extends LibraryOptions {
  /** Where the index snapshot lives; without it the index is built from scratch. */
  dataDir?: string | undefined;
  /** Called while indexing articles that the snapshot does not cover. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface OpenedLibrary {
  library: ReturnType<typeof createLibrary>;
  corpus: LoadedCorpus;
  stats: { snapshot: string; reused: number; reindexed: number; removed: number; ms: number; saveMs: number };
  /** Saves the index as it stands now (after the running app changed it). */
  saveSnapshot(): void;
  /** Saves the index as it stands now, handing the event loop back while it writes. */
  saveSnapshotInBackground(): Promise<void>;
  /** Every article file as it stood when read (malformed ones too): the watcher's baseline. */
  fileStates: ReadonlyMap<string, FileState>;
}

/** An article the index could not take, as the error that names its file. */
export function indexingError(article: Article, error: unknown): ArticleError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ArticleError(article.file, `the article could not be indexed (${reason.slice(0, 200)})`);
}

export const SNAPSHOT_FILE = 'index-snapshot.bin';
/** Where format 1 (all JSON) lived: removed once a new snapshot is written. */
const OLD_SNAPSHOT_FILE = 'index-snapshot.json';

/**
 * Loads a corpus folder into a library; malformed files come back as errors. With a data
 * folder, a valid snapshot is loaded and only added, changed or removed files are
 * re-indexed; a corrupt, truncated or stale snapshot is rebuilt, never served.
 */
export function openLibrary(corpusDir: string, options: OpenLibraryOptions = {}): OpenedLibrary {
  const started = Date.now();
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new Error(`the corpus folder ${corpusDir} does not exist (set CORPUS_DIR to the folder holding the *.md articles)`);
  }
  const tokenizer = createCorpusTokenizer(corpusDir);
  const ranking = options.ranking ?? DEFAULT_RANKING;
  const path = options.dataDir ? join(options.dataDir, SNAPSHOT_FILE) : undefined;
  const key = snapshotKey(tokenizer.fingerprint);
  const loaded: SnapshotLoad = path ? loadSnapshot(path, key) : { ok: false, reason: 'no data folder' };
  const previous = loaded.ok ? loaded.content.files : {};

  const states: Record<string, SnapshotFile> = {};
  const kept: Article[] = [];
  const fresh: Article[] = [];
  const errors: ArticleError[] = [];
  const fileStates = new Map<string, FileState>();
  for (const file of listArticleFiles(corpusDir)) {
    const before = previous[file];
    const stat = statSync(join(corpusDir, file), { throwIfNoEntry: false });
    if (!stat) continue;
    fileStates.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
    if (before && before.size === stat.size && before.mtimeMs === stat.mtimeMs) {
      kept.push(before.article);
      states[file] = before;
      continue;
    }
    try {
      const article = loadArticleFile(corpusDir, file);
      const unchanged = before?.article.contentHash === article.contentHash;
      (unchanged ? kept : fresh).push(unchanged ? before.article : article);
      states[file] = unchanged ? { ...before, size: stat.size, mtimeMs: stat.mtimeMs } : { size: stat.size, mtimeMs: stat.mtimeMs, article };
    } catch (error) {
      errors.push(error instanceof ArticleError ? error : new ArticleError(file, String(error)));
    }
  }

  let index: SearchIndex;
  let removed = 0;
  if (loaded.ok) {
    index = createSearchIndex(tokenizer, ranking, { index: loaded.content.index, articles: Object.values(previous).map((f) => f.article) });
    // The index now holds its own copies: let the snapshot's arrays (hundreds of MB) go.
    (loaded.content as { index?: unknown }).index = undefined;
    const keptIds = new Set(kept.map((a) => a.id));
    for (const f of Object.values(previous)) if (!keptIds.has(f.article.id) && index.remove(f.article.id)) removed++;
  } else {
    // Without a snapshot nothing was kept: every article is fresh.
    index = createSearchIndex(tokenizer, ranking);
  }
  const indexed: Article[] = [];
  fresh.forEach((article, i) => {
    try {
      index.add(article);
      indexed.push(article);
    } catch (error) {
      // No text may take the whole corpus down: the file is skipped and named.
      errors.push(indexingError(article, error));
      delete states[article.file];
    }
    options.onProgress?.(i + 1, fresh.length);
  });

  const minedAliases = new Map<string, string[][]>();
  const keptArticles = new Set(kept);
  for (const f of Object.values(states)) if (f.aliases && keptArticles.has(f.article)) minedAliases.set(f.article.id, f.aliases);
  const library = createLibrary(tokenizer, [], { ...options, minedAliases }, index);
  // What the snapshot holds, taken at once: the encoding is a copy, articles are never mutated.
  const snapshotContent = (): SnapshotContent => {
    const files: Record<string, SnapshotFile> = {};
    for (const article of index.articles()) {
      const stat = statSync(join(corpusDir, article.file), { throwIfNoEntry: false });
      if (stat) files[article.file] = { size: stat.size, mtimeMs: stat.mtimeMs, article, aliases: library.minedAliasesOf(article.id) ?? [] };
    }
    return { files, index: index.encode() };
  };
  const saveNow = () => {
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    saveSnapshot(path, key, snapshotContent());
    rmSync(join(dirname(path), OLD_SNAPSHOT_FILE), { force: true });
  };
  const saveInBackground = async () => {
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    await saveSnapshotInBackground(path, key, snapshotContent());
  };
  const saveStarted = Date.now();
  if (path && (!loaded.ok || fresh.length || removed)) saveNow();
  const saveMs = Date.now() - saveStarted;
  return {
    library,
    corpus: { articles: kept.concat(indexed), errors },
    stats: { snapshot: loaded.ok ? 'loaded' : loaded.reason, reused: loaded.ok ? kept.length : 0, reindexed: indexed.length, removed, ms: Date.now() - started, saveMs },
    saveSnapshot: saveNow,
    saveSnapshotInBackground: saveInBackground,
    fileStates,
  };
}
