// Cost at N synthetic articles, or on a real folder: build, snapshot save and load, query
// latency, memory, and adding one article to the running index. Loading, querying, memory and
// adding are measured in a fresh process that starts from the snapshot, as the bot does after
// a restart.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodejieba from 'nodejieba';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgressBar } from '../src/cli/progress.js';
import { listArticleFiles, loadArticleFile } from '../src/corpus/load-corpus.js';
import { openLibrary, SNAPSHOT_FILE, type OpenedLibrary } from '../src/library.js';
import { percentile, round, timeMs } from './stats.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

const QUESTION_FILES = ['tests/fixtures/dev.jsonl', 'tests/fixtures/extra.jsonl'];
const readQuestions = (files: readonly string[]) => files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q));

const EXTRA_FILE = 'held-back.md';

/** The restarted process: load the snapshot, answer, add one article; prints one JSON line. */
async function measureStartedFromSnapshot(corpusDir: string, dataDir: string, extraDir: string, rounds: number, questionsFile: string): Promise<Record<string, number>> {
  const QUESTIONS = readQuestions([questionsFile]);
  let opened!: OpenedLibrary;
  const loadMs = timeMs(() => {
    opened = openLibrary(corpusDir, { dataDir });
  });
  if (opened.stats.snapshot !== 'loaded' || opened.stats.reindexed !== 0) throw new Error(`snapshot not used: ${JSON.stringify(opened.stats)}`);
  const library = opened.library;
  const latencies: number[] = [];
  for (const q of QUESTIONS) library.answer(q);
  for (let r = 0; r < rounds; r++) for (const q of QUESTIONS) latencies.push(timeMs(() => library.answer(q)));
  // Steady state: what the running bot holds once the start-up's garbage is collected (V8
  // frees array buffers a moment after a collection, hence the pause).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gc?.();
  const rssBeforeAdd = process.memoryUsage().rss;
  const extra = loadArticleFile(extraDir, EXTRA_FILE);
  const addMs = timeMs(() => library.upsert(extra));
  if (!library.article(extra.id)) throw new Error('the added article is not in the library');
  return {
    snapshot_load_ms: round(loadMs),
    query_p50_ms: round(percentile(latencies, 50)),
    query_p99_ms: round(percentile(latencies, 99)),
    queries: latencies.length,
    rss_mb: round(rssBeforeAdd / 1e6, 0),
    rss_after_add_mb: round(process.memoryUsage().rss / 1e6, 0),
    peak_rss_mb: round((process.resourceUsage().maxRSS * 1024) / 1e6, 0),
    heap_mb: round(process.memoryUsage().heapUsed / 1e6, 0),
    add_one_ms: round(addMs),
  };
}

/** A seeded pseudo-random generator: the same questions for the same corpus, run after run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

/**
 * Questions drawn from a corpus, as readers ask: for passages picked at random, the three
 * words jieba finds most telling in it; and some article titles as they are.
 */
function questionsFrom(library: OpenedLibrary['library'], count: number): string[] {
  const random = seeded(20261128);
  const articles = library.articles().sort((a, b) => a.file.localeCompare(b.file));
  const questions: string[] = [];
  for (let tries = 0; questions.length < count && tries < count * 10 && articles.length; tries++) {
    const article = articles[Math.floor(random() * articles.length)]!;
    if (questions.length % 4 === 3) {
      questions.push(article.title);
      continue;
    }
    const paragraphs = article.sections.flatMap((s) => s.paragraphs).filter((p) => p.length > 40);
    const paragraph = paragraphs[Math.floor(random() * paragraphs.length)];
    if (!paragraph) continue;
    const words = nodejieba.extract(paragraph, 3).map((k) => k.word);
    if (words.length === 3) questions.push(`${words.join('')}是怎么回事`);
  }
  return questions;
}

/** The node flags `npm start` runs the bot with: the restarted process measures what runs. */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  return start.split(/\s+/).filter((word) => word.startsWith('--') && word !== '--import');
}

