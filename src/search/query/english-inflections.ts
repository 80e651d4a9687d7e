import type { AnalyzedQuery } from '../tokenizer.js';
import { isEnglishQuestion, stemKey } from './english-chinese.js';

// An English question and an English article seldom inflect a word alike: the question asks
// when Arm "fixed" the "bugs" it was "reported", the post says "ARM fixed the issues" it had
// "reported". The index keeps words as written, so at question time each English word also
// looks for the corpus's other forms of it: the terms that share its Porter stem.

/** Forms of one word looked for besides the word itself, the corpus's most used first. */
const MAX_FORMS = 4;
/** A short stem (the, pro) starts too many terms to scan, and is seldom a content word's. */
const MIN_STEM = 3;
const ENGLISH_WORD = /^[a-z]{3,}$/;

/** What the question needs of the index: its terms that start with a prefix, and their frequency. */
export interface TermsByPrefix {
  termsStartingWith(prefix: string): Iterable<string>;
  documentFrequency(term: string): number;
}

/** The question with each English word's other forms in the corpus (fixed, fixes for fix): see QueryWord.forms. */
export function withEnglishInflections(query: AnalyzedQuery, index: TermsByPrefix): AnalyzedQuery {
  if (!isEnglishQuestion(query.normalized)) return query;
  let changed = false;
  const words = query.words.map((word) => {
    if (!ENGLISH_WORD.test(word.term)) return word;
    const stem = stemKey(word.term);
    if (stem.length < MIN_STEM) return word;
    const known = new Set([word.term, ...word.aliases]);
    const forms: Array<{ term: string; count: number }> = [];
    for (const term of index.termsStartingWith(stem)) {
      if (known.has(term) || !ENGLISH_WORD.test(term) || stemKey(term) !== stem) continue;
      forms.push({ term, count: index.documentFrequency(term) });
    }
    if (!forms.length) return word;
    changed = true;
    const added = forms.sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : 1)).slice(0, MAX_FORMS).map((f) => f.term);
    return { ...word, forms: added };
  });
  return changed ? { ...query, words } : query;
}
