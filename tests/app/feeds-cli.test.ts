import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feedsFromOpml } from '../../src/feeds/opml.js';
import { tempDir } from '../notices/helpers.js';

describe('npm run feeds', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('imports an OPML file, lists the feeds, and exports them back (round trip)', () => {
    const t = tempDir('feeds-cli-');
    cleanup = t.cleanup;
    const env = { PATH: process.env['PATH'] ?? '', DATA_DIR: join(t.dir, 'data') };
    const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/feeds.ts', ...args], { env, encoding: 'utf8' });
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

    const usage = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/feeds.ts', 'import'], { env, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run feeds');
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/feeds.ts', 'remove', '9'], { env, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('no feed 9 (npm run feeds -- list shows the numbers)\n');
  });
});