/** Builds the index of `corpusDir` into `dataDir`, then measures a restarted process on it. */
async function measureCorpus(corpusDir: string, dataDir: string, extraDir: string, questionsFile: string | undefined, rounds: number): Promise<Record<string, number>> {
  let opened!: OpenedLibrary;
  const openMs = timeMs(() => {
    opened = openLibrary(corpusDir, { dataDir, onProgress: createProgressBar('indexing') });
  });
  const buildMs = openMs - opened.stats.saveMs;
  const buildRss = process.memoryUsage().rss;
  const snapshotBytes = statSync(join(dataDir, SNAPSHOT_FILE)).size;
  const saveMs = timeMs(() => opened.saveSnapshot());
  const passages = opened.library.index.passageCount;
  const articles = opened.library.index.articleCount;
  const file = questionsFile ?? join(extraDir, 'questions.jsonl');
  if (!questionsFile) writeFileSync(file, questionsFrom(opened.library, 200).map((q) => JSON.stringify({ q })).join('\n'));
  opened = undefined as unknown as OpenedLibrary;

  const child = spawnSync(process.execPath, [...startFlags(), '--expose-gc', '--import', 'tsx', 'bench/scale-bench.ts', '--restarted', corpusDir, dataDir, extraDir, String(rounds), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the restarted process failed: ${child.stderr}`);
  const restarted = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  return {
    articles,
    passages,
    build_ms: round(buildMs),
    build_rss_mb: round(buildRss / 1e6, 0),
    snapshot_mb: round(snapshotBytes / 1e6, 1),
    snapshot_save_ms: round(saveMs),
    snapshot_load_ms: restarted['snapshot_load_ms'] ?? NaN,
    load_vs_build: round(buildMs / (restarted['snapshot_load_ms'] ?? NaN), 1),
    query_p50_ms: restarted['query_p50_ms'] ?? NaN,
    query_p99_ms: restarted['query_p99_ms'] ?? NaN,
    queries: restarted['queries'] ?? NaN,
    rss_mb: restarted['rss_mb'] ?? NaN,
    rss_after_add_mb: restarted['rss_after_add_mb'] ?? NaN,
    peak_rss_mb: restarted['peak_rss_mb'] ?? NaN,
    heap_mb: restarted['heap_mb'] ?? NaN,
    add_one_ms: restarted['add_one_ms'] ?? NaN,
    add_vs_build_pct: round((100 * (restarted['add_one_ms'] ?? NaN)) / buildMs, 3),
  };
}

export async function benchScale(options: { articles: number; rounds?: number }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'scale-'));
  try {
    const corpusDir = join(dir, 'corpus');
    const extraDir = join(dir, 'extra');
    const files = writeSyntheticCorpus(corpusDir, { articles: options.articles + 1 });
    copyFileSync('corpus/glossary.txt', join(corpusDir, 'glossary.txt'));
    // The last article is held back to measure adding one to the running index.
    mkdirSync(extraDir, { recursive: true });
    copyFileSync(join(corpusDir, files[files.length - 1]!), join(extraDir, EXTRA_FILE));
    rmSync(join(corpusDir, files[files.length - 1]!));
    const questions = join(extraDir, 'questions.jsonl');
    writeFileSync(questions, readQuestions(QUESTION_FILES).map((q) => JSON.stringify({ q })).join('\n'));
    return await measureCorpus(corpusDir, join(dir, 'data'), extraDir, questions, options.rounds ?? 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same on a real folder, read in place (nothing is written there): a fresh index in a
 * temporary data folder, 200 questions drawn from the corpus, and one of its articles added
 * again under another name as the new article.
 */
export async function benchCorpus(options: { corpusDir: string; rounds?: number }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-bench-'));
  try {
    const extraDir = join(dir, 'extra');
    mkdirSync(extraDir, { recursive: true });
    const files = listArticleFiles(options.corpusDir);
    const sample = files[Math.floor(files.length / 2)];
    if (!sample) throw new Error(`no articles in ${options.corpusDir}`);
    copyFileSync(join(options.corpusDir, sample), join(extraDir, EXTRA_FILE));
    return await measureCorpus(options.corpusDir, join(dir, 'data'), extraDir, undefined, options.rounds ?? 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const restartedAt = process.argv.indexOf('--restarted');
if (restartedAt >= 0) {
  const [corpusDir, dataDir, extraDir, rounds, questions] = process.argv.slice(restartedAt + 1);
  console.log(JSON.stringify(await measureStartedFromSnapshot(corpusDir!, dataDir!, extraDir!, Number(rounds), questions!)));
}
