import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../../src/cli/report.js';
import { summarizeQuestions } from '../../src/insights/question-summary.js';
import { renderReport } from '../../src/insights/report-html.js';
import { createCorpusTokenizer } from '../../src/library.js';
import { openStore } from '../../src/notices/store.js';
import { tempDir } from '../notices/helpers.js';
import { SEED_NOW, seedQuestionLog } from './seed-log.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = 'test-results/report.png';
const DAYS = 30;

describe('the editor\'s report', () => {
  let dataDir: string;
  let perDay: number[];
  let cleanup: () => void;
  beforeAll(() => {
    const t = tempDir('report-');
    cleanup = t.cleanup;
    dataDir = join(t.dir, 'data');
    mkdirSync(dataDir);
    const seeded = seedQuestionLog(dataDir, createCorpusTokenizer('corpus'), { days: DAYS });
    perDay = seeded.perDay;
    seeded.close();
  });
  afterAll(() => cleanup());

  function render(lang: 'zh' | 'en' = 'zh'): string {
    const store = openStore(join(dataDir, 'bot.db'));
    try {
      return renderReport(summarizeQuestions(store.db, { days: DAYS, now: SEED_NOW }), { lang, generatedAt: new Date(SEED_NOW) });
    } finally {
      store.close();
    }
  }

  it('is one page that loads nothing from elsewhere, with everything from the log escaped', () => {
    for (const lang of ['zh', 'en'] as const) {
      const html = render(lang);
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain(`default-src 'none'`);
      // No scripts, external styles, fonts or images; the only URLs are the articles' links.
      expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|@import|url\(|@font-face/i);
      expect(html.match(/\b(?:src|href)="[^"]*"/g)!.every((attr) => attr.startsWith('href="https://mp.weixin.qq.com/'))).toBe(true);
      // Hostile strings from readers and articles come out as text.
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 芯片法案');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
      expect(html).not.toContain('javascript:');
      expect(html.match(/<g class="day"/g)).toHaveLength(DAYS);
    }
    expect(render('en')).toContain('What readers ask');
  });

  it('reads its arguments, and says what is wrong with bad ones', () => {
    expect(parseReportArgs([])).toEqual({ days: 30, until: undefined, out: undefined, lang: 'zh', dataDir: undefined });
    expect(parseReportArgs(['--days', '14', '--out', 'r.html', '--lang', 'en', '--until', '2026-11-24', '--data', 'd'])).toEqual({
      days: 14, until: Date.UTC(2026, 10, 24, 12), out: 'r.html', lang: 'en', dataDir: 'd',
    });
    expect(parseReportArgs(['--help'])).toEqual({ help: true });
    for (const [args, message] of [
      [['--days', '0'], '--days must be a whole number'],
      [['--days', 'ten'], '--days must be a whole number'],
      [['--days'], '--days needs a value'],
      [['--until', '2026-02-30'], '--until must be a date'],
      [['--lang', 'fr'], '--lang must be zh or en'],
      [['--verbose'], 'unknown argument: --verbose'],
    ] as const) {
      expect((parseReportArgs(args) as { error: string }).error).toContain(message);
    }
  });

  it('npm run report writes the page, and says plainly when there is no log', () => {
    const out = join(dataDir, 'report.html');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts', ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    const ok = run(['--days', String(DAYS), '--until', '2026-11-24', '--data', dataDir, '--out', out]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`wrote ${out} (${DAYS} days, ${perDay.reduce((a, b) => a + b, 0)} questions)`);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
    const missing = run(['--data', join(dataDir, 'nowhere')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no question log yet');
  });

  it('renders in headless Chromium with no network: one bar per day, as tall as its count; a screenshot is kept', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (bash .ci/run does this before npm test)`);
    }
    const out = join(dataDir, 'browser.html');
    writeFileSync(out, render());
    const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 900 } });
    try {
      const requests: string[] = [];
      const problems: string[] = [];
      await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
      const page = await context.newPage();
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });

      expect(requests).toEqual([pathToFileURL(out).href]);
      expect(problems).toEqual([]);
      await expect(page.title()).resolves.toContain('读者在问什么');
      const bars = page.locator('svg g.day');
      expect(await bars.count()).toBe(DAYS);
      const shown = await bars.evaluateAll((groups) =>
        groups.map((g) => ({ asked: Number(g.getAttribute('data-asked')), height: g.getBoundingClientRect().height })),
      );
      expect(shown.map((b) => b.asked)).toEqual(perDay);
      // Heights follow the counts: zero for a quiet day, the same pixels per question on every other.
      const busiest = shown.reduce((a, b) => (b.asked > a.asked ? b : a));
      const perQuestion = busiest.height / busiest.asked;
      expect(perQuestion).toBeGreaterThan(5);
      for (const bar of shown) expect(Math.abs(bar.height - bar.asked * perQuestion)).toBeLessThan(1.5);
      // Hostile text shows as text; nothing of it runs or loads.
      await expect(page.getByText('<script>alert("x")</script> & 芯片法案').count()).resolves.toBe(1);
      expect(await page.locator('script, img, iframe, a[href^="javascript"]').count()).toBe(0);
      expect(await page.locator('a[href^="https://mp.weixin.qq.com/"]').count()).toBeGreaterThan(0);

      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
      expect(readFileSync(SCREENSHOT).length).toBeGreaterThan(20_000);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
