import { join } from 'node:path';
import nodejieba from 'nodejieba';
import type { Article } from './corpus/article.js';
import { loadCorpus, type LoadedCorpus } from './corpus/load-corpus.js';
import { createAnswerer, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from './answer/answer.js';
import type { Library, PassageContext, UpsertOutcome } from './library-types.js';
import { loadGlossary, mineAliases } from './search/aliases.js';
import { createSearchIndex, DEFAULT_RANKING, type RankingOptions, type SearchIndex } from './search/search-index.js';
import { createTokenizer, type Tokenizer } from './search/tokenizer.js';

export type { Library } from './library-types.js';

export interface LibraryOptions {
  ranking?: RankingOptions;
  answer?: AnswerSettings;
}

/** The tokenizer for a corpus folder: its user dictionary and glossary, if present. */
export function createCorpusTokenizer(corpusDir: string, hmm = false): Tokenizer {
  return createTokenizer({
    userDictPath: join(corpusDir, 'userdict.txt'),
    glossary: loadGlossary(join(corpusDir, 'glossary.txt')),
    hmm,
  });
}

/** Keeps articles, their index and the answerer in step. */
export function createLibrary(
  tokenizer: Tokenizer,
  articles: Iterable<Article> = [],
  options: LibraryOptions = {},
  index: SearchIndex = createSearchIndex(tokenizer, options.ranking ?? DEFAULT_RANKING),
): Library & { index: SearchIndex; tokenizer: Tokenizer } {
  for (const article of articles) if (!index.has(article.id)) index.add(article);
  // Aliases mined per article, so adding one article does not re-read the whole corpus.
  const aliasesByArticle = new Map(index.articles().map((a) => [a.id, mineAliases([a])]));
  const refreshAliases = () => tokenizer.setMinedAliases([...aliasesByArticle.values()].flat());
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
    return { article, heading: section.heading, sectionIndex: passage.sectionIndex, paragraphs };
  }

  /** Questions about the corpus's salient words (jieba TF-IDF per section) that it does answer. */
  function exampleQuestions(count: number): string[] {
    const questions: string[] = [];
    const used = new Set<string>();
    for (const article of sortedArticles()) {
      for (const section of article.sections) {
        if (questions.length >= count) return questions;
        const keywords = nodejieba.extract(section.paragraphs.join(''), 5).map((k) => k.word);
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
    aliasesByArticle.set(article.id, mineAliases([article]));
    refreshAliases();
    return existing ? 'replaced' : 'added';
  }

  function remove(articleId: string): boolean {
    const removed = index.remove(articleId);
    if (removed && aliasesByArticle.delete(articleId)) refreshAliases();
    return removed;
  }

  return {
    answer,
    articles: sortedArticles,
    article: (id) => index.article(id),
    passageContext,
    exampleQuestions,
    matchesKeywords: (articleId, keywords) => answer(keywords, { articleId, limit: 1 }).results.length > 0,
    upsert,
    remove,
    index,
    tokenizer,
  };
}

/** Loads a corpus folder into a library; malformed files come back as errors. */
export function openLibrary(corpusDir: string, options: LibraryOptions = {}): { library: ReturnType<typeof createLibrary>; corpus: LoadedCorpus } {
  const tokenizer = createCorpusTokenizer(corpusDir);
  const corpus = loadCorpus(corpusDir);
  return { library: createLibrary(tokenizer, corpus.articles, options), corpus };
}
