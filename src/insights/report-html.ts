import { escapeHtml, linkHtml, truncate } from '../format/html.js';
import type { PassageVotes, QuestionSummary } from './question-summary.js';

export type ReportLang = 'zh' | 'en';

const TEXT = {
  zh: {
    title: '读者在问什么',
    period: (from: string, to: string, days: number) => `${from} 至 ${to}（${days} 天，UTC 日期）`,
    generated: (at: string) => `生成于 ${at}`,
    questions: '问题',
    answered: '已回答',
    notFound: '没找到',
    votes: '评价：👍 有用 · 👎 没用',
    chats: (byType: string) => `来自 ${byType}`,
    chatType: (type: string) => ({ private: '私聊', group: '群组', supergroup: '群组' })[type] ?? type,
    perDay: '每天的问题',
    chartLabel: (days: number) => `每天的问题数，共 ${days} 天：已回答与没找到`,
    dayTitle: (day: string, asked: number, answered: number) => `${day}：${asked} 个问题，已回答 ${answered}，没找到 ${asked - answered}`,
    topNotFound: '没找到答案的问题',
    topNotFoundNote: '同样的意思（规范化后相同的关键词）算作一个问题；这是值得写的文章清单。',
    count: '次数',
    example: '问法示例',
    phrasings: '问法',
    absent: '文章中没有的词',
    mostDown: '👎 最多的回答（读者觉得没用）',
    mostUp: '👍 最多的回答（读者觉得有用）',
    up: '👍 有用',
    down: '👎 没用',
    votesNote: '一个评价计入该回答给出的每个段落。',
    passage: '段落（链接到文章）',
    exampleQuestion: '提问示例',
    paragraph: (n: number) => `第${n}段`,
    none: '没有',
    noQuestions: '这段时间没有提问。',
  },
  en: {
    title: 'What readers ask',
    period: (from: string, to: string, days: number) => `${from} to ${to} (${days} days, UTC dates)`,
    generated: (at: string) => `Generated ${at}`,
    questions: 'Questions',
    answered: 'Answered',
    notFound: 'Not found',
    votes: 'Votes: 👍 helpful · 👎 not helpful',
    chats: (byType: string) => `from ${byType}`,
    chatType: (type: string) => ({ private: 'private chats', group: 'groups', supergroup: 'groups' })[type] ?? type,
    perDay: 'Questions per day',
    chartLabel: (days: number) => `Questions per day over ${days} days: answered and not found`,
    dayTitle: (day: string, asked: number, answered: number) => `${day}: ${asked} questions, ${answered} answered, ${asked - answered} not found`,
    topNotFound: 'Questions the archive does not answer',
    topNotFoundNote: 'Questions with the same meaning (the same key words once normalised) count as one: a list of articles worth writing.',
    count: 'Asked',
    example: 'Example',
    phrasings: 'Wordings',
    absent: 'Words no article has',
    mostDown: 'Answers with most 👎 (not helpful)',
    mostUp: 'Answers with most 👍 (helpful)',
    up: '👍 helpful',
    down: '👎 not helpful',
    votesNote: 'A vote counts for every passage its answer showed.',
    passage: 'Passage (linked to its article)',
    exampleQuestion: 'Example question',
    paragraph: (n: number) => `¶${n}`,
    none: 'None',
    noQuestions: 'No questions in this period.',
  },
};

type Text = (typeof TEXT)['zh'];

const STYLE = `
:root { --ink: #1d2327; --muted: #5f6b73; --line: #dde3e7; --answered: #2f7d5b; --not-found: #d9822b; --bg: #f6f8f9; }
* { box-sizing: border-box; }
body { margin: 0; padding: 32px; background: var(--bg); color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; }
main { max-width: 1040px; margin: 0 auto; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 32px 0 8px; font-size: 19px; }
.meta, .note { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0 8px; }
.card { flex: 1 1 150px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 26px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 13px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .answered { fill: var(--answered); }
svg .not-found { fill: var(--not-found); }
.legend { display: flex; gap: 16px; font-size: 13px; color: var(--muted); margin-top: 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 6px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef2f4; font-weight: 600; font-size: 13px; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:last-child td { border-bottom: none; }
a { color: #1f5f99; }
.words span { display: inline-block; background: #fbeee0; border-radius: 4px; padding: 0 6px; margin: 0 4px 2px 0; }
.empty { color: var(--muted); }
@media print { body { background: #fff; padding: 0; } }
`;

