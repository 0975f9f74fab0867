import { describePermissions, type PermissionLevel } from '../core/github-permissions.js';
import { escapeHtml } from '../http/log-page-html.js';
import { type EnvAssignments, formatEnvLine } from './env-file.js';
import type { CallbackResult, FinishedApp, RegisterForm, SetupPage } from './register-app.js';

const STYLE = `
  body { margin: 0 auto; max-width: 46rem; padding: 24px 16px; font: 15px/1.5 system-ui, sans-serif; color: #1f2328; }
  h1 { font-size: 1.4rem; }
  code, pre { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  pre { background: #f6f8fa; padding: 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
  .warning { background: #fff8c5; padding: 8px 12px; border-radius: 6px; }
  button { font-size: 1rem; padding: 8px 16px; background: #1f883d; color: #fff; border: 0; border-radius: 6px; }
  label { display: block; margin: 8px 0; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function askCode(wrong: boolean): string {
  return layout(
    'Register deploybot as a GitHub App',
    `${wrong ? '<p class="warning">That is not the code <code>npm run setup</code> printed.</p>' : ''}
<form method="get" action="/setup/github">
<label>The one-time code <code>npm run setup</code> printed: <input name="code" autocomplete="off" required></label>
<button type="submit">Open</button>
</form>`,
  );
}

function registerForm(form: RegisterForm): string {
  const { manifest } = form;
  const permissions = Object.entries(manifest.default_permissions).map(([name, needed]) => ({
    name,
    needed: needed as PermissionLevel,
  }));
  const warnings = form.warnings.map((warning) => `<p class="warning">${escapeHtml(warning)}</p>`).join('\n');
  return layout(
    'Register deploybot as a GitHub App',
    `${warnings}
<p>GitHub will create the App <strong>${escapeHtml(manifest.name)}</strong> on ${
      form.organization === undefined
        ? 'your own account'
        : `the organization <strong>${escapeHtml(form.organization)}</strong>`
    }, private to it, with:</p>
<ul>
<li>webhooks to <code>${escapeHtml(manifest.hook_attributes.url)}</code>: ${escapeHtml(manifest.default_events.join(', '))}</li>
<li>permissions: ${escapeHtml(describePermissions(permissions))}</li>
</ul>
<form method="post" action="${escapeHtml(form.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}">
<button type="submit">Create GitHub App</button>
</form>
<h2>Another name or owner</h2>
<form method="get" action="/setup/github">
<input type="hidden" name="code" value="${escapeHtml(form.oneTimeCode)}">
<label>App name (unique on GitHub): <input name="name" value="${escapeHtml(form.name)}"></label>
<label>Organization (empty: your own account): <input name="organization" value="${escapeHtml(form.organization ?? '')}"></label>
<button type="submit">Change</button>
</form>`,
  );
}

function settingsBlock(settings: EnvAssignments): string {
  const lines = Object.entries(settings).map(([name, value]) => formatEnvLine(name, value));
  return `<p>Set these settings where deploybot reads its environment. They are shown this once and kept nowhere else:</p>
<pre>${escapeHtml(lines.join('\n'))}</pre>`;
}

/** The page of `GET /setup/github`. */
export function renderSetupPage(page: SetupPage): { status: number; html: string } {
  switch (page.kind) {
    case 'ask-code':
      return { status: page.wrong ? 403 : 401, html: askCode(page.wrong) };
    case 'register':
      return { status: 200, html: registerForm(page) };
    case 'finished':
      return { status: 410, html: finished(page.app) };
  }
}

function finished(app: FinishedApp): string {
  return layout(
    'deploybot is registered',
    `<p>This setup registered <a href="${escapeHtml(app.pageUrl)}">${escapeHtml(app.name)}</a> and is done. Run <code>npm run setup</code> again to register another App.</p>`,
  );
}

/** The page of `GET /setup/github/callback`, where GitHub sends the browser back. */
export function renderCallbackPage(result: CallbackResult): { status: number; html: string } {
  switch (result.kind) {
    case 'refused':
      return {
        status: 403,
        html: layout(
          'Not from this setup',
          '<p>This link does not belong to the running <code>npm run setup</code>. Start from <a href="/setup/github">its page</a>.</p>',
        ),
      };
    case 'finished':
      return { status: 410, html: finished(result.app) };
    case 'failed':
      return {
        status: 502,
        html: layout(
          'GitHub did not hand over the App',
          `<p>${escapeHtml(result.error.message)}</p>
<p>GitHub's code is good for one hour, once. <a href="/setup/github">Register again</a>.</p>`,
        ),
      };
    case 'registered': {
      const saved =
        result.savedTo === undefined
          ? ''
          : `<p>GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_WEBHOOK_SECRET are written to <code>${escapeHtml(result.savedTo)}</code>.</p>`;
      const failed =
        result.saveFailure === undefined
          ? ''
          : `<p class="warning">They could not be written where you asked: ${escapeHtml(result.saveFailure)}</p>`;
      const secret = result.webhookSecretToSet
        ? `<p class="warning">GitHub made the App without a webhook secret: set GITHUB_WEBHOOK_SECRET below as its secret too (App settings → Webhook secret).</p>`
        : '';
      return {
        status: 200,
        html: layout(
          `${result.app.name} is registered`,
          `${saved}${failed}${result.settings ? settingsBlock(result.settings) : ''}${secret}
<ol>
<li><a href="${escapeHtml(result.installUrl)}">Install the App</a> on each account whose repositories deploybot.yml names, with access to those repositories.</li>
<li>Start deploybot with these settings (<code>npm start</code>) and check it with <code>npm run check</code>.</li>
</ol>`,
        ),
      };
    }
  }
}
