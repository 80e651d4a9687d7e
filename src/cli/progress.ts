/** What a progress display needs: a stream that may be a terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;
const REDRAW_MS = 100;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One line of the bar: `indexing [#####.....] 1200/10000 articles  85/s  ETA 1m43s`. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const rate = done / Math.max(0.001, elapsedMs / 1000);
  const eta = done > 0 ? (total - done) / rate : Infinity;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} articles  ${rate.toFixed(rate < 10 ? 1 : 0)}/s  ETA ${duration(eta)}`;
}

/**
 * A progress bar for long indexing runs, redrawn in place at most ten times a second, on a
 * terminal only (logs and pipes stay clean). Small jobs (under `from` articles) show nothing.
 */
export function createProgressBar(label: string, stream: ProgressStream = process.stderr, options: { from?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const from = options.from ?? 50;
  let started: number | undefined;
  let lastDraw = 0;
  return (done: number, total: number): void => {
    if (!stream.isTTY || total < from) return;
    const at = now();
    started ??= at;
    const finished = done >= total;
    if (!finished && at - lastDraw < REDRAW_MS) return;
    lastDraw = at;
    stream.write(`\r${progressLine(label, done, total, at - started)}  ${finished ? '\n' : ''}`);
  };
}
