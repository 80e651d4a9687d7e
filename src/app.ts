import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runConsoleChat } from './bot/console-chat.js';
import type { Subscriptions, UploadResult } from './bot/context.js';
import { createBot } from './bot/create-bot.js';
import { runBot, type RunningBot } from './bot/run-bot.js';
import type { Config } from './config.js';
import { ArticleError, type Article } from './corpus/article.js';
import { saveArticleFile } from './corpus/article-files.js';
import { loadArticleFile } from './corpus/load-corpus.js';
import { articleIdFor, parseArticle } from './corpus/parse-article.js';
import { watchCorpus, type CorpusWatcher } from './corpus/watch-corpus.js';
import { createProgressBar } from './cli/progress.js';
import { createFeedsService, createSourceFilter, type FeedsService } from './feeds/feeds-service.js';
import { loadLogSecret } from './insights/log-secret.js';
import { createQuestionLog, schedulePurge } from './insights/question-log.js';
import { questionTopic } from './insights/question-topic.js';
import { openLibrary } from './library.js';
import { redactToken, type Logger } from './logger.js';
import { articleRecordOf } from './notices/notice.js';
import { createNoticeSender, type CallApi } from './notices/sender.js';
import { createNotifier } from './notices/notifier.js';
import { createSourceSubscriptions, sourceKey, type SourceSubscriptions } from './notices/source-subscriptions.js';
import { openStore, type NoticeStore } from './notices/store.js';
import { englishChinese } from './search/query/english-chinese.js';
import { englishLexicon } from './search/query/english-lexicon.js';

export interface App {
  /**
   * Resolves when the app has nothing more to do (the console chat ended, or it was stopped);
   * rejects with a BotFatalError when the bot cannot run.
   */
  done: Promise<void>;
  stop(reason?: string): Promise<void>;
}

export interface AppIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

function subscriptionsOf(store: NoticeStore, sources: SourceSubscriptions, feeds: FeedsService, knownSources: () => string[]): Subscriptions {
  return {
    subscribe: (chat, keywords) => {
      store.subscribe(chat, keywords);
      // Plain /subscribe means everything: sources followed before would narrow it.
      if (!keywords) sources.clear(chat.id);
    },
    unsubscribe: (chatId) => {
      sources.clear(chatId);
      return store.unsubscribe(chatId);
    },
    subscription: (chatId) => {
      const s = store.subscription(chatId);
      return s && { keywords: s.keywords, since: s.since, sources: sources.of(chatId) };
    },
    stats: () => ({ ...store.counts(), ...feeds.stats() }),
    followSource: (chat, source) => {
      store.subscribe(chat, store.subscription(chat.id)?.keywords ?? null);
      const isNew = sources.follow(chat.id, source);
      return { isNew, isKnown: knownSources().some((known) => sourceKey(known) === sourceKey(source)) };
    },
    unfollowSource: (chatId, source) => {
      if (!sources.unfollow(chatId, source)) return false;
      // With nothing left to follow the chat would get everything: it is unsubscribed instead.
      if (!sources.of(chatId).length && !store.subscription(chatId)?.keywords) store.unsubscribe(chatId);
      return true;
    },
    knownSources,
  };
}

