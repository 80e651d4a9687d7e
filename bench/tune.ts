// Grid over ranking knobs on a question file: a tuning aid, not part of the product.
import { readFileSync } from 'node:fs';
import { evaluateAnswers, formatReport, type EvalQuestion } from '../src/answer/evaluate.js';
import { createLibrary, createCorpusTokenizer } from '../src/library.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import { DEFAULT_RANKING } from '../src/search/search-index.js';
import { DEFAULT_ANSWER_SETTINGS } from '../src/answer/answer.js';

const file = process.argv[2] ?? 'tests/fixtures/dev.jsonl';
const questions = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EvalQuestion);
const corpus = loadCorpus('corpus');
const tokenizer = createCorpusTokenizer('corpus');
const body = new Set(corpus.articles.flatMap((a) => a.sections.map((s) => s.heading)).filter((h) => h !== '导语' && h !== '编者按'));
const rows: string[] = [];
for (const grams of [0, 0.15, 0.3, 0.6, 1])
  for (const heading of [0, 0.5, 1])
    for (const title of [0, 0.2])
      for (const cov of [0, 1, 2, 3])
        for (const k of [0.9, 1.2, 1.6])
          for (const b of [0.5, 0.75]) {
            const ranking = { ...DEFAULT_RANKING, boost: { words: 1, grams, heading, title }, bm25: { k, b, d: 0.5 }, coverageExponent: cov };
            const lib = createLibrary(tokenizer, corpus.articles, { ranking, answer: DEFAULT_ANSWER_SETTINGS });
            const r = evaluateAnswers(questions, questions.map((q) => lib.answer(q.q, { limit: 5 }).results), body);
            rows.push(`${(r.hit1 + r.hit3 + r.mrr5 + r.abstained).toFixed(3)} grams=${grams} heading=${heading} title=${title} cov=${cov} k=${k} b=${b} :: ${formatReport(r)}`);
          }
rows.sort().reverse();
console.log(rows.slice(0, 25).join('\n'));
console.log('...');
console.log(rows.slice(-5).join('\n'));
