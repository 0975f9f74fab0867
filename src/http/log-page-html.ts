import type { DeployLogChunk } from '../core/ports/deploy-log-store.js';

/** What the log page shows about a deployment; every string here is untrusted and escaped. */
export interface LogPageView {
  readonly deploymentId: number;
  readonly repository: string;
  readonly ref: string;
  readonly sha: string;
  readonly environment: string;
  readonly task: string;
  readonly user: string;
  readonly state: 'queued' | 'running' | 'success' | 'failure' | 'error';
  readonly description: string;
  readonly enqueuedAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly now: number;
  /** The deploy ended; for the page, also that it holds the whole log, so its script fetches nothing. */
  readonly final: boolean;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
  header { padding: 12px 16px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
  h1 { font-size: 1.1rem; margin: 0 0 8px; overflow-wrap: anywhere; }
  dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0; }
  dt { color: #59636e; }
  dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
  .state { font-weight: 600; padding: 0 8px; border-radius: 999px; background: #eaeef2; }
  .state-running { background: #fff8c5; color: #7d4e00; }
  .state-success { background: #dafbe1; color: #116329; }
  .state-failure, .state-error { background: #ffebe9; color: #a40e26; }
  #log { margin: 0; padding: 12px 16px; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; color: #1f2328; background: #fff; }
`;

// Runs in the browser. Log text is added as text nodes, never as HTML.
const SCRIPT = `
(() => {
  const log = document.getElementById('log');
  const byId = (id) => document.getElementById(id);
  const url = location.pathname.replace(/\\/+$/, '') + '/log.json';
  let after = Number(log.dataset.after);
  const time = (ms) => ms == null ? '\\u2014' : new Date(ms).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, ' UTC');
  const elapsed = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    return m < 60 ? m + 'm ' + (s % 60) + 's' : Math.floor(m / 60) + 'h ' + (m % 60) + 'm';
  };
  const show = (d) => {
    const state = byId('state');
    state.textContent = d.state;
    state.className = 'state state-' + d.state;
    byId('description').textContent = d.description;
    byId('started').textContent = time(d.startedAt);
    byId('finished').textContent = time(d.finishedAt);
    if (d.startedAt != null) byId('duration').textContent = elapsed((d.finishedAt ?? d.now) - d.startedAt);
    document.body.dataset.state = d.state;
  };
  const poll = async () => {
    let wait = 1000;
    try {
      const response = await fetch(url + '?after=' + after, { cache: 'no-store' });
      if (response.ok) {
        const d = await response.json();
        const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
        for (const chunk of d.chunks) { log.append(chunk.text); after = chunk.seq; }
        log.dataset.after = String(after);
        if (atBottom && d.chunks.length > 0) window.scrollTo(0, document.body.scrollHeight);
        show(d);
        if (d.more) wait = 0;
        else if (d.final) return;
      } else if (response.status === 401) {
        // The sign-in session ended while watching: reloading sends the reader to Slack and back.
        location.reload();
        return;
      }
    } catch {}
    setTimeout(poll, wait);
  };
  if (log.dataset.final !== 'true') poll();
})();
`;

export function renderLogPage(view: LogPageView, chunks: readonly DeployLogChunk[], nonce: string): string {
  const e = escapeHtml;
  const after = chunks.at(-1)?.seq ?? 0;
  const duration =
    view.startedAt === undefined ? '—' : formatElapsed((view.finishedAt ?? view.now) - view.startedAt);
  const row = (label: string, value: string, id?: string) =>
    `<dt>${label}</dt><dd${id ? ` id="${id}"` : ''}>${value}</dd>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${e(view.repository)} to ${e(view.environment)}: deployment ${view.deploymentId} · deploybot</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-state="${view.state}">
<header>
<h1>${e(view.repository)} → ${e(view.environment)}</h1>
<dl>
${row('State', `<span id="state" class="state state-${view.state}">${view.state}</span> <span id="description">${e(view.description)}</span>`)}
${row('Deployment', String(view.deploymentId))}
${row('Repository', e(view.repository), 'repository')}
${row('Ref', `<code>${e(view.ref)}</code>`, 'ref')}
${row('Commit', `<code>${e(view.sha)}</code>`, 'sha')}
${row('Environment', e(view.environment), 'environment')}
${row('Task', e(view.task))}
${row('Deployed by', e(view.user), 'user')}
${row('Queued', formatTime(view.enqueuedAt))}
${row('Started', formatTime(view.startedAt), 'started')}
${row('Finished', formatTime(view.finishedAt), 'finished')}
${row('Duration', duration, 'duration')}
</dl>
</header>
<main>
<pre id="log" data-after="${after}" data-final="${view.final}">${chunks.map((c) => e(c.text)).join('')}</pre>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

export function renderNotFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · deploybot</title></head>
<body><p>There is no deployment log at this address.</p></body></html>
`;
}
