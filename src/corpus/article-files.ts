import { copyFileSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Longest file name we write, in characters before `.md`: file systems cap names at 255 bytes. */
const MAX_NAME_CHARS = 80;

/**
 * A file name the corpus loader accepts, made from a name someone else chose (an upload, a
 * feed item): the last path segment only, no leading dots (the loader skips dotfiles), no
 * characters that are special to shells or file systems, ending in `.md`. Undefined when
 * nothing usable is left.
 */
export function safeArticleName(name: string): string | undefined {
  const last = name.split(/[/\\]/).pop() ?? '';
  const stem = last
    .normalize('NFC')
    .replace(/\.md$/i, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*#%&{}$!'`@=+^~[\]]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s._-]+|[\s._]+$/g, '')
    .replace(/_{2,}/g, '_');
  const short = [...stem].slice(0, MAX_NAME_CHARS).join('').trim();
  return /[\p{L}\p{N}]/u.test(short) ? `${short}.md` : undefined;
}

export type SaveOutcome = { saved: 'added' | 'replaced'; previousKeptAs?: string } | { saved: false; exists: true };

/**
 * Writes an article file into the corpus folder atomically (a hidden temp file, then a
 * rename), so a watcher never reads half a file. An existing file is replaced only when
 * asked, and its previous version is kept in `keepReplacedIn` first.
 */
export function saveArticleFile(
  corpusDir: string,
  name: string,
  bytes: Uint8Array,
  options: { replace?: boolean; keepReplacedIn?: string; now?: Date } = {},
): SaveOutcome {
  const target = join(corpusDir, name);
  const exists = existsSync(target);
  if (exists && !options.replace) return { saved: false, exists: true };
  if (exists && lstatSync(target).isSymbolicLink()) throw new Error(`${name} is a symbolic link in the corpus folder; not replaced`);
  mkdirSync(corpusDir, { recursive: true });
  let previousKeptAs: string | undefined;
  if (exists && options.keepReplacedIn) {
    mkdirSync(options.keepReplacedIn, { recursive: true });
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
    previousKeptAs = `${name.replace(/\.md$/i, '')}.${stamp}.md`;
    copyFileSync(target, join(options.keepReplacedIn, previousKeptAs));
  }
  const temp = join(corpusDir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return exists ? { saved: 'replaced', ...(previousKeptAs ? { previousKeptAs } : {}) } : { saved: 'added' };
}
