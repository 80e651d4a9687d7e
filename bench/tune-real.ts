// Ranking variants on a real archive and on the first article, in one process: a tuning aid,
// not part of the product. The archive's index comes from its snapshot (built once).
//   npx tsx bench/tune-real.ts --corpus DIR --data DIR --questions FILE [--variants NAME,…] [--verbose]
import { readFileSync } from 'node:fs';
import { createAnswerer, DEFAULT_ANSWER_SETTINGS, type AnswerSettings } from '../src/answer/answer.js';
import { evaluateAnswers, formatReport, type EvalQuestion } from '../src/answer/evaluate.js';
import { openLibrary } from '../src/library.js';
import { DEFAULT_RANKING, type RankingOptions } from '../src/search/search-index.js';

const args = process.argv.slice(2);
const valueOf = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const readQuestions = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalQuestion);

interface Variant {
  name: string;
  ranking: RankingOptions;
  settings: AnswerSettings;
}

const base: Variant = { name: 'default', ranking: DEFAULT_RANKING, settings: DEFAULT_ANSWER_SETTINGS };
const variants: Variant[] = [base];
const grid = valueOf('--grid');
if (grid === 'share') {
  for (const passageShare of [0.4, 0.5, 0.6, 0.7, 0.8, 1])
    for (const minCoverage of [0.45, 0.5, 0.55])
      for (const minPassageCoverage of [0.2, 0.3, 0.4])
        variants.push({ name: `share=${passageShare} min=${minCoverage} minP=${minPassageCoverage}`, ranking: { ...DEFAULT_RANKING, passageShare }, settings: { ...DEFAULT_ANSWER_SETTINGS, minCoverage, minCoverageLarge: minCoverage, minPassageCoverage } });
} else if (grid === 'boost') {
  for (const title of [0.2, 0.5, 1])
    for (const heading of [0.5, 1])
      for (const coverageExponent of [2, 3, 4, 6])
        variants.push({ name: `title=${title} heading=${heading} exp=${coverageExponent}`, ranking: { ...DEFAULT_RANKING, boost: { ...DEFAULT_RANKING.boost, title, heading }, coverageExponent }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'heading') {
  for (const heading of [0.5, 1, 1.5, 2, 3])
    for (const title of [0.3, 0.5])
      variants.push({ name: `heading=${heading} title=${title}`, ranking: { ...DEFAULT_RANKING, boost: { ...DEFAULT_RANKING.boost, title, heading } }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'wide') {
  for (const k of [0.5, 0.9, 1.2])
    for (const b of [0.3, 0.5, 0.7])
      for (const grams of [0, 0.5, 1])
        for (const coverageExponent of [4, 6, 8])
          for (const title of [0.5, 1])
            variants.push({
              name: `k=${k} b=${b} grams=${grams} exp=${coverageExponent} title=${title}`,
              ranking: { ...DEFAULT_RANKING, bm25: { ...DEFAULT_RANKING.bm25, k, b }, boost: { ...DEFAULT_RANKING.boost, grams, title }, coverageExponent },
              settings: DEFAULT_ANSWER_SETTINGS,
            });
} else if (grid === 'answer') {
  for (const answerTypeBoost of [1, 1.2, 1.4, 1.7, 2, 3])
    for (const coverageExponent of [4, 6])
      variants.push({ name: `answer=${answerTypeBoost} exp=${coverageExponent}`, ranking: { ...DEFAULT_RANKING, answerTypeBoost, coverageExponent, boost: { ...DEFAULT_RANKING.boost, title: 0.5 } }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'abstain') {
  for (const minCoverage of [0.5, 0.55, 0.6, 0.65, 0.7])
    for (const minPassageCoverage of [0.3, 0.4, 0.5])
      for (const passageShare of [0.6, 0.8])
        variants.push({ name: `min=${minCoverage} minP=${minPassageCoverage} share=${passageShare}`, ranking: { ...DEFAULT_RANKING, passageShare }, settings: { ...DEFAULT_ANSWER_SETTINGS, minCoverageLarge: minCoverage, minPassageCoverage } });
} else if (grid === 'compress') {
  for (const scoreExponent of [0.3, 0.2, 0.1, 0.05])
    for (const coverageExponent of [2, 4, 6, 8])
      variants.push({ name: `score^${scoreExponent} cov^${coverageExponent}`, ranking: { ...DEFAULT_RANKING, scoreExponent, coverageExponent }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'covans') {
  for (const coverageExponent of [6, 12, 20, 30])
    for (const answerTypeBoost of [1.4, 2, 3])
      for (const readingListWeight of [0.5, 0.1])
        variants.push({ name: `cov^${coverageExponent} ans=${answerTypeBoost} rl=${readingListWeight}`, ranking: { ...DEFAULT_RANKING, coverageExponent, answerTypeBoost, readingListWeight }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'synonyms') {
  for (const synonymCredit of [0.3, 0.5, 0.7, 1])
    variants.push({ name: `synonyms ×${synonymCredit}`, ranking: { ...DEFAULT_RANKING, synonymCredit }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'articles') {
  for (const topArticles of [4, 8, 16])
    for (const passagesPerArticle of [3, 6, 12])
      variants.push({ name: `top=${topArticles} per=${passagesPerArticle}`, ranking: { ...DEFAULT_RANKING, scoreExponent: 0.3, topArticles, passagesPerArticle }, settings: DEFAULT_ANSWER_SETTINGS });
} else if (grid === 'neighbours') {
  for (const neighbourCredit of [0, 0.25, 0.5, 0.75, 1])
    for (const passageShare of [0.5, 0.6])
      variants.push({ name: `neighbours=${neighbourCredit} share=${passageShare}`, ranking: { ...DEFAULT_RANKING, neighbourCredit, passageShare }, settings: DEFAULT_ANSWER_SETTINGS });
}

const verbose = args.includes('--verbose');
const realQuestions = readQuestions(valueOf('--questions') ?? '../shared/eval/real-dev.jsonl');
const devQuestions = readQuestions(valueOf('--dev') ?? '../shared/eval/dev.jsonl');
const started = Date.now();
const real = openLibrary(valueOf('--corpus') ?? '../evalcorpus', { dataDir: valueOf('--data') ?? '../evaldata' });
const first = openLibrary('corpus');
console.error(`loaded in ${Date.now() - started} ms (${real.stats.snapshot}, ${real.stats.reindexed} re-indexed)`);
const body = new Set(first.corpus.articles.flatMap((a) => a.sections.map((s) => s.heading)).filter((h) => h !== '导语' && h !== '编者按'));

const rows: Array<{ total: number; line: string }> = [];
for (const variant of variants) {
  const score = (library: typeof real.library, questions: EvalQuestion[], bodyHeadings: Set<string>) => {
    const answer = createAnswerer(library.index, library.tokenizer, variant.settings, variant.ranking);
    const t = Date.now();
    const report = evaluateAnswers(questions, questions.map((q) => answer(q.q, { limit: 5 }).results), bodyHeadings);
    return { report, ms: (Date.now() - t) / questions.length };
  };
  const r = score(real.library, realQuestions, new Set());
  const d = score(first.library, devQuestions, body);
  const total = r.report.hit1 + r.report.hit3 + r.report.mrr5 * r.report.answerable + r.report.abstained * 2 + d.report.hit1 + d.report.abstained;
  rows.push({ total, line: `${variant.name.padEnd(40)} real: ${formatReport(r.report)} (${r.ms.toFixed(1)} ms/q) | dev: hit@1=${(d.report.hit1 / d.report.answerable).toFixed(3)} abstain=${d.report.abstained}/${d.report.unanswerable}` });
  if (verbose) for (const miss of r.report.misses) console.log(`  ${miss}`);
}
for (const row of rows.sort((a, b) => b.total - a.total)) console.log(row.line);
