import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAnswer, formatContext } from '../../src/bot/format-answer.js';
import type { AnswerResult } from '../../src/answer/types.js';
import { parseTelegramHtml } from '../support/telegram-html.js';
import type { StubMessage } from '../support/telegram-stub.js';
import { startBotHarness } from './helpers.js';

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('<b>&</i>', '&amp;&lt;', '<a href="x">', '"\'<>&', '\u200b\u200d\u2060\ufeff', '\u0000\u0007\u001b[31m', '？！。，、；：', '...', '😀🇨🇳👩‍👩‍👧', '東芝醜聞', 'COCOM', ''),
  fc.string({ unit: fc.constantFrom('东', '芝', '<', '&', '>', '"', '😀', ' ', '\n', '\u200b', 'a'), minLength: 4000, maxLength: 5200 }),
  fc.string({ unit: fc.constantFrom('。', '！', '?', '…', '—', ' '), maxLength: 50 }),
);

describe('10,000 random and adversarial texts through the bot over HTTP', () => {
  it('never throws, and every reply is valid Telegram HTML within 4,096 characters', async () => {
    const h = await startBotHarness({ questionsPerMinute: 100_000 });
    try {
      const texts = fc.sample(nasty, { numRuns: 10_000, seed: 20261124 }).map((t) => (t.startsWith('/') ? ` ${t}` : t));
      // In order, in batches, as a busy bot would see them.
      for (let i = 0; i < texts.length; i++) h.stub.sendText(texts[i]!, { from: { id: 50_000 + (i % 997), first_name: 'F', language_code: i % 3 ? 'zh' : 'en' } });
      const sends = () => h.stub.callsOf('sendMessage');
      const deadline = Date.now() + 120_000;
      while (sends().length < texts.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const replies = sends();
      expect(replies).toHaveLength(texts.length);
      for (const call of replies) {
        expect((call.response as { ok: boolean; description?: string }).description).toBeUndefined();
        expect(parseTelegramHtml(String(call.params['text'])).text.length).toBeLessThanOrEqual(4096);
        const keyboard = (call.params['reply_markup'] as StubMessage['reply_markup'])?.inline_keyboard ?? [];
        for (const button of keyboard.flat()) expect(Buffer.byteLength(button.callback_data ?? '')).toBeLessThanOrEqual(64);
      }
    } finally {
      await h.close();
    }
  }, 180_000);
});

describe('the answer formatter with hostile corpus strings', () => {
  const result = fc.record({
    passageId: fc.constant('0123456789:1:2'),
    articleId: fc.constant('0123456789'),
    articleTitle: nasty,
    url: fc.oneof(fc.constant('https://example.com/?a=1&b=<2>'), fc.string()),
    heading: nasty,
    paragraph: fc.integer({ min: 1, max: 999 }),
    text: nasty,
    snippet: nasty,
    highlights: fc.constant([] as Array<[number, number]>),
    score: fc.double({ noNaN: true }),
  }) as fc.Arbitrary<AnswerResult>;

  it('always produces valid HTML within the limit', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 12 }), nasty, (results, query) => {
        const message = formatAnswer({ query, results, total: results.length + 5 }, { lang: 'zh', offset: 0, queryKey: 'AAAAAAAAAA', examples: ['东芝?'] });
        expect(parseTelegramHtml(message.html).text.length).toBeLessThanOrEqual(4096);
        const context = formatContext(
          {
            article: { id: 'a', file: 'a.md', title: query, url: 'https://e.com', source: undefined, date: undefined, sections: [], contentHash: '' },
            heading: query,
            sectionIndex: 0,
            paragraphs: results.map((r, i) => ({ paragraphIndex: i, text: r.text, isTarget: i === 0 })),
          },
          'en',
          { queryKey: 'AAAAAAAAAA', offset: 0 },
        );
        expect(parseTelegramHtml(context.html).text.length).toBeLessThanOrEqual(4096);
      }),
      { numRuns: 2000 },
    );
  });
});
