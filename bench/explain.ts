// Why a question ranks what it ranks: the top hits with their scores and coverage. A tuning aid.
//   npx tsx bench/explain.ts --corpus DIR --data DIR "问题" ["问题" …]
import { openLibrary } from '../src/library.js';

const args = process.argv.slice(2);
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const questions = args.filter((a, i) => !a.startsWith('--') && !['--corpus', '--data', '--top'].includes(args[i - 1] ?? ''));
const { library } = openLibrary(valueOf('--corpus') ?? 'corpus', { dataDir: valueOf('--data') });
const top = Number(valueOf('--top') ?? 8);
for (const question of questions) {
  const query = library.tokenizer.analyzeQuery(question);
  console.log(`\n# ${question}\n  words: ${query.words.map((w) => `${w.term}(${w.weight.toFixed(1)})${w.aliases.length ? `=${w.aliases.join('|')}` : ''}`).join(' ')}`);
  for (const hit of library.index.search(query, { limit: top })) {
    const article = library.index.article(hit.passage.articleId);
    console.log(`  ${hit.score.toFixed(2).padStart(8)} cov=${hit.coverage.toFixed(2)} p=${hit.passageCoverage.toFixed(2)} 《${article?.title.slice(0, 40)}》 › ${hit.passage.heading.slice(0, 20)} | ${hit.passage.text.replace(/\s+/g, ' ').slice(0, 70)}`);
  }
}
