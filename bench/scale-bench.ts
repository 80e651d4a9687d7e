// Cost at N synthetic articles: build, snapshot save and load (a real start-up), query latency,
// memory, and adding one article to the running index.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArticleFile } from '../src/corpus/load-corpus.js';
import { openLibrary, SNAPSHOT_FILE, type OpenedLibrary } from '../src/library.js';
import { percentile, round, timeMs } from './stats.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';

const QUESTIONS = readFileSync('tests/fixtures/dev.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q);

function progress(label: string, done: number, total: number, startedMs: number): void {
  if (!process.stderr.isTTY) return;
  const rate = done / Math.max(0.001, (Date.now() - startedMs) / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)}/s ETA ${eta}s   `);
  if (done === total) process.stderr.write('\n');
}

export async function benchScale(options: { articles: number; rounds?: number }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'scale-'));
  try {
    const corpusDir = join(dir, 'corpus');
    const dataDir = join(dir, 'data');
    writeSyntheticCorpus(corpusDir, { articles: options.articles + 1 });
    copyFileSync('corpus/glossary.txt', join(corpusDir, 'glossary.txt'));
    // The last article is held back to measure adding one to the running index.
    const extraFile = `synthetic-${String(options.articles).padStart(6, '0')}.md`;
    const extra = loadArticleFile(corpusDir, extraFile);
    rmSync(join(corpusDir, extraFile));

    let started = Date.now();
    let opened!: OpenedLibrary;
    const buildMs = timeMs(() => {
      opened = openLibrary(corpusDir, { dataDir, onProgress: (done, total) => (done % 50 === 0 || done === total) && progress('indexing', done, total, started) });
    });
    const snapshotBytes = statSync(join(dataDir, SNAPSHOT_FILE)).size;
    const saveMs = timeMs(() => opened.saveSnapshot());
    started = Date.now();
    let reopened!: OpenedLibrary;
    const loadMs = timeMs(() => {
      reopened = openLibrary(corpusDir, { dataDir });
    });
    if (reopened.stats.snapshot !== 'loaded' || reopened.stats.reindexed !== 0) throw new Error(`snapshot not used: ${JSON.stringify(reopened.stats)}`);
    const library = reopened.library;
    const latencies: number[] = [];
    for (const q of QUESTIONS) library.answer(q);
    for (let r = 0; r < (options.rounds ?? 5); r++) for (const q of QUESTIONS) latencies.push(timeMs(() => library.answer(q)));
    const addMs = timeMs(() => library.upsert(extra));
    return {
      articles: reopened.corpus.articles.length,
      passages: library.index.passageCount,
      build_ms: round(buildMs),
      snapshot_mb: round(snapshotBytes / 1e6, 1),
      snapshot_save_ms: round(saveMs),
      snapshot_load_ms: round(loadMs),
      load_vs_build: round(buildMs / loadMs, 1),
      query_p50_ms: round(percentile(latencies, 50)),
      query_p99_ms: round(percentile(latencies, 99)),
      rss_mb: round(process.memoryUsage().rss / 1e6, 0),
      add_one_ms: round(addMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[process.argv.indexOf('--articles') + 1] ?? 1000);
  console.log(await benchScale({ articles: n }));
}
