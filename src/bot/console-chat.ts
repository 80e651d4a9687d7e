import { createInterface } from 'node:readline';
import { formatAnswerText } from '../answer/format-text.js';
import type { Library } from '../library-types.js';

/**
 * A chat in the terminal over the same answer pipeline, for running without a Telegram
 * token: type a question, "更多"/"more" for the next page, /articles, /help, /quit.
 */
export async function runConsoleChat(options: { library: Library; input: NodeJS.ReadableStream; output: NodeJS.WritableStream; prompt?: boolean }): Promise<void> {
  const { library, output } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const examples = library.exampleQuestions(3);
  write(`可以提问了（${library.articles().length} 篇文章）。例如：`);
  for (const q of examples) write(`  · ${q}`);
  write('输入 更多 看下一页，/articles 看文章列表，/quit 退出。\n');

  const lines = createInterface({ input: options.input, terminal: false });
  let last: { query: string; offset: number } | undefined;
  const showPrompt = () => {
    if (options.prompt) output.write('> ');
  };
  showPrompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      showPrompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (line === '/help') {
      write('直接输入问题。更多：下一页。/articles：文章列表。/quit：退出。');
    } else if (line === '/articles') {
      for (const a of library.articles()) write(`· ${a.date ?? ''} 《${a.title}》 ${a.url}`);
    } else if ((line === '更多' || line.toLowerCase() === 'more') && last) {
      last = { query: last.query, offset: last.offset + 3 };
      const answer = library.answer(last.query, { offset: last.offset });
      write(answer.results.length ? formatAnswerText(answer) : '没有更多结果了。');
    } else {
      last = { query: line, offset: 0 };
      write(formatAnswerText(library.answer(line), examples));
    }
    write('');
    showPrompt();
  }
}
