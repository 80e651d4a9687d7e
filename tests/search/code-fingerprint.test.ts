import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFingerprint, INDEXING_CODE_FINGERPRINT } from '../../src/search/code-fingerprint.js';
import { tempDir } from '../notices/helpers.js';

describe('codeFingerprint', () => {
  const { dir, cleanup } = tempDir('code-');
  afterAll(cleanup);

  it('changes with any source file under the folders, and only with source files', () => {
    mkdirSync(join(dir, 'a', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'a', 'parse.ts'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'a', 'nested', 'deep.ts'), 'export const y = 2;\n');
    const folders = [join(dir, 'a')];
    const before = codeFingerprint(folders);
    expect(codeFingerprint(folders)).toBe(before);
    writeFileSync(join(dir, 'a', 'notes.md'), 'not code');
    expect(codeFingerprint(folders)).toBe(before);
    writeFileSync(join(dir, 'a', 'nested', 'deep.ts'), 'export const y = 3;\n');
    const edited = codeFingerprint(folders);
    expect(edited).not.toBe(before);
    writeFileSync(join(dir, 'a', 'new.ts'), '');
    expect(codeFingerprint(folders)).not.toBe(edited);
  });

  it('leaves out the folders it is told to skip', () => {
    mkdirSync(join(dir, 'b', 'query'), { recursive: true });
    writeFileSync(join(dir, 'b', 'index.ts'), 'export const x = 1;\n');
    const before = codeFingerprint([join(dir, 'b')], ['query']);
    writeFileSync(join(dir, 'b', 'query', 'score.ts'), 'export const s = 1;\n');
    expect(codeFingerprint([join(dir, 'b')], ['query'])).toBe(before);
    expect(codeFingerprint([join(dir, 'b')])).not.toBe(before);
  });

  it('covers the parser and the search code of this build, not the question-time ranking', () => {
    expect(INDEXING_CODE_FINGERPRINT).toBe(codeFingerprint([resolve('src/corpus'), resolve('src/search')], ['query']));
    expect(INDEXING_CODE_FINGERPRINT).not.toBe(codeFingerprint([resolve('src/search')], ['query']));
  });
});
