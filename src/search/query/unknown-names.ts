import type { AnalyzedQuery, QueryWord } from '../tokenizer.js';

// jieba cuts a name it does not know into single characters (瑞友天翼 → 瑞 友 天 翼, 飞塔 →
// 飞 塔), and a single character matches anywhere (天 in 今天). A run of single characters
// that stand side by side in the question is one word again where the corpus holds them side
// by side too: every adjacent pair is one of its bigrams. Colloquial runs of one-character
// verbs (被指拖了: 指 拖) are not, and stay apart.

const CJK_CHARACTER = /^[\u3400-\u9fff]$/u;

/**
 * The question with runs of single-character words rejoined where the corpus knows the run.
 * `gramFrequency` tells in how many passages a bigram occurs; a rejoined name weighs its
 * characters' weights together, at most `maxWeight` (that of a word never seen).
 */
export function withUnknownNames(query: AnalyzedQuery, gramFrequency: (gram: string) => number, maxWeight: number): AnalyzedQuery {
  const words: QueryWord[] = [];
  let changed = false;
  let run: QueryWord[] = [];
  const flush = () => {
    let start = 0;
    for (let i = 1; i <= run.length; i++) {
      // A pair the corpus never holds side by side ends the name so far.
      if (i < run.length && gramFrequency(run[i - 1]!.term + run[i]!.term) > 0) continue;
      const part = run.slice(start, i);
      if (part.length === 1) words.push(part[0]!);
      else {
        changed = true;
        const weight = Math.min(maxWeight, part.reduce((sum, w) => sum + w.weight, 0));
        words.push({ term: part.map((w) => w.term).join(''), weight, aliases: [] });
      }
      start = i;
    }
    run = [];
  };
  for (const word of query.words) {
    const previous = run[run.length - 1];
    const single = CJK_CHARACTER.test(word.term) && !word.aliases.length;
    // Side by side in the question, not merely one after the other in the word list.
    if (single && (!previous || query.normalized.includes(previous.term + word.term))) {
      run.push(word);
      continue;
    }
    flush();
    if (single) run.push(word);
    else words.push(word);
  }
  flush();
  return changed ? { ...query, words } : query;
}