/** The axis: a step of 1, 2 or 5 times a power of ten, and the multiple of it at or above `max`. */
function axisFor(max: number): { step: number; top: number } {
  const rough = Math.max(1, max) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((v) => v >= rough) ?? rough;
  return { step: Math.max(1, step), top: Math.max(1, Math.ceil(max / Math.max(1, step))) * Math.max(1, step) };
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** Questions per day as stacked bars (answered, then not found on top): one `g.day` per day. */
function chartSvg(summary: QuestionSummary, t: Text): string {
  const width = 960;
  const height = 260;
  const left = 40;
  const right = 8;
  const top = 12;
  const bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, summary.days.length);
  const { step, top: max } = axisFor(Math.max(0, ...summary.days.map((d) => d.asked)));
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.72);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  for (let v = 0; v <= max; v += step) {
    parts.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v)}</text>`);
  }
  const labelEvery = Math.ceil(n / 12);
  summary.days.forEach((d, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const answeredH = (d.answered / max) * plotH;
    const notFoundH = ((d.asked - d.answered) / max) * plotH;
    const base = top + plotH;
    parts.push(
      `<g class="day" data-day="${escapeHtml(d.day)}" data-asked="${d.asked}" data-answered="${d.answered}">` +
        `<title>${escapeHtml(t.dayTitle(d.day, d.asked, d.answered))}</title>` +
        `<rect class="answered" x="${fmt(x)}" y="${fmt(base - answeredH)}" width="${fmt(barW)}" height="${fmt(answeredH)}"/>` +
        `<rect class="not-found" x="${fmt(x)}" y="${fmt(base - answeredH - notFoundH)}" width="${fmt(barW)}" height="${fmt(notFoundH)}"/>` +
        `</g>`,
    );
    if (i % labelEvery === 0 || i === n - 1) {
      parts.push(`<text x="${fmt(left + i * slot + slot / 2)}" y="${height - 10}" text-anchor="middle">${escapeHtml(d.day.slice(5))}</text>`);
    }
  });
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(t.chartLabel(n))}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function passageCell(p: PassageVotes, t: Text): string {
  return `${linkHtml(p.articleTitle, p.url, 80)} › ${escapeHtml(truncate(p.heading, 40))} · ${escapeHtml(t.paragraph(p.paragraph))}`;
}

function votesTable(rows: PassageVotes[], t: Text): string {
  if (!rows.length) return `<p class="empty">${escapeHtml(t.none)}</p>`;
  const body = rows
    .map((p, i) => `<tr><td class="n">${i + 1}</td><td class="n">${p.up}</td><td class="n">${p.down}</td><td>${passageCell(p, t)}</td><td>${escapeHtml(truncate(p.example, 200))}</td></tr>`)
    .join('\n');
  return `<table><thead><tr><th>#</th><th>${escapeHtml(t.up)}</th><th>${escapeHtml(t.down)}</th><th>${escapeHtml(t.passage)}</th><th>${escapeHtml(t.exampleQuestion)}</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The editor's report as one self-contained HTML page: inline CSS, an inline SVG chart, no
 * scripts, fonts or images, and a Content-Security-Policy that forbids loading anything, so
 * it opens the same offline. Every piece of text from the log is escaped.
 */
export function renderReport(summary: QuestionSummary, options: { lang?: ReportLang; generatedAt?: Date } = {}): string {
  const lang = options.lang ?? 'zh';
  const t = TEXT[lang];
  const generatedAt = (options.generatedAt ?? new Date()).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const notFound = summary.asked - summary.answered;
  const share = (n: number) => (summary.asked ? `${Math.round((n / summary.asked) * 100)}%` : '—');
  const byType = new Map<string, number>();
  for (const [type, n] of Object.entries(summary.byChatType)) byType.set(t.chatType(type), (byType.get(t.chatType(type)) ?? 0) + n);
  const chats = [...byType].map(([label, n]) => `${n} ${label}`).join(lang === 'zh' ? '、' : ', ');
  const card = (value: string, label: string) => `<div class="card"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;

  const notFoundRows = summary.notFound
    .map(
      (g, i) =>
        `<tr><td class="n">${i + 1}</td><td class="n">${g.count}</td><td>${escapeHtml(truncate(g.example, 200))}</td><td class="n">${g.phrasings}</td>` +
        `<td class="words">${g.absent.map((w) => `<span>${escapeHtml(truncate(w, 30))}</span>`).join('')}</td></tr>`,
    )
    .join('\n');

  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${t.title} · ${summary.from} – ${summary.to}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(t.period(summary.from, summary.to, summary.days.length))} · ${escapeHtml(t.generated(generatedAt))}</p>
<div class="cards">
${card(String(summary.asked), chats ? `${t.questions} · ${t.chats(chats)}` : t.questions)}
${card(`${summary.answered} · ${share(summary.answered)}`, t.answered)}
${card(`${notFound} · ${share(notFound)}`, t.notFound)}
${card(`${summary.votes.up} · ${summary.votes.down}`, t.votes)}
</div>
<h2>${escapeHtml(t.perDay)}</h2>
<div class="panel">
${summary.asked ? '' : `<p class="empty">${escapeHtml(t.noQuestions)}</p>`}
${chartSvg(summary, t)}
<div class="legend"><span><span class="swatch" style="background:var(--answered)"></span>${escapeHtml(t.answered)}</span><span><span class="swatch" style="background:var(--not-found)"></span>${escapeHtml(t.notFound)}</span></div>
</div>
<h2>${escapeHtml(t.topNotFound)}</h2>
<p class="note">${escapeHtml(t.topNotFoundNote)}</p>
${
  summary.notFound.length
    ? `<table><thead><tr><th>#</th><th>${escapeHtml(t.count)}</th><th>${escapeHtml(t.example)}</th><th>${escapeHtml(t.phrasings)}</th><th>${escapeHtml(t.absent)}</th></tr></thead><tbody>\n${notFoundRows}\n</tbody></table>`
    : `<p class="empty">${escapeHtml(t.none)}</p>`
}
<h2>${escapeHtml(t.mostUp)}</h2>
${votesTable(summary.mostUp, t)}
<h2>${escapeHtml(t.mostDown)}</h2>
<p class="note">${escapeHtml(t.votesNote)}</p>
${votesTable(summary.mostDown, t)}
</main>
</body>
</html>
`;
}
