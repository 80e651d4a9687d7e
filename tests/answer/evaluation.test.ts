import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateAnswers, type EvalQuestion } from '../../src/answer/evaluate.js';
import { openLibrary } from '../../src/library.js';

const readQuestions = (file: string) =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EvalQuestion);
const { library } = openLibrary('corpus');
const body = new Set(['合作的种子', '糟糕的时机', '一个新的世界', '团结一致']);

describe.each(['tests/fixtures/dev.jsonl', 'tests/fixtures/extra.jsonl'])('the question set %s', (file) => {
  const questions = readQuestions(file);
  const report = evaluateAnswers(questions, questions.map((q) => library.answer(q.q, { limit: 5 }).results), body);

  it('finds the right passage first for at least 93% and in the top 3 for at least 97%', () => {
    expect(report.misses).toEqual([]);
    expect(report.hit1 / report.answerable).toBeGreaterThanOrEqual(0.93);
    expect(report.hit3 / report.answerable).toBeGreaterThanOrEqual(0.97);
  });

  it('cites the right section heading every time', () => {
    expect(report.sectionRight).toBe(report.sectionChecked);
  });

  it('abstains on every out-of-scope question', () => {
    expect(report.abstained).toBe(report.unanswerable);
  });
});

describe('evaluateAnswers', () => {
  it('counts ranks, headings and abstentions', () => {
    const questions: EvalQuestion[] = [
      { id: 'a', q: 'x', gold: ['金'], section: '甲' },
      { id: 'b', q: 'y', gold: ['银'], section: null },
      { id: 'c', q: 'z', gold: [], section: null },
    ];
    const report = evaluateAnswers(
      questions,
      [[{ text: '有金子', heading: '乙' }], [{ text: '无', heading: '甲' }, { text: '银', heading: '甲' }], [{ text: '多余', heading: '甲' }]],
      new Set(['甲', '乙']),
    );
    expect(report).toMatchObject({ answerable: 2, hit1: 1, hit3: 2, sectionRight: 0, sectionChecked: 1, abstained: 0, unanswerable: 1 });
    expect(report.mrr5).toBeCloseTo(0.75);
  });
});

describe('npm run ask -- --jsonl', () => {
  const questions = readFileSync('tests/fixtures/dev.jsonl', 'utf8');
  const dataDir = mkdtempSync(join(tmpdir(), 'ask-data-'));
  const ask = () => execFileSync('npx', ['tsx', 'src/cli/ask.ts', '--jsonl', '--data', dataDir], { input: questions, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  const output = ask();
  const lines = output.trim().split('\n').map((l) => JSON.parse(l) as { query: string; results: Array<Record<string, unknown>> });

  it('saves the index snapshot in the data folder and answers the same from it', () => {
    expect(existsSync(join(dataDir, 'index-snapshot.bin'))).toBe(true);
    expect(ask()).toBe(output);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one JSON object per question, in order, with cited results', () => {
    const asked = readQuestions('tests/fixtures/dev.jsonl');
    expect(lines.map((l) => l.query)).toEqual(asked.map((q) => q.q));
    const first = lines[0]!.results[0]!;
    for (const key of ['articleTitle', 'url', 'heading', 'paragraph', 'text', 'snippet', 'score']) expect(first).toHaveProperty(key);
    asked.forEach((q, i) => {
      if (q.gold.length === 0) expect(lines[i]!.results).toEqual([]);
    });
  });

  const hasScorer = existsSync('../shared/eval/score.py') && spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!hasScorer)('passes the shared scorer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'answers-'));
    try {
      writeFileSync(join(dir, 'answers.jsonl'), output);
      const run = spawnSync('python3', ['../shared/eval/score.py', 'tests/fixtures/dev.jsonl', join(dir, 'answers.jsonl'), '--min-hit1', '0.93', '--min-hit3', '0.97', '--min-abstain', '4'], { encoding: 'utf8' });
      expect(run.stdout).toMatch(/abstain=4\/4/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
