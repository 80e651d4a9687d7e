import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'question-log.secret';

/**
 * The key of the question log's hashes: the configured one, else the one generated into
 * `dataDir` on first use (owner-only, 0600). It must stay the same across restarts: with a
 * new key, /forgetme can no longer find a reader's older rows.
 */
export function loadLogSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const path = join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': of two processes starting at once, one creates the file and the other reads it.
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy restored with looser permissions is tightened rather than refused.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${path} holds no usable key (under 16 characters); delete it to have a new one made, or set QUESTION_LOG_SECRET`);
  return secret;
}
