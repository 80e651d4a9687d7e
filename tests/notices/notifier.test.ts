import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse-article.js';
import { openLibrary } from '../../src/library.js';
import { createNotifier } from '../../src/notices/notifier.js';
import { summarizeArticle } from '../../src/notices/summary.js';
import { openTempStore, silentLogger } from './helpers.js';

const chips = parseArticle('chips.md', readFileSync('tests/fixtures/articles/good-markdown-headings.md'));

describe('the notifier', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function setup() {
    const t = openTempStore();
    cleanup = t.cleanup;
    const { library } = openLibrary('corpus');
    let kicks = 0;
    const notifier = createNotifier({ store: t.store, library, sender: { kick: () => void kicks++ }, logger: silentLogger });
    return { store: t.store, library, notifier, kicks: () => kicks };
  }

  it('records the existing corpus as the baseline on first start and sends nothing', () => {
    const { store, library, notifier } = setup();
    notifier.catchUp(library.articles());
    expect(store.counts()).toMatchObject({ articles: 1, pending: 0 });
    notifier.catchUp(library.articles());
    expect(store.counts().pending).toBe(0);
  });

  it('queues a new article for every subscriber, and keyword subscribers only when it matches', () => {
    const { store, library, notifier, kicks } = setup();
    notifier.catchUp(library.articles());
    store.subscribe({ id: 1, type: 'private', language: 'zh' }, null);
    store.subscribe({ id: 2, type: 'private', language: 'zh' }, '光刻机');
    store.subscribe({ id: 3, type: 'private', language: 'zh' }, '足球 比赛');
    library.upsert(chips);
    notifier.onArticle(chips, 'added');
    expect(store.deliveriesFor(chips.id).map((d) => d.chatId)).toEqual([1, 2]);
    expect(kicks()).toBe(1);
  });

  it('re-indexes a changed article without a new notice', () => {
    const { store, library, notifier } = setup();
    notifier.catchUp(library.articles());
    store.subscribe({ id: 1, type: 'private', language: 'zh' }, null);
    notifier.onArticle(chips, 'added');
    const changed = { ...chips, contentHash: 'other', title: '新标题' };
    notifier.onArticle(changed, 'replaced');
    expect(store.deliveriesFor(chips.id)).toHaveLength(1);
    expect(store.nextDue(Date.now(), new Set(), 5)[0]?.article.title).toBe('新标题');
  });

  it('notices articles that arrived while the bot was stopped', () => {
    const { store, library, notifier } = setup();
    notifier.catchUp(library.articles());
    store.subscribe({ id: 1, type: 'private', language: 'zh' }, null);
    notifier.catchUp([...library.articles(), chips]);
    expect(store.deliveriesFor(chips.id)).toHaveLength(1);
  });
});

describe('summarizeArticle', () => {
  it('draws one or two sentences from the lead', () => {
    const summary = summarizeArticle(chips);
    expect(summary).toBe('这是导语的第一段，介绍芯片出口管制的背景。');
  });

  it('falls back to the body when there is no lead, and stays short', () => {
    const noLead = { ...chips, sections: chips.sections.filter((s) => s.heading !== '导语') };
    const summary = summarizeArticle(noLead);
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.length).toBeLessThanOrEqual(150);
    expect(noLead.sections.some((s) => s.paragraphs.some((p) => p.includes(summary.slice(0, 10))))).toBe(true);
  });
});
