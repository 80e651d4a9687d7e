import { readFileSync } from 'node:fs';
import { evaluateAnswers, formatReport, type EvalQuestion } from '../answer/evaluate.js';
import { openLibrary } from '../library.js';

/**
 * `npm run eval -- FILE.jsonl [--verbose]`: answers every question of the file and prints
 * hit@1, hit@3, MRR@5, heading accuracy and abstention. Body headings are the corpus's own
 * section headings (lead and editor's note excluded).
 */
function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--')) ?? 'tests/fixtures/dev.jsonl';
  const verbose = args.includes('--verbose');
  const corpusDir = process.env['CORPUS_DIR'] ?? 'corpus';
  const questions = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalQuestion);
  const { library } = openLibrary(corpusDir);
  const answers = questions.map((q) => library.answer(q.q, { limit: 5 }).results);
  const bodyHeadings = new Set(library.articles().flatMap((a) => a.sections.map((s) => s.heading)).filter((h) => h !== '导语' && h !== '编者按'));
  const report = evaluateAnswers(questions, answers, bodyHeadings);
  if (verbose) for (const miss of report.misses) console.log(miss);
  console.log(formatReport(report));
}

main();
