import type { Article } from '../corpus/article.js';
import type { Library } from '../library-types.js';
import type { Logger } from '../logger.js';
import { articleRecordOf } from './notice.js';
import type { NoticeSender } from './sender.js';
import type { NoticeStore } from './store.js';

export interface Notifier {
  /**
   * At start-up: on a fresh database the corpus is the baseline (no notices); otherwise
   * articles that arrived while the bot was stopped are noticed now.
   */
  catchUp(articles: Article[]): void;
  /** An article was added or changed in the running library. */
  onArticle(article: Article, outcome: 'added' | 'replaced' | 'unchanged'): void;
}

/** Subscriptions by source (an account or feed followed by name). */
export interface SourceFilter {
  /** The source keys each chat follows; chats that follow none are absent. */
  followed(): ReadonlyMap<number, ReadonlySet<string>>;
  /** The source keys an article comes from (its source, the feeds that brought it). */
  sourcesOf(article: Article): ReadonlySet<string>;
}

export function createNotifier(deps: { store: NoticeStore; library: Pick<Library, 'matchesKeywords'>; sender: Pick<NoticeSender, 'kick'>; logger: Logger; sources?: SourceFilter | undefined }): Notifier {
  const { store, library, sender, logger } = deps;

  function announce(article: Article): void {
    if (store.hasSeen(article.id)) {
      store.updateArticle(articleRecordOf(article));
      return;
    }
    const followed = deps.sources?.followed() ?? new Map<number, ReadonlySet<string>>();
    const from = followed.size && deps.sources ? deps.sources.sourcesOf(article) : new Set<string>();
    // A chat with neither keywords nor sources gets everything; otherwise an article from a
    // source it follows, or one its keywords match (same tokenizer and index as questions).
    const wants = (s: { chatId: number; keywords: string | null }) => {
      const sources = followed.get(s.chatId);
      if (!s.keywords && !sources?.size) return true;
      if (sources && [...sources].some((key) => from.has(key))) return true;
      return Boolean(s.keywords) && library.matchesKeywords(article.id, s.keywords!);
    };
    const chats = store
      .activeSubscribers()
      .filter(wants)
      .map((s) => s.chatId);
    const queued = store.recordNewArticle(articleRecordOf(article), chats);
    logger.info({ article: article.id, title: article.title, notices: queued }, 'new article');
    if (queued) sender.kick();
  }

  return {
    catchUp(articles) {
      if (!store.hasBaseline()) {
        store.recordBaseline(articles.map(articleRecordOf));
        logger.info({ articles: articles.length }, 'first start: existing articles recorded as the baseline, no notices');
        return;
      }
      for (const article of articles) if (!store.hasSeen(article.id)) announce(article);
    },
    onArticle(article, outcome) {
      if (outcome === 'unchanged') return;
      // A changed file is re-indexed without a new notice.
      announce(article);
    },
  };
}
