import 'dotenv/config';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../config.js';
import { createFeedStore, type FeedRecord } from '../feeds/feed-store.js';
import { feedsFromOpml, feedsToOpml, OpmlError } from '../feeds/opml.js';
import { openStore } from '../notices/store.js';

const USAGE = `usage: npm run feeds -- list
       npm run feeds -- import FILE.opml     add every feed of an OPML file
       npm run feeds -- export FILE.opml     write the feeds as OPML ('-' for standard output)
       npm run feeds -- add URL
       npm run feeds -- remove N             (N as in list; its articles stay)
A running bot picks changes up within a minute.
`;

function describe(feed: FeedRecord): string {
  const health = feed.failures > 0 ? `failing ×${feed.failures}: ${feed.lastError ?? ''}` : feed.firstReadAt ? 'ok' : 'not read yet';
  const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : 'never');
  return [
    `#${feed.id}  ${feed.title ?? '(no title yet)'}  [${health}]`,
    `    ${feed.url}`,
    `    ${feed.items} articles · last read ${when(feed.lastOkAt)} · next read ${feed.nextPollAt > Date.now() ? when(new Date(feed.nextPollAt).toISOString()) : 'at once'}`,
  ].join('\n');
}

interface Io {
  env: Record<string, string | undefined>;
  stdout: Pick<NodeJS.WritableStream, 'write'>;
  stderr: Pick<NodeJS.WritableStream, 'write'>;
}

/**
 * `npm run feeds -- list | import FILE | export FILE | add URL | remove N`: the bot's feeds, in
 * its database (DATA_DIR/bot.db), without the bot. The first read of an added feed is done by
 * the bot, and noticed to nobody. Returns the exit code.
 */
export function runFeedsCli(args: string[], io: Io = { env: process.env, stdout: process.stdout, stderr: process.stderr }): number {
  const [command, argument] = args.filter((a) => a !== '--');
  let config;
  try {
    config = parseConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 78;
    }
    throw error;
  }
  if (!command || !['list', 'import', 'export', 'add', 'remove'].includes(command) || (command !== 'list' && !argument)) {
    io.stderr.write(USAGE);
    return 2;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const notices = openStore(join(config.dataDir, 'bot.db'));
  const store = createFeedStore(notices.db);
  try {
    switch (command) {
      case 'list': {
        const feeds = store.list();
        io.stdout.write(feeds.length ? `${feeds.map(describe).join('\n')}\n` : 'no feeds (FEEDS in .env, /addfeed in the bot, or npm run feeds -- import FILE)\n');
        break;
      }
      case 'import': {
        const { feeds, skipped } = feedsFromOpml(readFileSync(argument!, 'utf8'));
        const counts = { added: 0, restored: 0, exists: 0 };
        for (const feed of feeds) counts[store.add(feed.url, 'opml', feed.title).status]++;
        io.stdout.write(`${argument}: ${feeds.length} feeds; ${counts.added} added, ${counts.restored} restored, ${counts.exists} already there\n`);
        for (const entry of skipped) io.stdout.write(`skipped (not an http(s) URL): ${entry}\n`);
        break;
      }
      case 'export': {
        const opml = feedsToOpml(store.list().map((f) => ({ url: f.url, title: f.title ?? undefined, siteUrl: f.siteUrl ?? undefined })));
        if (argument === '-') io.stdout.write(opml);
        else {
          writeFileSync(argument!, opml);
          io.stdout.write(`${argument}: ${store.list().length} feeds written\n`);
        }
        break;
      }
      case 'add': {
        if (!/^https?:\/\/\S+$/i.test(argument!)) throw new Error(`not an http(s) URL: ${argument}`);
        const { feed, status } = store.add(argument!, 'admin');
        io.stdout.write(`#${feed.id} ${feed.url}: ${status === 'exists' ? 'already there' : status}\n`);
        break;
      }
      case 'remove': {
        const removed = /^#?\d+$/.test(argument!) ? store.remove(Number(argument!.replace('#', ''))) : undefined;
        if (!removed) throw new Error(`no feed ${argument} (npm run feeds -- list shows the numbers)`);
        io.stdout.write(`removed #${removed.id} ${removed.url}; its articles stay\n`);
        break;
      }
    }
  } catch (error) {
    const message = error instanceof OpmlError || error instanceof Error ? error.message : String(error);
    io.stderr.write(`${message}\n`);
    return 1;
  } finally {
    notices.close();
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = runFeedsCli(process.argv.slice(2));
