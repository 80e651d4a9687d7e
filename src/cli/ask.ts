import { createInterface } from 'node:readline';
import { openLibrary } from '../library.js';
import { createProgressBar } from './progress.js';
import { formatAnswerText } from '../answer/format-text.js';
import type { Answer } from '../answer/types.js';

/** `npm run ask -- "问题"`, `--json`, or `--jsonl` (questions on stdin, one per line). */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const jsonl = args.includes('--jsonl');
  const corpusDir = valueOf(args, '--corpus') ?? process.env['CORPUS_DIR'] ?? 'corpus';
  const question = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--corpus' && args[i - 1] !== '--data').join(' ').trim();
  // The same index snapshot as the bot's, so a large corpus is indexed once, not per question.
  const dataDir = valueOf(args, '--data') ?? process.env['DATA_DIR'] ?? 'data';
  const { library, corpus } = openLibrary(corpusDir, { dataDir, onProgress: createProgressBar('indexing') });
  for (const error of corpus.errors) process.stderr.write(`skipped ${error.message}\n`);

  const toJson = (answer: Answer) => JSON.stringify({ query: answer.query, results: answer.results, ...(answer.absent ? { absent: answer.absent } : {}), ...(answer.articleInfo ? { articleInfo: answer.articleInfo } : {}), ...(answer.relatedArticles ? { relatedArticles: answer.relatedArticles } : {}) });
  if (jsonl) {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const q = questionOf(line);
      // Five results a question: the scorers read the top five (MRR@5).
      process.stdout.write(`${toJson(library.answer(q, { limit: 5 }))}\n`);
    }
    return;
  }
  if (!question) {
    process.stderr.write('usage: npm run ask -- "问题" [--json]   |   npm run ask -- --jsonl < questions.txt\n');
    process.exitCode = 2;
    return;
  }
  const answer = library.answer(question);
  process.stdout.write(json ? `${toJson(answer)}\n` : `${formatAnswerText(answer, library.exampleQuestions(3))}\n`);
}

/** A line is a question, or a JSON object with a "q" field (the eval format). */
function questionOf(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { q?: unknown };
      if (typeof parsed.q === 'string') return parsed.q;
    } catch {
      // not JSON after all: ask it as it is
    }
  }
  return trimmed;
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

await main();
