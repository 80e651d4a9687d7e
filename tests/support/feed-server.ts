/**
 * A small web server on 127.0.0.1 playing feed publishers and article pages for tests and
 * benchmarks: routes answer with a body (ETag / Last-Modified honoured with 304s), a status,
 * a redirect, a delay, a hang, or a long stream; every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface RouteSpec {
  status?: number;
  body?: string | Buffer;
  type?: string;
  /** Sent, and compared with If-None-Match: equal means 304. */
  etag?: string;
  /** Sent, and compared with If-Modified-Since: equal means 304. */
  lastModified?: string;
  headers?: Record<string, string>;
  gzip?: boolean;
  delayMs?: number;
  /** Never answers (until the server closes). */
  hang?: boolean;
  redirect?: string;
  /** Streams this many bytes of filler, respecting backpressure, and notes how far it got. */
  streamBytes?: number;
}

export type Route = RouteSpec | ((req: IncomingMessage, res: ServerResponse) => void);

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
  /** The status answered, once answered. */
  status?: number;
}

export interface FeedServer {
  origin: string;
  url(path: string): string;
  set(path: string, route: Route): void;
  requests: RecordedRequest[];
  count(path?: string): number;
  /** For streamed routes: bytes written before the client went away (or the end). */
  streamed: Map<string, { written: number; finished: boolean }>;
  close(): Promise<void>;
}

export async function startFeedServer(host = '127.0.0.1'): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const streamed = new Map<string, { written: number; finished: boolean }>();
  const hung = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname + (new URL(req.url ?? '/', 'http://x').search || '');
    const recorded: RecordedRequest = { path, headers: req.headers, at: Date.now() };
    requests.push(recorded);
    res.on('finish', () => (recorded.status = res.statusCode));
    const route = routes.get(path) ?? routes.get(path.split('?')[0]!);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') return route(req, res);
    void serve(route, path, req, res);
  });

  async function serve(route: RouteSpec, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (route.hang) {
      hung.add(res);
      return;
    }
    if (route.delayMs) await new Promise((r) => setTimeout(r, route.delayMs));
    if (res.destroyed) return;
    if (route.redirect) {
      res.writeHead(route.status ?? 302, { location: route.redirect }).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': route.type ?? 'text/html; charset=utf-8', ...route.headers };
    if (route.etag) headers['etag'] = route.etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    const fresh = (route.etag && req.headers['if-none-match'] === route.etag) || (route.lastModified && !route.etag && req.headers['if-modified-since'] === route.lastModified);
    if (fresh) {
      res.writeHead(304, headers).end();
      return;
    }
    if (route.streamBytes) {
      const progress = { written: 0, finished: false };
      streamed.set(path, progress);
      res.writeHead(route.status ?? 200, headers);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      while (progress.written < route.streamBytes && !res.destroyed) {
        const ok = res.write(chunk);
        progress.written += chunk.length;
        if (!ok) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
      }
      if (!res.destroyed) {
        progress.finished = true;
        res.end();
      }
      return;
    }
    let body = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? Buffer.alloc(0));
    if (route.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(route.status ?? 200, headers).end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    set: (path, route) => void routes.set(path, route),
    requests,
    count: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    streamed,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
