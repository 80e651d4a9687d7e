// For each question of a set: the gold passage's rank and scores next to the top hits. A tuning aid.
//   npx tsx bench/explain-dev.ts --corpus DIR --data DIR --questions FILE [--ids d001,d002]
import { readFileSync } from 'node:fs';
import { openLibrary } from '../src/library.js';
import { DEFAULT_RANKING } from '../src/search/search-index.js';

const args = process.argv.slice(2);
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const ids = valueOf('--ids')?.split(',');
const questions = readFileSync(valueOf('--questions') ?? '../shared/eval/real-dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; q: string; gold: string[] });
const { library } = openLibrary(valueOf('--corpus') ?? 'corpus', { dataDir: valueOf('--data') });
const squash = (s: string) => s.replace(/\s+/g, '');
const ranking = { ...DEFAULT_RANKING, coverageExponent: Number(valueOf('--exp') ?? DEFAULT_RANKING.coverageExponent) };
for (const question of questions) {
  if (!question.gold.length || (ids && !ids.includes(question.id))) continue;
  const query = library.tokenizer.analyzeQuery(question.q);
  const hits = library.index.search(query, { limit: 300, candidates: 300, ranking });
  const isGold = (text: string) => question.gold.some((g) => squash(text).includes(squash(g)));
  const rank = hits.findIndex((h) => isGold(h.passage.text));
  console.log(`\n# ${question.id} ${question.q}  → gold rank ${rank < 0 ? 'none' : rank + 1}`);
  console.log(`  words: ${query.words.map((w) => `${w.term}(${w.weight.toFixed(1)})`).join(' ')}`);
  const show = (h: (typeof hits)[number], mark: string) => {
    const title = library.index.article(h.passage.articleId)?.title ?? '';
    console.log(`  ${mark}${h.score.toFixed(1).padStart(8)} cov=${h.coverage.toFixed(2)} p=${h.passageCoverage.toFixed(2)} 《${title.slice(0, 30)}》›${h.passage.heading.slice(0, 12)} | ${h.passage.text.replace(/\s+/g, ' ').slice(0, 60)}`);
  };
  hits.slice(0, 3).forEach((h) => show(h, isGold(h.passage.text) ? '* ' : '  '));
  if (rank >= 3) show(hits[rank]!, `*${rank + 1} `);
  if (rank < 0) {
    // Not even a candidate: show the gold passage's own coverage.
    for (const article of library.articles()) {
      for (const section of article.sections) {
        section.paragraphs.forEach((text) => {
          if (isGold(text)) console.log(`  gold not ranked: 《${article.title.slice(0, 30)}》›${section.heading.slice(0, 12)} | ${text.replace(/\s+/g, ' ').slice(0, 80)}`);
        });
      }
    }
  }
}
