/**
 * A small Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks: a real
 * telegraf bot talks to it over HTTP (long polling, sends, edits, callbacks, inline answers),
 * tests play the users, read what the bot sent, and inject faults (429 with retry_after,
 * 403, 5xx, hung requests) and Telegram's rate limits.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTelegramHtml } from './telegram-html.js';

export interface StubUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  username?: string;
  language_code?: string;
}
export interface StubChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
}
export interface StubMessage {
  message_id: number;
  date: number;
  chat: StubChat;
  from?: StubUser;
  text?: string;
  entities?: unknown[];
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  reply_to_message?: StubMessage;
  [key: string]: unknown;
}
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  response: unknown;
}
export interface Fault {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}
export type FaultHandler = (method: string, params: Record<string, unknown>) => Fault | 'timeout' | undefined;
export interface Limits {
  globalPerSecond?: number;
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
}
interface SendOptions {
  chat?: StubChat;
  from?: StubUser;
  replyTo?: StubMessage;
  entities?: unknown[];
}

export interface TelegramStub {
  apiRoot: string;
  token: string;
  botUser: Required<Pick<StubUser, 'id' | 'is_bot' | 'first_name' | 'username'>>;
  calls: ApiCall[];
  sendText(text: string, options?: SendOptions): Record<string, unknown>;
  sendCommand(command: string, options?: SendOptions): Record<string, unknown>;
  sendMessage(message: Partial<StubMessage>, options?: SendOptions): Record<string, unknown>;
  clickButton(message: StubMessage, callbackData: string, options?: { from?: StubUser }): Record<string, unknown>;
  sendInlineQuery(query: string, options?: { from?: StubUser; offset?: string }): Record<string, unknown>;
  pushUpdate(update: Record<string, unknown>): Record<string, unknown>;
  /** Messages the bot sent to a chat, as they stand now (edits applied, deletions removed). */
  messagesTo(chatId: number): StubMessage[];
  callsOf(method: string): ApiCall[];
  /** The first call (from index `since` on, default 0) matching the predicate, waiting for it if need be. */
  waitForCall(predicate: (call: ApiCall) => boolean, options?: { timeoutMs?: number; since?: number }): Promise<ApiCall>;
  failNext(method: string, fault: Fault, options?: { times?: number; chatId?: number }): void;
  setFaultHandler(handler: FaultHandler | undefined): void;
  setLatency(ms: number): void;
  enforceLimits(limits: Limits | undefined): void;
  setChatAdministrators(chatId: number, userIds: number[]): void;
  /** Makes a file downloadable through getFile; returns a Document object to put in a message. */
  addFile(bytes: Uint8Array, fileName: string, mimeType?: string): Record<string, unknown>;
  stats(): { calls: number; rateLimited: number; sent: number };
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_USER: StubUser = { id: 1001, is_bot: false, first_name: 'Reader', language_code: 'zh-hans' };

const SEND_METHODS = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'copyMessage', 'forwardMessage']);

