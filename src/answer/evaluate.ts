import type { AnswerResult } from './types.js';

/** One question of an evaluation set (the format of shared/eval/dev.jsonl). */
export interface EvalQuestion {
  id: string;
  q: string;
  /** Substrings a right passage contains; empty when the corpus does not answer it. */
  gold: string[];
  /** The expected section heading; names outside `bodyHeadings` mean "the lead or editor's note". */
  section: string | null;
}

export interface EvalReport {
  answerable: number;
  hit1: number;
  hit3: number;
  mrr5: number;
  sectionRight: number;
  sectionChecked: number;
  abstained: number;
  unanswerable: number;
  misses: string[];
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * Scores answers the way shared/eval/score.py does: rank of the first result containing a
 * gold string (top 5), the heading of that result, and empty answers for out-of-scope questions.
 */
export function evaluateAnswers(
  questions: readonly EvalQuestion[],
  answers: ReadonlyArray<readonly Pick<AnswerResult, 'text' | 'heading'>[]>,
  bodyHeadings: ReadonlySet<string>,
): EvalReport {
  const report: EvalReport = { answerable: 0, hit1: 0, hit3: 0, mrr5: 0, sectionRight: 0, sectionChecked: 0, abstained: 0, unanswerable: 0, misses: [] };
  questions.forEach((question, i) => {
    const results = answers[i] ?? [];
    if (question.gold.length === 0) {
      report.unanswerable++;
      if (results.length === 0) report.abstained++;
      else report.misses.push(`${question.id} answered out-of-scope: ${question.q}`);
      return;
    }
    report.answerable++;
    const rank = results.slice(0, 5).findIndex((r) => question.gold.some((g) => squash(r.text).includes(squash(g)))) + 1;
    if (rank === 1) report.hit1++;
    if (rank >= 1 && rank <= 3) report.hit3++;
    if (rank >= 1) report.mrr5 += 1 / rank;
    if (rank >= 1 && question.section) {
      report.sectionChecked++;
      const got = (results[rank - 1]?.heading ?? '').trim();
      const ok = bodyHeadings.has(question.section) ? got === question.section : got !== '' && !bodyHeadings.has(got);
      if (ok) report.sectionRight++;
      else report.misses.push(`${question.id} wrong heading ${JSON.stringify(got)} (want ${question.section})`);
    }
    if (rank !== 1) {
      const top = results[0] ? squash(results[0].text).slice(0, 40) : '(none)';
      report.misses.push(`${question.id} rank=${rank || 'none'} ${question.q} | top: ${top}`);
    }
  });
  if (report.answerable) report.mrr5 /= report.answerable;
  return report;
}

export function formatReport(r: EvalReport): string {
  const rate = (n: number) => (r.answerable ? (n / r.answerable).toFixed(3) : 'n/a');
  return `answerable=${r.answerable} hit@1=${rate(r.hit1)} hit@3=${rate(r.hit3)} mrr@5=${r.mrr5.toFixed(3)} ` +
    `section=${r.sectionRight}/${r.sectionChecked} abstain=${r.abstained}/${r.unanswerable}`;
}
