import { describe, expect, it } from 'vitest';
import { createProgressBar, progressLine } from '../../src/cli/progress.js';

describe('the indexing progress bar', () => {
  it('shows done/total, articles per second and the time left', () => {
    expect(progressLine('indexing', 250, 1000, 5000)).toBe(`indexing [${'#'.repeat(8)}${'.'.repeat(22)}] 250/1000 articles  50/s  ETA 15s`);
    expect(progressLine('indexing', 100, 10_000, 20_000)).toContain('5.0/s  ETA 33m00s');
    expect(progressLine('indexing', 0, 10, 0)).toContain('ETA ?');
  });

  it('redraws in place on a terminal, at most ten times a second, and ends the line when done', () => {
    const written: string[] = [];
    let clock = 0;
    const bar = createProgressBar('indexing', { isTTY: true, write: (t: string) => written.push(t) }, { now: () => clock });
    for (let done = 1; done <= 100; done++) {
      clock += 10;
      bar(done, 100);
    }
    expect(written.length).toBeGreaterThan(5);
    expect(written.length).toBeLessThanOrEqual(12);
    expect(written.every((t) => t.startsWith('\r'))).toBe(true);
    expect(written.at(-1)).toMatch(/100\/100 articles .*\n$/);
  });

  it('stays silent off a terminal (logs, pipes) and for a handful of articles', () => {
    const written: string[] = [];
    createProgressBar('indexing', { isTTY: false, write: (t: string) => written.push(t) })(500, 1000);
    createProgressBar('indexing', { isTTY: true, write: (t: string) => written.push(t) })(3, 10);
    expect(written).toEqual([]);
  });
});
