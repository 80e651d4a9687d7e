import { parse as parseYaml } from 'yaml';
import type { SourceDocument } from './source-document.js';
import { dateOf, textOf, urlOf } from './source-document.js';

/** A file's front matter block and the text after it. */
export interface FrontMatter {
  /** The block's keys, or undefined when the file has no front matter. */
  data: Record<string, unknown> | undefined;
  /** The text after the block (the whole text when there is none). */
  body: string;
  /** Set when the block is not valid YAML and its `key: value` lines were read instead. */
  lenient?: string;
}

// Only a line of exactly `---` opens front matter. Tools that pick a parser from the first
// line (`---js`, `---coffee`) would run the block as code: here such a line is just text.
const OPENING = /^---[ \t]*\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Splits YAML front matter off a Markdown text. YAML only, parsed with the `yaml` package's
 * core schema: data, never code, and aliases capped so an alias bomb cannot blow up memory.
 * When the block is not valid YAML (crawlers write `title: Update: …` unquoted), its
 * `key: value` lines are read one by one instead: extra or odd keys are never fatal.
 */
export function readFrontMatter(source: string): FrontMatter {
  if (!OPENING.test(source)) return { data: undefined, body: source };
  const afterOpening = source.indexOf('\n') + 1;
  const rest = source.slice(afterOpening);
  const closing = CLOSING.exec(rest);
  // A leading --- with no closing line is a rule in plain Markdown, not front matter.
  if (!closing) return { data: undefined, body: source };
  const block = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length).replace(/^\n/, '');
  let data: unknown;
  try {
    data = parseYaml(block, { schema: 'core', maxAliasCount: 100, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return { data: keyValueLines(block), body, lenient: reason };
  }
  if (data === null || data === undefined) return { data: {}, body };
  if (typeof data !== 'object' || Array.isArray(data)) return { data: keyValueLines(block), body, lenient: 'not a mapping' };
  return { data: data as Record<string, unknown>, body };
}

/** `key: value` lines, the value taken whole (colons and all), quotes around it removed. */
function keyValueLines(block: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const line of block.split('\n')) {
    const match = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const value = (match[2] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    if (value && !(match[1] in data)) data[match[1]] = value;
  }
  return data;
}

/** The front-matter format: `title`, `url`, `source`, `date` (and `author`) from the block. */
export function readFrontMatterDocument(text: string): SourceDocument | undefined {
  const front = readFrontMatter(text);
  if (!front.data) return undefined;
  const data = front.data;
  return {
    format: 'front-matter',
    title: textOf(data['title']),
    url: urlOf(textOf(data['url']) ?? textOf(data['link'])),
    source: textOf(data['source']) ?? textOf(data['account']) ?? textOf(data['site']),
    author: textOf(data['author']),
    date: dateOf(data['date']) ?? dateOf(data['published']),
    body: front.body,
    notes: front.lenient ? [`the front matter is not valid YAML (${front.lenient}); its key: value lines were read`] : [],
  };
}
