import { truncate } from '../format/html.js';
import type { QuestionSummary } from '../insights/question-summary.js';
import { MESSAGES, type Lang } from './messages.js';

const BAR_WIDTH = 10;
const MAX_QUESTION = 60;
const MAX_TITLE = 36;
const MAX_HEADING = 24;
const MAX_ABSENT = 4;

/** A bar of full blocks, at least one for any question at all. */
function bar(value: number, max: number): string {
  if (!value || !max) return '';
  return '█'.repeat(Math.max(1, Math.round((value / max) * BAR_WIDTH)));
}

/**
 * The question log's part of /stats, as plain text of at most `maxChars` characters:
 * questions per day with a bar each, the share answered, the commonest not-found
 * questions and the passages with most 👎. Lists lose their last lines first when the
 * whole would not fit.
 */
export function formatQuestionStats(summary: QuestionSummary, lang: Lang, maxChars: number): string {
  const m = MESSAGES[lang];
  const head = [m.questionStatsTitle(summary.days.length)];
  if (!summary.asked) return truncate([...head, m.questionStatsNone].join('\n'), maxChars);
  head.push(m.questionStatsTotals(summary.asked, summary.answered, summary.votes.up, summary.votes.down));
  const busiest = Math.max(...summary.days.map((d) => d.asked));
  for (const d of summary.days) head.push([d.day.slice(5), bar(d.asked, busiest), m.questionStatsDay(d.asked, d.answered)].filter(Boolean).join(' '));

  const notFound = summary.notFound.map((t, i) => {
    const line = `${i + 1}. ×${t.count} ${truncate(t.example.replace(/\s+/g, ' '), MAX_QUESTION)}${m.questionStatsPhrasings(t.phrasings)}`;
    const absent = t.absent.slice(0, MAX_ABSENT).map((w) => truncate(w, 20));
    return absent.length ? `${line}\n   ${m.questionStatsAbsent(absent)}` : line;
  });
  const disliked = summary.mostDown.map(
    (p, i) => `${i + 1}. 👎${p.down} 👍${p.up} 《${truncate(p.articleTitle, MAX_TITLE)}》 › ${truncate(p.heading, MAX_HEADING)} · ${m.paragraph(p.paragraph)}`,
  );

  // Drop list lines from the end until the message fits (they are ranked: the last matter least).
  for (;;) {
    const sections = [head.join('\n')];
    if (notFound.length) sections.push([m.questionStatsNotFound, ...notFound].join('\n'));
    if (disliked.length) sections.push([m.questionStatsMostDown, ...disliked].join('\n'));
    const text = sections.join('\n\n');
    if (text.length <= maxChars || (!notFound.length && !disliked.length)) return truncate(text, maxChars);
    if (disliked.length >= notFound.length) disliked.pop();
    else notFound.pop();
  }
}