export async function startTelegramStub(options: { token?: string; botUser?: Partial<StubUser>; validateHtml?: boolean; port?: number } = {}): Promise<TelegramStub> {
  const token = options.token ?? '123456:TEST-token-for-the-local-stub_abcdefghij';
  const botUser = { id: 999_000, is_bot: true as const, first_name: 'Test Bot', username: 'test_bot', ...options.botUser } as TelegramStub['botUser'];
  const validateHtml = options.validateHtml ?? true;

  let updates: Array<Record<string, unknown>> = [];
  let nextUpdateId = 1;
  let pollers: Array<() => void> = [];
  let activePoll: ServerResponse | undefined;
  const messages = new Map<number, Map<number, StubMessage>>();
  const nextMessageId = new Map<number, number>();
  let calls: ApiCall[] = [];
  let callWaiters: Array<() => void> = [];
  let oneShotFaults: Array<{ method: string; fault: Fault; times: number; chatId?: number }> = [];
  let faultHandler: FaultHandler | undefined;
  let latencyMs = 0;
  let limits: Limits | undefined;
  let rateLimited = 0;
  let sent = 0;
  const sendLog: Array<{ chatId: number; at: number }> = [];
  const admins = new Map<number, number[]>();
  const files = new Map<string, { bytes: Uint8Array; path: string; name: string; mime: string }>();
  const hung = new Set<ServerResponse>();
  let userMessageId = 1_000_000;

  const now = () => Math.floor(Date.now() / 1000);
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (fault: Fault) => ({ ok: false, ...fault });

  function pushUpdate(update: Record<string, unknown>) {
    const withId = { update_id: nextUpdateId++, ...update };
    updates.push(withId);
    const waiting = pollers;
    pollers = [];
    for (const wake of waiting) wake();
    return withId;
  }

  function userMessage(partial: Partial<StubMessage>, opts: SendOptions = {}): StubMessage {
    const from = opts.from ?? DEFAULT_USER;
    const chat = opts.chat ?? { id: from.id, type: 'private' as const };
    return {
      message_id: userMessageId++,
      date: now(),
      chat,
      from,
      ...(opts.replyTo ? { reply_to_message: opts.replyTo } : {}),
      ...(opts.entities ? { entities: opts.entities } : {}),
      ...partial,
    };
  }

  function storeBotMessage(chatId: number, partial: Partial<StubMessage>): StubMessage {
    const id = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, id);
    const chat: StubChat = chatId < 0 ? { id: chatId, type: 'supergroup', title: 'Group' } : { id: chatId, type: 'private' };
    const message: StubMessage = { message_id: id, date: now(), chat, from: botUser, ...partial };
    if (!messages.has(chatId)) messages.set(chatId, new Map());
    messages.get(chatId)!.set(id, message);
    return message;
  }

  function checkText(text: unknown, parseMode: unknown): Fault | undefined {
    if (typeof text !== 'string' || text.length === 0) return { error_code: 400, description: 'Bad Request: message text is empty' };
    let shown = text;
    if (parseMode === 'HTML' && validateHtml) {
      try {
        shown = parseTelegramHtml(text).text;
      } catch (error) {
        return { error_code: 400, description: (error as Error).message };
      }
    }
    if (shown.trim().length === 0) return { error_code: 400, description: 'Bad Request: message text is empty' };
    if (shown.length > 4096) return { error_code: 400, description: 'Bad Request: message is too long' };
    return undefined;
  }

  function checkMarkup(markup: unknown): Fault | undefined {
    const keyboard = (markup as StubMessage['reply_markup'])?.inline_keyboard ?? [];
    for (const row of keyboard) {
      for (const button of row) {
        if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data) > 64 || button.callback_data.length === 0)) {
          return { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
        }
      }
    }
    return undefined;
  }

  function rateLimit(method: string, chatId: number | undefined): Fault | undefined {
    if (!limits || !SEND_METHODS.has(method) || chatId === undefined) return undefined;
    const t = Date.now();
    while (sendLog.length && t - (sendLog[0]?.at ?? 0) > 60_000) sendLog.shift();
    const lastSecond = sendLog.filter((s) => t - s.at < 1000);
    const tooMany =
      (limits.globalPerSecond !== undefined && lastSecond.length >= limits.globalPerSecond) ||
      (limits.perChatPerSecond !== undefined && lastSecond.filter((s) => s.chatId === chatId).length >= limits.perChatPerSecond) ||
      (limits.perGroupPerMinute !== undefined && chatId < 0 && sendLog.filter((s) => s.chatId === chatId).length >= limits.perGroupPerMinute);
    if (tooMany) {
      rateLimited++;
      return { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
    }
    sendLog.push({ chatId, at: t });
    return undefined;
  }

  function handle(method: string, params: Record<string, unknown>): { status: number; body: unknown } {
    const chatId = params['chat_id'] === undefined ? undefined : Number(params['chat_id']);
    const oneShot = oneShotFaults.find((f) => f.method === method && (f.chatId === undefined || f.chatId === chatId));
    if (oneShot) {
      oneShot.times--;
      if (oneShot.times <= 0) oneShotFaults = oneShotFaults.filter((f) => f !== oneShot);
      return { status: oneShot.fault.error_code, body: fail(oneShot.fault) };
    }
    const limited = rateLimit(method, chatId);
    if (limited) return { status: 429, body: fail(limited) };
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const bad = (fault: Fault) => ({ status: fault.error_code, body: fail(fault) });

    switch (method) {
      case 'getMe':
        return ok(botUser);
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setChatMenuButton':
      case 'sendChatAction':
      case 'setMyDescription':
      case 'setMyShortDescription':
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: updates.length });
      case 'getMyCommands':
        return ok(calls.filter((c) => c.method === 'setMyCommands').at(-1)?.params['commands'] ?? []);
      case 'sendMessage': {
        if (chatId === undefined || Number.isNaN(chatId)) return bad({ error_code: 400, description: 'Bad Request: chat_id is empty' });
        const problem = checkText(params['text'], params['parse_mode']) ?? checkMarkup(params['reply_markup']);
        if (problem) return bad(problem);
        sent++;
        return ok(storeBotMessage(chatId, { text: String(params['text']), ...(params['reply_markup'] ? { reply_markup: params['reply_markup'] as StubMessage['reply_markup'] } : {}) }));
      }
      case 'sendDocument':
      case 'sendPhoto':
        sent++;
        return ok(storeBotMessage(chatId ?? 0, { caption: params['caption'] }));
      case 'editMessageText': {
        const message = messages.get(chatId ?? NaN)?.get(Number(params['message_id']));
        if (!message) return bad({ error_code: 400, description: 'Bad Request: message to edit not found' });
        const problem = checkText(params['text'], params['parse_mode']) ?? checkMarkup(params['reply_markup']);
        if (problem) return bad(problem);
        if (message.text === params['text'] && JSON.stringify(message.reply_markup ?? null) === JSON.stringify(params['reply_markup'] ?? null)) {
          return bad({ error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' });
        }
        message.text = String(params['text']);
        if (params['reply_markup']) message.reply_markup = params['reply_markup'] as StubMessage['reply_markup'];
        else delete message.reply_markup;
        message['edit_date'] = now();
        return ok(message);
      }
      case 'editMessageReplyMarkup': {
        const message = messages.get(chatId ?? NaN)?.get(Number(params['message_id']));
        if (!message) return bad({ error_code: 400, description: 'Bad Request: message to edit not found' });
        const problem = checkMarkup(params['reply_markup']);
        if (problem) return bad(problem);
        if (params['reply_markup']) message.reply_markup = params['reply_markup'] as StubMessage['reply_markup'];
        else delete message.reply_markup;
        return ok(message);
      }
      case 'deleteMessage':
        return ok(messages.get(chatId ?? NaN)?.delete(Number(params['message_id'])) ?? false);
      case 'answerCallbackQuery':
        if (typeof params['text'] === 'string' && params['text'].length > 200) return bad({ error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
        return ok(true);
      case 'answerInlineQuery': {
        const results = (params['results'] as Array<Record<string, unknown>> | undefined) ?? [];
        if (results.length > 50) return bad({ error_code: 400, description: 'Bad Request: RESULTS_TOO_MUCH' });
        const ids = new Set<string>();
        for (const result of results) {
          const id = String(result['id'] ?? '');
          if (!id || Buffer.byteLength(id) > 64 || ids.has(id)) return bad({ error_code: 400, description: 'Bad Request: RESULT_ID_INVALID' });
          ids.add(id);
          const content = result['input_message_content'] as Record<string, unknown> | undefined;
          const problem = (content && checkText(content['message_text'], content['parse_mode'])) ?? checkMarkup(result['reply_markup']);
          if (problem) return bad(problem);
        }
        return ok(true);
      }
      case 'getChatMember': {
        const userId = Number(params['user_id']);
        const isAdmin = (admins.get(chatId ?? NaN) ?? []).includes(userId);
        return ok({ status: chatId !== undefined && chatId > 0 && chatId === userId ? 'creator' : isAdmin ? 'administrator' : 'member', user: { id: userId, is_bot: false, first_name: 'User' } });
      }
      case 'getChatAdministrators':
        return ok((admins.get(chatId ?? NaN) ?? []).map((id) => ({ status: 'administrator', user: { id, is_bot: false, first_name: 'Admin' } })));
      case 'getFile': {
        const file = files.get(String(params['file_id']));
        if (!file) return bad({ error_code: 400, description: 'Bad Request: invalid file_id' });
        return ok({ file_id: params['file_id'], file_unique_id: params['file_id'], file_size: file.bytes.byteLength, file_path: file.path });
      }
      default:
        return bad({ error_code: 404, description: 'Not Found' });
    }
  }

  async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    if (!raw) return query;
    if (type.includes('application/json')) return { ...query, ...(JSON.parse(raw) as Record<string, unknown>) };
    if (type.includes('application/x-www-form-urlencoded')) {
      return { ...query, ...Object.fromEntries([...new URLSearchParams(raw)].map(([k, v]) => [k, tryJson(v)])) };
    }
    if (type.includes('multipart/form-data')) {
      const boundary = /boundary=(.+)$/.exec(type)?.[1] ?? '';
      const fields: Record<string, unknown> = { ...query };
      for (const part of raw.split(`--${boundary}`)) {
        const name = /name="([^"]+)"/.exec(part)?.[1];
        if (!name || /filename=/.test(part)) continue;
        fields[name] = tryJson(part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, ''));
      }
      return fields;
    }
    return query;
  }

  async function getUpdates(params: Record<string, unknown>, res: ServerResponse) {
    if (activePoll && !activePoll.writableEnded) {
      return reply(res, 409, fail({ error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' }));
    }
    activePoll = res;
    const offset = Number(params['offset'] ?? 0);
    if (offset) updates = updates.filter((u) => Number(u['update_id']) >= offset);
    const limit = Math.min(100, Number(params['limit'] ?? 100));
    const timeoutMs = Math.min(50, Number(params['timeout'] ?? 0)) * 1000;
    if (!updates.length && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        pollers.push(() => {
          clearTimeout(timer);
          resolve();
        });
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (activePoll === res) activePoll = undefined;
    reply(res, 200, { ok: true, result: updates.slice(0, limit) });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (fileMatch) {
        const file = [...files.values()].find((f) => f.path === fileMatch[2]);
        if (fileMatch[1] !== token || !file) return reply(res, 404, fail({ error_code: 404, description: 'Not Found' }));
        res.writeHead(200, { 'content-type': file.mime });
        return res.end(Buffer.from(file.bytes));
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) return reply(res, 404, fail({ error_code: 404, description: 'Not Found' }));
      if (match[1] !== token) return reply(res, 401, fail({ error_code: 401, description: 'Unauthorized' }));
      const method = match[2]!;
      let params: Record<string, unknown>;
      try {
        params = await readBody(req);
      } catch {
        return reply(res, 400, fail({ error_code: 400, description: 'Bad Request: invalid request body' }));
      }
      if (method === 'getUpdates') return getUpdates(params, res);
      if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const injected = faultHandler?.(method, params);
      if (injected === 'timeout') {
        hung.add(res);
        return;
      }
      const { status, body } = injected ? { status: injected.error_code, body: fail(injected) } : handle(method, params);
      const call: ApiCall = { method, params, at: Date.now(), response: body };
      calls.push(call);
      const waiting = callWaiters;
      callWaiters = [];
      for (const wake of waiting) wake();
      reply(res, status, body);
    })().catch((error: unknown) => reply(res, 500, fail({ error_code: 500, description: `Internal Server Error: ${String(error)}` })));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const stub: TelegramStub = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUser,
    get calls() {
      return calls;
    },
    sendText: (text, opts) => pushUpdate({ message: userMessage({ text }, opts) }),
    sendCommand: (command, opts) => {
      const name = command.split(/\s/)[0] ?? command;
      return pushUpdate({ message: userMessage({ text: command, entities: [{ type: 'bot_command', offset: 0, length: name.length }] }, opts) });
    },
    sendMessage: (message, opts) => pushUpdate({ message: userMessage(message, opts) }),
    clickButton: (message, data, opts = {}) =>
      pushUpdate({
        callback_query: { id: String(nextUpdateId * 7919), from: opts.from ?? DEFAULT_USER, message, chat_instance: 'ci', data },
      }),
    sendInlineQuery: (query, opts = {}) =>
      pushUpdate({ inline_query: { id: `iq${nextUpdateId}`, from: opts.from ?? DEFAULT_USER, query, offset: opts.offset ?? '' } }),
    pushUpdate,
    messagesTo: (chatId) => [...(messages.get(chatId)?.values() ?? [])],
    callsOf: (method) => calls.filter((c) => c.method === method),
    async waitForCall(predicate, { timeoutMs = 10_000, since = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.slice(since).find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) {
          const recent = calls.slice(-5).map((c) => `${c.method} ${JSON.stringify(c.params).slice(0, 120)}`);
          throw new Error(`waitForCall: no matching call within ${timeoutMs} ms; last calls:\n  ${recent.join('\n  ') || '(none)'}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          callWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    failNext: (method, fault, opts = {}) => {
      oneShotFaults.push({ method, fault, times: opts.times ?? 1, ...(opts.chatId !== undefined ? { chatId: opts.chatId } : {}) });
    },
    setFaultHandler: (handler) => {
      faultHandler = handler;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    enforceLimits: (l) => {
      limits = l;
      sendLog.length = 0;
    },
    setChatAdministrators: (chatId, ids) => {
      admins.set(chatId, ids);
    },
    addFile: (bytes, fileName, mimeType = 'text/markdown') => {
      const id = `file${files.size + 1}`;
      // Telegram names the stored file itself (documents/file_12.md), whatever the sender called it.
      files.set(id, { bytes, path: `documents/${id}${/\.[A-Za-z0-9]{1,8}$/.exec(fileName)?.[0] ?? ''}`, name: fileName, mime: mimeType });
      return { file_id: id, file_unique_id: id, file_name: fileName, mime_type: mimeType, file_size: bytes.byteLength };
    },
    stats: () => ({ calls: calls.length, rateLimited, sent }),
    reset: () => {
      calls = [];
      updates = [];
      messages.clear();
      oneShotFaults = [];
      faultHandler = undefined;
      latencyMs = 0;
      limits = undefined;
      rateLimited = 0;
      sent = 0;
      sendLog.length = 0;
    },
    close: async () => {
      for (const wake of pollers) wake();
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