/** Wires configuration, corpus, index, bot (or console chat), corpus watcher and notices. */
export async function startApp(config: Config, logger: Logger, io: AppIo): Promise<App> {
  const opened = openLibrary(config.corpusDir, { dataDir: config.dataDir, onProgress: createProgressBar('indexing') });
  const { library, corpus } = opened;
  for (const error of corpus.errors) logger.warn({ file: error.file, reason: error.reason }, 'article skipped');
  logger.info({ articles: corpus.articles.length, passages: library.index.passageCount, skipped: corpus.errors.length, ...opened.stats }, 'corpus indexed');
  // Every question reads the dictionary (near-synonyms, English words): read it now rather
  // than keep the first reader waiting ~1.4 s; likewise the English–Chinese lexicon's line index.
  englishChinese();
  englishLexicon();

  // The index snapshot follows the running index, a few seconds behind a burst of changes,
  // written in the background (one save at a time) so that answers do not wait for it.
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const saveSnapshotSoon = () => {
    saveTimer = undefined;
    saving = saving
      .then(() => opened.saveSnapshotInBackground())
      .catch((error: unknown) => logger.warn({ err: String(error) }, 'index snapshot not saved'));
  };
  const scheduleSnapshot = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveSnapshotSoon, 5000);
    saveTimer.unref();
  };
  // At shutdown: let a save under way finish, then save what changed since.
  const flushSnapshot = async () => {
    const pending = saveTimer !== undefined;
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    await saving;
    if (!pending) return;
    try {
      opened.saveSnapshot();
    } catch (error) {
      logger.warn({ err: String(error) }, 'index snapshot not saved');
    }
  };

  if (!config.telegramToken) {
    io.output.write('TELEGRAM_BOT_TOKEN is not set, so the Telegram bot is off. Here is a console chat over the same answers\n(set the token in .env to run the bot; see .env.example).\n\n');
    const done = runConsoleChat({ library, input: io.input, output: io.output, prompt: io.interactive });
    return { done, stop: async () => undefined };
  }

  mkdirSync(config.dataDir, { recursive: true });
  const store = openStore(join(config.dataDir, 'bot.db'));
  // The sender needs the bot's Telegram client, the bot needs the upload handler: tie them late.
  let callApi: CallApi = async () => {
    throw new Error('bot not started');
  };
  const sender = createNoticeSender({ store, callApi: (method, payload, options) => callApi(method, payload, options), logger });
  // Feeds and links: items become articles through the same ingest path as files.
  const feeds = createFeedsService({
    config,
    db: store.db,
    ingest: (article) => ingest(article),
    markQuiet: (article) => store.recordBaseline([articleRecordOf(article)]),
    logger: logger.child({ part: 'feeds' }),
  });
  const sourceSubscriptions = createSourceSubscriptions(store.db);
  const notifier = createNotifier({ store, library, sender, logger, sources: createSourceFilter(sourceSubscriptions, feeds.store) });
  notifier.catchUp(library.articles());
  feeds.resumePending();
  const knownSources = () => [...new Set([...library.articles().map((a) => a.source), ...feeds.store.list().map((f) => f.title)].filter((s): s is string => Boolean(s)))].sort();

  // What readers ask, kept QUESTION_LOG_DAYS days: purged now and daily.
  const questionLog = createQuestionLog({
    db: store.db,
    secret: loadLogSecret(config.questionLogSecret, config.dataDir),
    retentionDays: config.questionLogDays,
    topicOf: (question) => questionTopic(library.tokenizer.analyzeQuery(question)),
    onWriteError: (error, lost) => logger.error({ err: String(error), lost }, 'questions not written to the log'),
  });
  const stopPurging = schedulePurge(questionLog, (result) => {
    if ('error' in result) logger.warn({ err: String(result.error) }, 'question log not purged; trying again tomorrow');
    else if (result.purged) logger.info({ purged: result.purged, days: config.questionLogDays }, 'old questions deleted from the log');
  });

  async function tellAdmins(text: string): Promise<void> {
    for (const adminId of config.adminIds) {
      try {
        await bot.telegraf.telegram.sendMessage(adminId, text);
      } catch (error) {
        logger.warn({ admin: adminId, err: redactToken(String(error)) }, 'could not tell an admin');
      }
    }
  }

  function ingest(article: Article): 'added' | 'replaced' | 'unchanged' {
    const outcome = library.upsert(article);
    if (outcome !== 'unchanged') {
      logger.info({ file: article.file, outcome }, 'article indexed');
      scheduleSnapshot();
    }
    notifier.onArticle(article, outcome);
    return outcome;
  }

  function ingestFile(file: string): void {
    try {
      ingest(loadArticleFile(config.corpusDir, file));
    } catch (error) {
      // An ArticleError names the corpus file only; anything else may carry absolute paths.
      const reason = error instanceof ArticleError ? error.message : `${file}: the article could not be indexed (see the bot's log)`;
      logger.warn({ file, reason, err: String(error) }, 'new article rejected; nothing sent for it');
      void tellAdmins(`⚠️ ${reason}`);
    }
  }

  // Uploads arrive under a safe name (see safeArticleName); a replaced file is kept here.
  const replacedDir = join(config.dataDir, 'replaced');
  async function onArticleUpload(name: string, bytes: Uint8Array, options: { replace: boolean }): Promise<UploadResult> {
    try {
      const article = parseArticle(name, bytes);
      const saved = saveArticleFile(config.corpusDir, name, bytes, { replace: options.replace, keepReplacedIn: replacedDir });
      if (!saved.saved) return { ok: false, exists: true };
      if (saved.previousKeptAs) logger.info({ file: name, keptAs: join('replaced', saved.previousKeptAs) }, 'previous version kept');
      const outcome = ingest(article);
      return { ok: true, title: article.title, outcome };
    } catch (error) {
      if (error instanceof ArticleError) return { ok: false, reason: error.message };
      // File system errors carry absolute paths: those go to the log, not to the chat.
      logger.error({ file: name, err: String(error) }, 'upload not saved');
      return { ok: false, reason: `${name}: the file could not be saved (see the bot's log)` };
    }
  }

  const bot = createBot({
    config,
    library,
    logger,
    subscriptions: subscriptionsOf(store, sourceSubscriptions, feeds, knownSources),
    onArticleUpload,
    feeds: feeds.control,
    questionLog: { log: questionLog, db: store.db },
  });
  callApi = (method, payload, options) => bot.telegraf.telegram.callApi(method, payload as never, options as never) as Promise<{ message_id: number }>;
  let running: RunningBot | undefined = await runBot(bot, {
    logger,
    webhook: config.webhook,
    health: { backlog: () => store.backlog(), counts: () => ({ ...store.counts(), articles: library.articles().length, ...feeds.stats() }) },
  });
  sender.start();
  feeds.start();
  const watcher: CorpusWatcher | undefined = config.watchCorpus
    ? watchCorpus({
        dir: config.corpusDir,
        // Files added or changed while the index was being built are picked up at once.
        baseline: opened.fileStates,
        onFileReady: ingestFile,
        onFileRemoved: (file) => {
          if (library.remove(articleIdFor(file))) {
            logger.info({ file }, 'article removed from the index');
            scheduleSnapshot();
          }
        },
        onError: (error) => logger.warn({ err: String(error) }, 'corpus watcher problem'),
      })
    : undefined;

  let resolveDone: () => void = () => undefined;
  // Ends when the app is stopped, or rejects when the bot gives up (bad token, another
  // instance): the process must then exit so that a supervisor restarts or alerts.
  const done = Promise.race([
    new Promise<void>((resolve) => {
      resolveDone = resolve;
    }),
    running.failed,
  ]);
  return {
    done,
    async stop(reason) {
      watcher?.close();
      await running?.stop(reason);
      running = undefined;
      await feeds.stop();
      await sender.stop();
      stopPurging();
      questionLog.close();
      store.close();
      await flushSnapshot();
      resolveDone();
    },
  };
}
