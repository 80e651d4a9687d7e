/**
 * Feeds as the app runs them, in one process: a real SQLite store, a real library (index,
 * jieba), the real notifier queuing notices (no sender), the feeds service, and a feed server
 * on 127.0.0.1.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/corpus/article.js';
import { loadArticleFile } from '../../src/corpus/load-corpus.js';
import { createSafeFetcher, type FetchOptions } from '../../src/fetch/safe-fetch.js';
import { createFeedsService, createSourceFilter, type FeedsService, type FeedsServiceDeps } from '../../src/feeds/feeds-service.js';
import { createCorpusTokenizer, createLibrary } from '../../src/library.js';
import { articleRecordOf } from '../../src/notices/notice.js';
import { createNotifier } from '../../src/notices/notifier.js';
import { createSourceSubscriptions, type SourceSubscriptions } from '../../src/notices/source-subscriptions.js';
import { openStore, type NoticeStore } from '../../src/notices/store.js';
import { silentLogger, tempDir } from '../notices/helpers.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';

export interface FeedsHarness {
  dir: string;
  corpusDir: string;
  server: FeedServer;
  store: NoticeStore;
  feeds: FeedsService;
  library: ReturnType<typeof createLibrary>;
  sources: SourceSubscriptions;
  /** Notices queued (one per subscriber and article). */
  notices(): Array<{ chatId: number; title: string }>;
  /** Article files below the corpus folder. */
  files(): string[];
  read(file: string): string;
  /** The same database and corpus opened again, as after a restart (the old one is closed). */
  restart(options?: HarnessOptions): FeedsHarness;
  close(): Promise<void>;
}

export interface HarnessOptions {
  fetch?: Partial<FetchOptions>;
  feeds?: Partial<FeedsServiceDeps['config']>;
  poller?: FeedsServiceDeps['poller'];
}

let tokenizer: ReturnType<typeof createCorpusTokenizer> | undefined;

export async function startFeedsHarness(options: HarnessOptions = {}): Promise<FeedsHarness> {
  const { dir, cleanup } = tempDir('feeds-');
  const server = await startFeedServer();
  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir, { recursive: true });
  // Loading jieba's dictionaries takes a second or two: one tokenizer serves every harness of a test file.
  tokenizer ??= createCorpusTokenizer(corpusDir);
  let closeServer = async () => {
    await server.close();
    cleanup();
  };

  function open(opts: HarnessOptions, articles: Article[]): FeedsHarness {
    const store = openStore(join(dir, 'bot.db'));
    const library = createLibrary(tokenizer!, articles);
    const sources = createSourceSubscriptions(store.db);
    const ingest = (article: Article) => {
      const outcome = library.upsert(article);
      notifier.onArticle(article, outcome);
      return outcome;
    };
    const feeds = createFeedsService({
      config: { corpusDir, feeds: [], feedIntervalSeconds: 3600, fetchAllowPrivate: true, fetchTimeoutSeconds: 5, fetchMaxBytes: 5 * 1024 * 1024, ...opts.feeds },
      db: store.db,
      ingest,
      markQuiet: (article) => store.recordBaseline([articleRecordOf(article)]),
      logger: silentLogger,
      fetcher: createSafeFetcher({ allowPrivate: true, timeoutMs: 2000, maxBytes: 5 * 1024 * 1024, ...opts.fetch }),
      ...(opts.poller ? { poller: opts.poller } : {}),
    });
    const notifier = createNotifier({ store, library, sender: { kick: () => undefined }, logger: silentLogger, sources: createSourceFilter(sources, feeds.store) });
    notifier.catchUp(library.articles());
    const harness: FeedsHarness = {
      dir,
      corpusDir,
      server,
      store,
      feeds,
      library,
      sources,
      notices: () =>
        store.db
          .prepare('SELECT d.chat_id AS chatId, a.title FROM deliveries d JOIN articles a USING (article_id) ORDER BY d.id')
          .all() as Array<{ chatId: number; title: string }>,
      files: () => (readdirSync(corpusDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).map((f) => f.split('\\').join('/')).sort(),
      read: (file) => readFileSync(join(corpusDir, file), 'utf8'),
      restart(next = opts) {
        void feeds.stop();
        store.close();
        // A restarted app loads the corpus folder as it is on disk.
        const onDisk = harness.files().map((file) => loadArticleFile(corpusDir, file));
        return open(next, onDisk);
      },
      async close() {
        await feeds.stop();
        try {
          store.close();
        } catch {
          // closed by a restart
        }
        await closeServer();
        closeServer = async () => undefined;
      },
    };
    return harness;
  }
  return open(options, []);
}

export const subscriber = (store: NoticeStore, id: number, keywords: string | null = null) => store.subscribe({ id, type: 'private', language: 'zh' }, keywords);

export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
