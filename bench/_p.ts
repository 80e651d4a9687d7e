import { readFileSync } from 'node:fs';
import { openLibrary } from '../src/library.js';
const { library } = openLibrary('corpus');
const qs = readFileSync('/tmp/qq.txt', 'utf8').split('\n').filter(Boolean);
for (const q of qs) {
  const aq = library.tokenizer.analyzeQuery(q);
  const a = library.index.search(aq, { limit: 3, candidates: 30 });
  console.log(q, aq.words.map((w) => `${w.term}:${w.weight.toFixed(1)}`).join(' '), '|', a.map((h) => h.coverage.toFixed(2)).join(' '));
}
