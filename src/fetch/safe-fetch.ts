/**
 * The one way the bot fetches feeds and pages from the web, as a good citizen and safely:
 * only http(s); never loopback, private, link-local or other non-public addresses (unless
 * allowed), checked after DNS resolution and connected to as checked (no second lookup for a
 * rebinding DNS server to answer differently), and again on every redirect; a deadline for the
 * whole exchange; a size cap that stops reading (a response is never buffered past it);
 * conditional requests; a User-Agent that names the bot.
 */
import { promises as dns } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import ipaddr from 'ipaddr.js';

export const USER_AGENT = 'zhwen-bot/0.1 (Telegram article Q&A bot; reads feeds and pages admins add)';

export type FetchErrorCode =
  | 'bad-url'
  | 'blocked-address'
  | 'dns'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'http-status'
  | 'network';

/** A fetch that failed, saying why in words an admin can act on. */
export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    readonly url: string,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchOptions {
  /** Allow loopback, private, link-local and other non-public addresses (tests, intranets). */
  allowPrivate: boolean;
  /** Deadline for the whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Bytes of body (after decompression) past which reading stops and the fetch fails. */
  maxBytes: number;
  maxRedirects?: number;
  userAgent?: string;
  /** DNS resolution (default: the system resolver, every address). */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  /** Which addresses may be reached; default: public unicast only, or any with allowPrivate. */
  isAllowedAddress?: (address: string) => boolean;
}

export interface FetchRequest {
  accept?: string;
  /** The validators of the copy we hold: a 304 answers "unchanged" without a body. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Abandons the fetch (the bot is stopping). */
  signal?: AbortSignal | undefined;
}

export interface FetchResponse {
  /** 304 only when validators were sent and the resource has not changed. */
  status: 200 | 304;
  /** The URL after redirects. */
  url: string;
  contentType: string;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Empty for a 304. */
  body: Buffer;
}

export interface SafeFetcher {
  fetch(url: string, request?: FetchRequest): Promise<FetchResponse>;
}

/** Public unicast addresses only: loopback, private, link-local, unique-local, multicast, CGNAT, reserved, … are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Seconds from a Retry-After header (seconds or an HTTP date). */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

