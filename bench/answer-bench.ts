// The answer path against the classic Lucene-CJK baseline (MiniSearch over character bigrams),
// measured in one run on the real corpus and the dev questions.
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { passagesOf } from '../src/corpus/article.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import { evaluateAnswers, formatReport, type EvalQuestion } from '../src/answer/evaluate.js';
import { createCorpusTokenizer, createLibrary } from '../src/library.js';
import { normalizeText } from '../src/search/normalize.js';
import { percentile, round, timeMs } from './stats.js';

function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of normalizeText(text).match(/[\u4e00-\u9fff]+|[a-z0-9]+/g) ?? []) {
    if (/^[a-z0-9]/.test(run) || run.length === 1) out.push(run);
    else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

export async function benchAnswer(options: { rounds?: number; corpusDir?: string; questionsFile?: string } = {}): Promise<Record<string, number | string>> {
  const rounds = options.rounds ?? 30;
  const corpusDir = options.corpusDir ?? 'corpus';
  const questions = readFileSync(options.questionsFile ?? 'tests/fixtures/dev.jsonl', 'utf8')
    .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalQuestion);
  const { articles } = loadCorpus(corpusDir);
  const tokenizer = createCorpusTokenizer(corpusDir);
  const body = new Set(articles.flatMap((a) => a.sections.map((s) => s.heading)).filter((h) => h !== '导语' && h !== '编者按'));

  let library!: ReturnType<typeof createLibrary>;
  const buildOurs = timeMs(() => {
    library = createLibrary(tokenizer, articles);
  });
  const passages = articles.flatMap((a) => passagesOf(a).map((p) => ({ id: p.id, text: p.text, heading: p.heading, title: a.title })));
  let baseline!: MiniSearch<{ id: string; text: string; heading: string }>;
  const buildBaseline = timeMs(() => {
    baseline = new MiniSearch({ fields: ['text'], storeFields: ['text', 'heading'], tokenize: bigrams, processTerm: (t) => t });
    baseline.addAll(passages);
  });

  const ours: number[] = [];
  const base: number[] = [];
  // Warm up both alike until V8 has optimised the hot paths (one pass leaves JIT stalls in
  // the tail), then interleave so machine noise hits both alike: steady-state latency.
  for (let w = 0; w < 20; w++) {
    for (const q of questions) {
      library.answer(q.q);
      baseline.search(q.q);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      ours.push(timeMs(() => library.answer(q.q)));
      base.push(timeMs(() => baseline.search(q.q).slice(0, 3)));
    }
  }
  const ourReport = evaluateAnswers(questions, questions.map((q) => library.answer(q.q, { limit: 5 }).results), body);
  const baseReport = evaluateAnswers(
    questions,
    questions.map((q) => baseline.search(q.q).slice(0, 5).map((r) => ({ text: String(r['text']), heading: String(r['heading']) }))),
    body,
  );
  const result = {
    passages: passages.length,
    questions: questions.length * rounds,
    ours_build_ms: round(buildOurs),
    baseline_build_ms: round(buildBaseline),
    ours_p50_ms: round(percentile(ours, 50), 3),
    ours_p99_ms: round(percentile(ours, 99), 3),
    baseline_p50_ms: round(percentile(base, 50), 3),
    baseline_p99_ms: round(percentile(base, 99), 3),
    ratio_p50: round(percentile(ours, 50) / percentile(base, 50)),
    ratio_p99: round(percentile(ours, 99) / percentile(base, 99)),
    ours_quality: formatReport(ourReport),
    baseline_quality: formatReport(baseReport),
  };
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchAnswer());
}
