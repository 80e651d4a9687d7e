// Cost at N synthetic articles: build, snapshot save/load (MiniSearch JSON), query latency,
// memory, and adding one article to the running index.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { loadArticleFile, loadCorpus } from '../src/corpus/load-corpus.js';
import { createCorpusTokenizer, createLibrary } from '../src/library.js';
import { DEFAULT_RANKING, miniSearchOptions } from '../src/search/search-index.js';
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
    writeSyntheticCorpus(join(dir, 'corpus'), { articles: options.articles + 1 });
    // The last article is held back to measure adding one to the running index.
    const extraFile = `synthetic-${String(options.articles).padStart(6, '0')}.md`;
    const extra = loadArticleFile(join(dir, 'corpus'), extraFile);
    rmSync(join(dir, 'corpus', extraFile));
    const tokenizer = createCorpusTokenizer('corpus');
    let corpus!: ReturnType<typeof loadCorpus>;
    const parseMs = timeMs(() => {
      corpus = loadCorpus(join(dir, 'corpus'));
    });
    let library = createLibrary(tokenizer, []);
    const started = Date.now();
    const buildMs = timeMs(() => {
      corpus.articles.forEach((article, i) => {
        library.upsert(article);
        if (i % 50 === 0 || i === corpus.articles.length - 1) progress('indexing', i + 1, corpus.articles.length, started);
      });
    });
    let json = '';
    const saveMs = timeMs(() => {
      json = JSON.stringify(library.index.toJSON());
      writeFileSync(join(dir, 'snapshot.json'), json);
    });
    const loadMs = timeMs(() => {
      MiniSearch.loadJSON(readFileSync(join(dir, 'snapshot.json'), 'utf8'), miniSearchOptions(tokenizer, DEFAULT_RANKING));
    });
    const latencies: number[] = [];
    for (const q of QUESTIONS) library.answer(q);
    for (let r = 0; r < (options.rounds ?? 5); r++) for (const q of QUESTIONS) latencies.push(timeMs(() => library.answer(q)));
    const addMs = timeMs(() => library.upsert(extra));
    const result = {
      articles: corpus.articles.length,
      passages: library.index.passageCount,
      parse_ms: round(parseMs),
      build_ms: round(buildMs),
      snapshot_mb: round(json.length / 1e6, 1),
      snapshot_save_ms: round(saveMs),
      snapshot_load_ms: round(loadMs),
      query_p50_ms: round(percentile(latencies, 50)),
      query_p99_ms: round(percentile(latencies, 99)),
      rss_mb: round(process.memoryUsage().rss / 1e6, 0),
      add_one_ms: round(addMs),
    };
    library = createLibrary(tokenizer, []);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[process.argv.indexOf('--articles') + 1] ?? 1000);
  console.log(await benchScale({ articles: n }));
}
