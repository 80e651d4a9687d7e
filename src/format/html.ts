/** Escapes text for Telegram's HTML parse mode (it knows only &lt; &gt; &amp; &quot;). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair, adding … when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…`;
}

/** Highlighted ranges → HTML with <b>, everything escaped. */
export function highlightHtml(text: string, highlights: ReadonlyArray<readonly [number, number]>): string {
  let html = '';
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > text.length) continue;
    html += `${escapeHtml(text.slice(at, start))}<b>${escapeHtml(text.slice(start, end))}</b>`;
    at = end;
  }
  return html + escapeHtml(text.slice(at));
}

/** `text` (escaped, cut to `max`) linked to `url`, or plain when the URL is not http(s). */
export function linkHtml(text: string, url: string, max = Infinity): string {
  const label = escapeHtml(truncate(text, max));
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${label}</a>` : label;
}
