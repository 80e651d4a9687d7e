import { randomBytes } from 'node:crypto';
import { Composer, type Context } from 'telegraf';
import { safeArticleName } from '../corpus/article-files.js';
import { messagesFor, withRetry, type BotDeps } from './context.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** How long an upload waits for "replace?" to be confirmed, and how many may wait at once. */
const CONFIRM_MS = 10 * 60_000;
const MAX_WAITING = 20;

/**
 * Downloads at most `maxBytes`: stops reading past the cap whatever the sender claimed
 * (Telegram's `file_size` is optional), so an oversized file is never held whole.
 */
export async function downloadCapped(url: string | URL, maxBytes: number, timeoutMs = 30_000): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok || !response.body) throw new Error(`downloading the file failed with HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new TooLargeError();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export class TooLargeError extends Error {
  override name = 'TooLargeError';
}

interface WaitingUpload {
  name: string;
  bytes: Uint8Array;
  adminId: number;
  until: number;
}

/**
 * Article uploads: a bot admin sends a `.md` document in a private chat; it is validated,
 * saved under a safe name and indexed. A name already in the corpus is replaced only after
 * the admin confirms (the previous version is kept).
 */
export function createUploadFeature(deps: BotDeps, now: () => number = Date.now): Composer<Context> {
  const feature = new Composer<Context>();
  const waiting = new Map<string, WaitingUpload>();
  const isBotAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);

  function forgetExpired(): void {
    for (const [token, upload] of waiting) if (upload.until <= now()) waiting.delete(token);
  }

  feature.on('message', async (ctx, next) => {
    const upload = deps.onArticleUpload;
    if (!('document' in ctx.message) || !isBotAdmin(ctx) || !upload) return next();
    const { m } = messagesFor(ctx);
    // In a group, a file is for its members, not for the corpus.
    if (ctx.chat.type !== 'private') return void (await withRetry(() => ctx.reply(m.uploadPrivateOnly)));
    const document = ctx.message.document;
    const given = document.file_name ?? '';
    if (!/\.md$/i.test(given)) return void (await ctx.reply(m.uploadNotMarkdown));
    const name = safeArticleName(given);
    if (!name) return void (await ctx.reply(m.uploadFailed(m.uploadBadName)));
    if ((document.file_size ?? 0) > MAX_UPLOAD_BYTES) return void (await ctx.reply(m.uploadFailed(m.uploadTooLarge(name))));
    let bytes: Uint8Array;
    try {
      bytes = await downloadCapped(await ctx.telegram.getFileLink(document.file_id), MAX_UPLOAD_BYTES);
    } catch (error) {
      if (error instanceof TooLargeError) return void (await ctx.reply(m.uploadFailed(m.uploadTooLarge(name))));
      throw error;
    }
    const result = await upload(name, bytes, { replace: false });
    if (result.ok) return void (await withRetry(() => ctx.reply(m.uploadOk(result.title, result.outcome, name))));
    if (!result.exists) return void (await withRetry(() => ctx.reply(m.uploadFailed(result.reason))));
    forgetExpired();
    if (waiting.size >= MAX_WAITING) waiting.delete(waiting.keys().next().value as string);
    const token = randomBytes(9).toString('base64url');
    waiting.set(token, { name, bytes, adminId: ctx.from.id, until: now() + CONFIRM_MS });
    await withRetry(() =>
      ctx.reply(m.uploadExists(name), {
        reply_markup: { inline_keyboard: [[{ text: m.uploadReplace, callback_data: `upl:y:${token}` }, { text: m.uploadKeep, callback_data: `upl:n:${token}` }]] },
      }),
    );
  });

  // upl:<y|n>:<token> — the admin's answer to "replace the existing file?".
  feature.action(/^upl:([yn]):([A-Za-z0-9_-]{12})$/, async (ctx) => {
    const { m } = messagesFor(ctx);
    const [, choice, token = ''] = ctx.match;
    forgetExpired();
    const upload = waiting.get(token);
    if (!upload || upload.adminId !== ctx.from.id || !deps.onArticleUpload) return void (await ctx.answerCbQuery(m.expired));
    waiting.delete(token);
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
    if (choice === 'n') return void (await withRetry(() => ctx.reply(m.uploadKept(upload.name))));
    const result = await deps.onArticleUpload(upload.name, upload.bytes, { replace: true });
    await withRetry(() => ctx.reply(result.ok ? m.uploadOk(result.title, result.outcome, upload.name) : m.uploadFailed(result.exists ? m.uploadExists(upload.name) : result.reason)));
  });

  return feature;
}