export function createSafeFetcher(options: FetchOptions): SafeFetcher {
  const maxRedirects = options.maxRedirects ?? 5;
  const allowed = options.isAllowedAddress ?? (options.allowPrivate ? () => true : isPublicAddress);
  const resolve = options.resolve ?? ((hostname: string) => dns.lookup(hostname, { all: true, verbatim: true }));

  /** The addresses a URL's host may be reached at: resolved once, checked, then used as is. */
  async function addressesOf(url: URL): Promise<Array<{ address: string; family: number }>> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    let resolved: Array<{ address: string; family: number }>;
    if (family) resolved = [{ address: host, family }];
    else {
      try {
        resolved = await resolve(host);
      } catch (error) {
        throw new FetchError('dns', url.href, `${host}: the name does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    const usable = resolved.filter((a) => allowed(a.address));
    if (!usable.length) {
      const shown = resolved.map((a) => a.address).join(', ') || 'no address';
      throw new FetchError('blocked-address', url.href, `${host} is at ${shown}, a loopback, private or otherwise non-public address; refused (FETCH_ALLOW_PRIVATE=true allows it)`);
    }
    return usable;
  }

  function parseUrl(raw: string, base?: string): URL {
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      throw new FetchError('bad-url', raw, `not a URL: ${raw.slice(0, 200)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('bad-url', url.href, `only http and https links can be fetched, not ${url.protocol}`);
    return url;
  }

  /** One HTTP exchange: resolves with the response once headers arrive. */
  function exchange(url: URL, addresses: Array<{ address: string; family: number }>, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
    // Connect to the checked addresses only: Node asks this instead of the resolver.
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
      const list = wanted.length ? wanted : addresses;
      if (lookupOptions.all) (callback as (err: null, list: Array<{ address: string; family: number }>) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolvePromise, reject) => {
      const request = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers,
          agent: false,
          lookup,
          signal,
        },
        resolvePromise,
      );
      request.on('error', reject);
      request.end();
    });
  }

  async function readBody(url: URL, response: IncomingMessage, signal: AbortSignal): Promise<Buffer> {
    const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
    const declared = Number(response.headers['content-length']);
    if (!encoding && Number.isFinite(declared) && declared > options.maxBytes) {
      response.destroy();
      throw tooLarge(url);
    }
    let stream: Readable = response;
    if (encoding === 'gzip' || encoding === 'x-gzip') stream = response.pipe(zlib.createGunzip());
    else if (encoding === 'deflate') stream = response.pipe(zlib.createInflate());
    else if (encoding === 'br') stream = response.pipe(zlib.createBrotliDecompress());
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of stream) {
        if (signal.aborted) throw signal.reason;
        length += (chunk as Buffer).length;
        // Stop reading at the cap: the rest is never downloaded, let alone held.
        if (length > options.maxBytes) throw tooLarge(url);
        chunks.push(chunk as Buffer);
      }
    } finally {
      if (stream !== response) stream.destroy();
      response.destroy();
    }
    return Buffer.concat(chunks, length);
  }

  const tooLarge = (url: URL) =>
    new FetchError('too-large', url.href, `the response is over ${formatBytes(options.maxBytes)}; cut off there (FETCH_MAX_MB raises the cap)`);

  async function fetchUrl(raw: string, request: FetchRequest = {}): Promise<FetchResponse> {
    let url = parseUrl(raw);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FetchError('timeout', url.href, `no complete answer within ${Math.round(options.timeoutMs / 100) / 10} s`)), options.timeoutMs);
    const abandon = () => controller.abort(new FetchError('network', url.href, 'abandoned: the bot is stopping'));
    if (request.signal?.aborted) abandon();
    request.signal?.addEventListener('abort', abandon, { once: true });
    const headers: Record<string, string> = {
      'user-agent': options.userAgent ?? USER_AGENT,
      accept: request.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    try {
      for (let hop = 0; ; hop++) {
        const addresses = await addressesOf(url);
        let response: IncomingMessage;
        try {
          response = await exchange(url, addresses, headers, controller.signal);
        } catch (error) {
          throw asFetchError(error, url, controller.signal);
        }
        const status = response.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          response.destroy();
          const location = response.headers.location;
          if (!location) throw new FetchError('http-status', url.href, `HTTP ${status} redirect without a Location`, { status });
          if (hop >= maxRedirects) throw new FetchError('too-many-redirects', url.href, `more than ${maxRedirects} redirects`);
          // Every hop is checked again: scheme now, address before connecting.
          url = parseUrl(location, url.href);
          continue;
        }
        if (status === 304) {
          response.destroy();
          return { status: 304, url: url.href, contentType: '', etag: header(response.headers, 'etag') ?? request.etag, lastModified: header(response.headers, 'last-modified') ?? request.lastModified, body: Buffer.alloc(0) };
        }
        if (status < 200 || status > 299) {
          response.destroy();
          const retryAfter = retryAfterSeconds(header(response.headers, 'retry-after'));
          throw new FetchError('http-status', url.href, `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`, { status, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) });
        }
        let body: Buffer;
        try {
          body = await readBody(url, response, controller.signal);
        } catch (error) {
          throw asFetchError(error, url, controller.signal);
        }
        return {
          status: 200,
          url: url.href,
          contentType: header(response.headers, 'content-type') ?? '',
          etag: header(response.headers, 'etag'),
          lastModified: header(response.headers, 'last-modified'),
          body,
        };
      }
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abandon);
    }
  }

  return { fetch: fetchUrl };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function asFetchError(error: unknown, url: URL, signal: AbortSignal): FetchError {
  if (error instanceof FetchError) return error;
  if (signal.aborted && signal.reason instanceof FetchError) return signal.reason;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return new FetchError('network', url.href, `${url.host}: ${code && !message.includes(code) ? `${code} ` : ''}${message}`);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * A body as text: the charset from Content-Type, else a byte-order mark, an XML declaration or
 * an HTML meta tag (Chinese sites still serve GBK), else UTF-8. Never throws.
 */
export function decodeText(body: Uint8Array, contentType = ''): string {
  const head = Buffer.from(body.subarray(0, 4096)).toString('latin1');
  const label =
    /charset\s*=\s*["']?([\w-]+)/i.exec(contentType)?.[1] ??
    (head.startsWith('\xEF\xBB\xBF') ? 'utf-8' : undefined) ??
    (head.startsWith('\xFF\xFE') ? 'utf-16le' : head.startsWith('\xFE\xFF') ? 'utf-16be' : undefined) ??
    /^<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ??
    'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label.toLowerCase());
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}
