import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { safeArticleName, saveArticleFile } from '../../src/corpus/article-files.js';
import { listArticleFiles } from '../../src/corpus/load-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('safeArticleName', () => {
  it.each([
    ['出口管制.md', '出口管制.md'],
    ['../../evil.md', 'evil.md'],
    ['..\\..\\evil.md', 'evil.md'],
    ['.hidden.md', 'hidden.md'],
    ['...md', undefined],
    ['.md', undefined],
    ['a<b>:c|d?.MD', 'a_b_c_d.md'],
    ['  spaced   name .md', 'spaced name.md'],
    ['-rf.md', 'rf.md'],
  ])('%s → %s', (given, expected) => {
    expect(safeArticleName(given)).toBe(expected);
  });

  it('keeps names short enough for any file system', () => {
    expect([...(safeArticleName(`${'长'.repeat(300)}.md`) ?? '')].length).toBeLessThanOrEqual(83);
  });

  it('gives names the corpus loader lists', () => {
    const dir = mkdtempSync(join(work, 'load-'));
    for (const given of ['../../.evil.md', '.x.md', 'ok.md']) writeFileSync(join(dir, safeArticleName(given)!), 'x');
    expect(listArticleFiles(dir)).toEqual(['evil.md', 'ok.md', 'x.md']);
  });
});

describe('saveArticleFile', () => {
  it('refuses to overwrite unless asked, and keeps the version it replaces', () => {
    const corpus = mkdtempSync(join(work, 'corpus-'));
    const kept = join(work, 'replaced');
    expect(saveArticleFile(corpus, 'a.md', Buffer.from('one'))).toEqual({ saved: 'added' });
    expect(saveArticleFile(corpus, 'a.md', Buffer.from('two'))).toEqual({ saved: false, exists: true });
    expect(readFileSync(join(corpus, 'a.md'), 'utf8')).toBe('one');
    const replaced = saveArticleFile(corpus, 'a.md', Buffer.from('two'), { replace: true, keepReplacedIn: kept, now: new Date('2026-01-02T03:04:05Z') });
    expect(replaced).toEqual({ saved: 'replaced', previousKeptAs: 'a.2026-01-02T03-04-05-000Z.md' });
    expect(readFileSync(join(corpus, 'a.md'), 'utf8')).toBe('two');
    expect(readFileSync(join(kept, 'a.2026-01-02T03-04-05-000Z.md'), 'utf8')).toBe('one');
    // No temp files left behind.
    expect(readdirSync(corpus)).toEqual(['a.md']);
  });
});

describe('npm run add', () => {
  const article = (title: string) => `---\ntitle: ${title}\nurl: https://example.com/x\n---\n\n正文。\n`;
  const add = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/add.ts', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });

  it('adds under a safe name, refuses an existing name without --replace, keeps the old version with it', () => {
    const corpus = mkdtempSync(join(work, 'add-'));
    const data = mkdtempSync(join(work, 'data-'));
    const source = join(work, '.dotted.md');
    writeFileSync(source, article('第一版'));
    const env = { CORPUS_DIR: corpus, DATA_DIR: data };
    const first = add([source], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^added .*dotted\.md: 《第一版》/);
    writeFileSync(source, article('第二版'));
    const refused = add([source], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/already has dotted\.md; pass --replace/);
    const replaced = add([source, '--replace'], env);
    expect(replaced.status).toBe(0);
    expect(readFileSync(join(corpus, 'dotted.md'), 'utf8')).toContain('第二版');
    expect(readdirSync(join(data, 'replaced'))).toHaveLength(1);
  });
});
