import { parse as parseYaml } from 'yaml';

/** A file's front matter block and the text after it. */
export interface FrontMatter {
  /** The block's keys, or undefined when the file has no front matter. */
  data: Record<string, unknown> | undefined;
  /** The text after the block (the whole text when there is none). */
  body: string;
}

// Only a line of exactly `---` opens front matter. Tools that pick a parser from the first
// line (`---js`, `---coffee`) would run the block as code: here such a line is just text.
const OPENING = /^---[ \t]*\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

export class FrontMatterError extends Error {
  override name = 'FrontMatterError';
}

/**
 * Splits YAML front matter off a Markdown text. YAML only, parsed with the `yaml` package's
 * core schema: data, never code, and aliases capped so an alias bomb cannot blow up memory.
 */
export function readFrontMatter(source: string): FrontMatter {
  if (!OPENING.test(source)) return { data: undefined, body: source };
  const afterOpening = source.indexOf('\n') + 1;
  const rest = source.slice(afterOpening);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new FrontMatterError('the front matter has no closing --- line');
  const block = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length).replace(/^\n/, '');
  let data: unknown;
  try {
    data = parseYaml(block, { schema: 'core', maxAliasCount: 100, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new FrontMatterError(`the front matter is not valid YAML (${reason})`);
  }
  if (data === null || data === undefined) return { data: {}, body };
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('the front matter is not a list of key: value lines');
  return { data: data as Record<string, unknown>, body };
}
