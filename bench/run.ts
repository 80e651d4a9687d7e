// `npm run bench`: every benchmark, one run, printed as tables.
// `npm run bench -- --articles N [--json]`: only the scale benchmark at N articles.
// `npm run bench -- --hostile [--json]`: only hostile inputs and /healthz.
// `npm run bench -- --corpus DIR [--json]`: the scale benchmark on a real folder, read in place.
import { benchAnswer } from './answer-bench.js';
import { benchBot } from './bot-bench.js';
import { benchBroadcast } from './broadcast-bench.js';
import { benchFeeds } from './feed-bench.js';
import { benchHostile } from './hostile-bench.js';
import { benchQuestionLog } from './question-log-bench.js';
import { benchCorpus, benchScale } from './scale-bench.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const articlesAt = args.indexOf('--articles');
const corpusAt = args.indexOf('--corpus');

function show(title: string, rows: Record<string, unknown>): void {
  if (json) return;
  console.log(`\n## ${title}`);
  console.table(rows);
}

const results: Record<string, unknown> = {};
if (corpusAt >= 0) {
  const scale = await benchCorpus({ corpusDir: args[corpusAt + 1] ?? 'corpus' });
  show(`scale on ${args[corpusAt + 1]}`, scale);
  if (json) console.log(JSON.stringify(scale));
} else if (args.includes('--hostile')) {
  const hostile = await benchHostile();
  show('hostile inputs and /healthz (3,000,000 deliveries)', hostile);
  if (json) console.log(JSON.stringify(hostile));
} else if (articlesAt >= 0) {
  const scale = await benchScale({ articles: Number(args[articlesAt + 1] ?? 1000) });
  show('scale', scale);
  if (json) console.log(JSON.stringify(scale));
} else {
  results['answer'] = await benchAnswer();
  show('answer path vs a character-bigram MiniSearch baseline (real corpus, dev questions)', results['answer'] as Record<string, unknown>);
  results['question_log'] = await benchQuestionLog();
  show('answer path with and without the question log (per question)', results['question_log'] as Record<string, unknown>);
  results['bot'] = await benchBot();
  show('bot end to end through a local Bot API server', results['bot'] as Record<string, unknown>);
  results['broadcast'] = {
    lifted_10000: await benchBroadcast({ subscribers: 10_000, limits: 'lifted' }),
    real_limits_1000: await benchBroadcast({ subscribers: 1_000, limits: 'real' }),
  };
  show('broadcast of one notice', results['broadcast'] as Record<string, unknown>);
  results['feeds'] = await benchFeeds();
  show('feeds: 3 feeds read by the running app (1 s interval), requests per poll round and item → notice time', results['feeds'] as Record<string, unknown>);
  results['hostile'] = await benchHostile();
  show('hostile inputs and /healthz (3,000,000 deliveries)', results['hostile'] as Record<string, unknown>);
  results['scale'] = await benchScale({ articles: 200 });
  show('scale at 200 synthetic articles (npm run bench -- --articles N for more)', results['scale'] as Record<string, unknown>);
  if (json) console.log(JSON.stringify(results));
}
