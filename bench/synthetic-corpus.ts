// A seeded, deterministic generator of articles in the corpus format, for benchmarks only:
// realistic Chinese text made by recombining the real corpus's sentences.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../src/corpus/load-corpus.js';

/** mulberry32: small, fast, good enough for shuffling text. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = ['出口管制', '供应链安全', '半导体', '数据安全', '网络安全', '人工智能', '盟国合作', '制裁', '芯片法案', '关键矿产', '投资审查', '技术标准'];
const KINDS = ['外专观点', '外媒编译', '全文翻译', '政策解读', '深度分析'];
const HEADINGS = ['背景', '主要内容', '各方反应', '历史回顾', '未来展望', '政策建议', '合作的种子', '糟糕的时机', '一个新的世界', '团结一致', '影响分析', '结论'];

export interface SyntheticOptions {
  articles: number;
  paragraphsPerArticle?: number;
  seed?: number;
  sourceCorpus?: string;
}

/** Writes N articles into `dir`; returns their file names. Same options, same files. */
export function writeSyntheticCorpus(dir: string, options: SyntheticOptions): string[] {
  const random = createRandom(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const paragraphs = options.paragraphsPerArticle ?? 30;
  const sentences = loadCorpus(options.sourceCorpus ?? 'corpus')
    .articles.flatMap((a) => a.sections.filter((s) => s.heading !== '编者按').flatMap((s) => s.paragraphs))
    .flatMap((p) => p.match(/[^。！？]+[。！？]/g) ?? [])
    .filter((s) => s.length >= 10);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let n = 0; n < options.articles; n++) {
    const topic = pick(TOPICS);
    const title = `${topic}观察（${n + 1}）：${pick(sentences).slice(0, 12).replace(/[，、。"“”\\:：]/g, '')}（${pick(KINDS)}）`;
    const date = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2000) * 86_400_000).toISOString().slice(0, 10);
    const body: string[] = [];
    const sections = 3 + Math.floor(random() * 3);
    for (let p = 0; p < paragraphs; p++) {
      if (p > 0 && p % Math.ceil(paragraphs / sections) === 0) body.push(`${pick(HEADINGS)}${Math.floor(p / 6)}`);
      const count = 2 + Math.floor(random() * 4);
      body.push(Array.from({ length: count }, () => pick(sentences)).join(''));
    }
    const file = `synthetic-${String(n).padStart(6, '0')}.md`;
    writeFileSync(join(dir, file), `---\ntitle: "${title}"\nurl: https://example.com/synthetic/${n}\nsource: 合成语料\ndate: ${date}\n---\n\n${body.join('\n\n')}\n`);
    files.push(file);
  }
  return files;
}
