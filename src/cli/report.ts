import { config as loadEnv } from 'dotenv';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarizeQuestions } from '../insights/question-summary.js';
import { renderReport, type ReportLang } from '../insights/report-html.js';
import { openStore } from '../notices/store.js';

const USAGE = `usage: npm run report -- [--days N] [--until YYYY-MM-DD] [--out FILE.html] [--lang zh|en] [--data DIR]
  --days N       days to cover, 1–3650 (default 30), ending with --until
  --until DATE   the last day (UTC) of the period (default: today)
  --out FILE     where to write the page (default: DATA_DIR/question-report.html)
  --lang zh|en   the page's language (default: zh)
  --data DIR     the bot's data folder (default: DATA_DIR, else data)
`;

export interface ReportArgs {
  days: number;
  /** A moment in the period's last day (ms); undefined: now. */
  until: number | undefined;
  out: string | undefined;
  lang: ReportLang;
  dataDir: string | undefined;
}

/** Command-line flags → options, or a message saying what is wrong. */
export function parseReportArgs(args: readonly string[]): ReportArgs | { error: string } | { help: true } {
  const parsed: ReportArgs = { days: 30, until: undefined, out: undefined, lang: 'zh', dataDir: undefined };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag === '--help' || flag === '-h') return { help: true };
    if (!['--days', '--until', '--out', '--lang', '--data'].includes(flag ?? '')) return { error: `unknown argument: ${flag}` };
    if (value === undefined || value.startsWith('--')) return { error: `${flag} needs a value` };
    i++;
    if (flag === '--days') {
      if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 3650) return { error: `--days must be a whole number of days, 1–3650 (got ${value})` };
      parsed.days = Number(value);
    } else if (flag === '--until') {
      const noon = Date.parse(`${value}T12:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(noon) || new Date(noon).toISOString().slice(0, 10) !== value) return { error: `--until must be a date such as 2026-11-30 (got ${value})` };
      parsed.until = noon;
    } else if (flag === '--out') parsed.out = value;
    else if (flag === '--data') parsed.dataDir = value;
    else if (value === 'zh' || value === 'en') parsed.lang = value;
    else return { error: `--lang must be zh or en (got ${value})` };
  }
  return parsed;
}

/**
 * `npm run report`: the question log of the last N days (default 30, up to --until) as one
 * self-contained HTML page for the editors, written to --out (default DATA_DIR/question-report.html).
 */
function main(): void {
  loadEnv({ quiet: true });
  const args = parseReportArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(USAGE);
    return;
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const dataDir = args.dataDir ?? process.env['DATA_DIR'] ?? 'data';
  const dbPath = join(dataDir, 'bot.db');
  if (!existsSync(dbPath)) {
    process.stderr.write(`no question log yet: ${dbPath} does not exist. The bot logs questions once it runs on Telegram (TELEGRAM_BOT_TOKEN set); set DATA_DIR or --data to where it keeps its data.\n`);
    process.exitCode = 1;
    return;
  }
  const out = resolve(args.out ?? join(dataDir, 'question-report.html'));
  let html: string;
  let asked: number;
  try {
    const store = openStore(dbPath);
    try {
      const summary = summarizeQuestions(store.db, { days: args.days, limit: 10, ...(args.until !== undefined ? { now: args.until } : {}) });
      asked = summary.asked;
      html = renderReport(summary, { lang: args.lang });
    } finally {
      store.close();
    }
    // Written whole, then renamed: a browser never opens half a report.
    const temp = `${out}.${process.pid}.tmp`;
    writeFileSync(temp, html);
    renameSync(temp, out);
  } catch (error) {
    process.stderr.write(`report not written: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`wrote ${out} (${args.days} days, ${asked} questions)\nopen ${pathToFileURL(out).href}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
