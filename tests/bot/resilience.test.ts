import { describe, expect, it } from 'vitest';
import { startBotHarness } from './helpers.js';

const USER = { id: 3001, first_name: 'R', language_code: 'zh' };

describe('the bot under Telegram errors', () => {
  it('starts even when setMyCommands fails', async () => {
    const h = await startBotHarness({}, (stub) => {
      stub.failNext('setMyCommands', { error_code: 500, description: 'Internal Server Error' }, { times: 2 });
    });
    try {
      h.stub.sendText('SMIC', { from: USER });
      const reply = await h.stub.waitForCall((c) => c.method === 'sendMessage' && (c.response as { ok: boolean }).ok);
      expect(String(reply.params['text'])).toContain('中芯国际');
    } finally {
      await h.close();
    }
  });

  it('keeps answering after an update fails', async () => {
    const h = await startBotHarness();
    try {
      h.stub.failNext('sendMessage', { error_code: 400, description: 'Bad Request: something odd' }, { chatId: USER.id });
      h.stub.sendText('SMIC', { from: USER });
      await h.stub.waitForCall((c) => c.method === 'sendMessage' && c.params['text'] === '抱歉，处理时出了点问题，请稍后再试。');
      const before = h.stub.calls.length;
      h.stub.sendText('COCOM', { from: USER });
      const reply = await h.stub.waitForCall((c) => c.method === 'sendMessage' && (c.response as { ok: boolean }).ok, { since: before });
      expect(String(reply.params['text'])).toContain('COCOM');
    } finally {
      await h.close();
    }
  });

  it('waits out a short 429 on a reply and sends it', async () => {
    const h = await startBotHarness();
    try {
      h.stub.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      h.stub.sendText('SMIC', { from: USER });
      const reply = await h.stub.waitForCall((c) => c.method === 'sendMessage' && (c.response as { ok: boolean }).ok);
      const refused = h.stub.callsOf('sendMessage')[0]!;
      expect(reply.at - refused.at).toBeGreaterThanOrEqual(1000);
      expect(String(reply.params['text'])).toContain('中芯国际');
    } finally {
      await h.close();
    }
  });

  it('handles a redelivered update only once', async () => {
    const h = await startBotHarness();
    try {
      const update = h.stub.sendText('SMIC', { from: USER });
      await h.stub.waitForCall((c) => c.method === 'sendMessage');
      h.stub.pushUpdate({ ...update, update_id: update['update_id'] });
      h.stub.sendText('COCOM', { from: USER });
      await h.stub.waitForCall((c) => c.method === 'sendMessage' && String(c.params['text']).includes('COCOM') && !String(c.params['text']).includes('中芯国际'));
      expect(h.stub.callsOf('sendMessage')).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});
