import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedsCli } from '../../src/cli/feeds.js';
import { feedsFromOpml } from '../../src/feeds/opml.js';
import { tempDir } from '../notices/helpers.js';

describe('npm run feeds', () => {
  // The script's own process is exercised by hand (README); its logic runs here in-process.
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('imports an OPML file, lists the feeds, and exports them back (round trip)', () => {
    const t = tempDir('feeds-cli-');
    cleanup = t.cleanup;
    const env = { DATA_DIR: join(t.dir, 'data') };
    const cli = (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const status = runFeedsCli(args, { env, stdout: { write: (s: string) => ((stdout += s), true) }, stderr: { write: (s: string) => ((stderr += s), true) } });
      return { status, stdout, stderr };
    };
    const run = (...args: string[]) => {
      const result = cli(...args);
      if (result.status !== 0) throw new Error(result.stderr);
      return result.stdout;
    };
    const source = join(t.dir, 'in.opml');
    writeFileSync(
      source,
      `<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
        <outline text="安全"><outline text="看雪学苑" type="rss" xmlUrl="https://rsshub.example/wechat/ce/5b6871ddaf33fe067f22c5cf" htmlUrl="https://mp.weixin.qq.com/"/></outline>
        <outline text="安全札记" xmlUrl="https://blog.example/feed.xml"/><outline text="坏的" xmlUrl="javascript:alert(1)"/></body></opml>`,
    );
    expect(run('import', source)).toBe(`${source}: 2 feeds; 2 added, 0 restored, 0 already there\nskipped (not an http(s) URL): javascript:alert(1)\n`);
    expect(run('import', source)).toContain('0 added, 0 restored, 2 already there');
    const list = run('list');
    expect(list).toContain('#1  看雪学苑  [not read yet]\n    https://rsshub.example/wechat/ce/5b6871ddaf33fe067f22c5cf');
    expect(list).toContain('#2  安全札记  [not read yet]');
    const exported = join(t.dir, 'out.opml');
    expect(run('export', exported)).toBe(`${exported}: 2 feeds written\n`);
    expect(feedsFromOpml(readFileSync(exported, 'utf8')).feeds.map((f) => [f.title, f.url])).toEqual(feedsFromOpml(readFileSync(source, 'utf8')).feeds.map((f) => [f.title, f.url]));

    expect(cli('import')).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: npm run feeds') });
    expect(cli('remove', '9')).toEqual({ status: 1, stdout: '', stderr: 'no feed 9 (npm run feeds -- list shows the numbers)\n' });
    expect(cli('import', join(t.dir, 'missing.opml'))).toMatchObject({ status: 1, stderr: expect.stringContaining('ENOENT') });
  });
});
