/**
 * A validator for Telegram's HTML parse mode, as strict as the Bot API: only its tags,
 * only &lt; &gt; &amp; &quot; and numeric entities, balanced and properly nested.
 * Returns the plain text Telegram would show (what the 4,096-character limit counts).
 */
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export class TelegramHtmlError extends Error {
  constructor(reason: string) {
    super(`Bad Request: can't parse entities: ${reason}`);
  }
}

export function parseTelegramHtml(html: string): { text: string } {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw new TelegramHtmlError(`unclosed start tag at byte offset ${i}`);
      const inner = html.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open !== name) throw new TelegramHtmlError(`unmatched end tag at byte offset ${i}, expected "</${open ?? ''}>", found "</${name}>"`);
      } else {
        const match = /^([a-z-]+)((?:\s+[a-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*$/i.exec(inner);
        if (!match) throw new TelegramHtmlError(`unsupported start tag "${inner.slice(0, 20)}" at byte offset ${i}`);
        const name = match[1]!.toLowerCase();
        if (!ALLOWED_TAGS.has(name)) throw new TelegramHtmlError(`unsupported start tag "${name}" at byte offset ${i}`);
        if (name === 'a' && !/\bhref\s*=/.test(match[2] ?? '')) throw new TelegramHtmlError('can\'t find "href" attribute of <a>');
        checkEntities(match[2] ?? '', i);
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (ch === '>') throw new TelegramHtmlError(`character '>' is reserved at byte offset ${i}`);
    if (ch === '&') {
      const semi = html.indexOf(';', i);
      const name = semi > i ? html.slice(i + 1, semi) : '';
      const decoded = decodeEntity(name);
      if (decoded === undefined) throw new TelegramHtmlError(`character '&' is reserved at byte offset ${i}`);
      text += decoded;
      i = semi + 1;
      continue;
    }
    text += ch;
    i++;
  }
  if (stack.length) throw new TelegramHtmlError(`can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  return { text };
}

function decodeEntity(name: string): string | undefined {
  if (name in NAMED_ENTITIES) return NAMED_ENTITIES[name];
  const numeric = /^#(\d{1,7}|x[0-9a-f]{1,6})$/i.exec(name);
  if (!numeric) return undefined;
  const code = numeric[1]!.startsWith('x') || numeric[1]!.startsWith('X') ? parseInt(numeric[1]!.slice(1), 16) : parseInt(numeric[1]!, 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function checkEntities(attributes: string, offset: number): void {
  for (const m of attributes.matchAll(/&([^;\s]*);?/g)) {
    if (decodeEntity(m[1] ?? '') === undefined) throw new TelegramHtmlError(`character '&' is reserved at byte offset ${offset}`);
  }
}

export function isValidTelegramHtml(html: string): boolean {
  try {
    parseTelegramHtml(html);
    return true;
  } catch {
    return false;
  }
}
