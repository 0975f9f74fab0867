// The playground's page: polls /playground/api/state and draws Slack (left) and GitHub (right).
// Plain browser JavaScript, no build step: the server sends this file as it is.

import { drawBlocks, escapeHtml, mrkdwn } from './slack-blocks.js';

const POLL_MS = 600;
const api = (path) => `/playground/api/${path}`;

const view = {
  me: new URLSearchParams(location.search).get('user') ?? '',
  channel: '',
  repo: '',
  state: undefined,
  drawn: '',
};

const $ = (id) => document.getElementById(id);

function channelName(id) {
  return view.state?.channels.includes(id) ? id.toLowerCase() : id;
}

function personName(id) {
  if (id === view.state?.bot) return 'deploybot';
  return view.state?.people.find((person) => person.id === id)?.name ?? id;
}

// What Slack shows for member and channel IDs.
const names = { person: personName, channel: channelName };

function drawItem(item, replies) {
  const name = item.fromBot ? 'deploybot' : personName(item.user);
  const meta = [
    item.fromBot ? 'APP' : '',
    item.visibleTo ? 'Only visible to you' : '',
    item.edited ? '(edited)' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const body = item.blocks.length > 0 ? drawBlocks(item, names) : mrkdwn(item.text, names);
  const thread =
    replies.length > 0
      ? `<ol class="thread">${replies.map((reply) => drawItem(reply, [])).join('')}</ol>`
      : '';
  const classes = ['message', item.fromBot ? 'bot' : '', item.visibleTo ? 'ephemeral' : ''].join(' ');
  return `<li class="${classes}" data-key="${escapeHtml(item.key)}"><div class="avatar">${escapeHtml(
    name.slice(0, 1).toUpperCase(),
  )}</div><div><div class="who">${escapeHtml(name)}<span class="meta">${escapeHtml(meta)}</span></div><div class="body">${body}</div>${thread}</div></li>`;
}

function drawSlack(state) {
  $('me').innerHTML = state.people
    .map(
      (person) =>
        `<option value="${escapeHtml(person.id)}">${escapeHtml(person.name)} (${escapeHtml(person.id)})</option>`,
    )
    .join('');
  $('me').value = state.me;
  $('channels').innerHTML = state.channels
    .map(
      (channel) =>
        `<li><button type="button" data-channel="${escapeHtml(channel)}" class="${channel === view.channel ? 'active' : ''}"># ${escapeHtml(
          channel.toLowerCase(),
        )}</button></li>`,
    )
    .join('');
  $('channel-name').textContent = `# ${view.channel.toLowerCase()}`;
  const inChannel = state.items.filter((item) => item.channel === view.channel);
  const byThread = new Map();
  for (const item of inChannel) {
    if (!item.threadTs) continue;
    byThread.set(item.threadTs, [...(byThread.get(item.threadTs) ?? []), item]);
  }
  const topLevel = inChannel.filter(
    (item) =>
      !item.threadTs || !inChannel.some((parent) => parent.key === `m:${item.channel}:${item.threadTs}`),
  );
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.innerHTML = topLevel
    .map((item) => drawItem(item, byThread.get(item.key.split(':')[2]) ?? []))
    .join('');
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function drawGitHub(state) {
  const github = state.github;
  $('repo').innerHTML = github.repos.map((repo) => `<option>${escapeHtml(repo)}</option>`).join('');
  $('repo').value = view.repo;
  const base = $('pull-base').value;
  $('pull-base').innerHTML = github.branches
    .map((branch) => `<option>${escapeHtml(branch)}</option>`)
    .join('');
  if (base) $('pull-base').value = base;
  const environment = $('deployment-environment').value;
  $('deployment-environment').innerHTML = (github.environments[view.repo] ?? [])
    .map((name) => `<option>${escapeHtml(name)}</option>`)
    .join('');
  if (environment) $('deployment-environment').value = environment;

  const pulls = github.pulls.filter((pull) => pull.repo === view.repo).reverse();
  $('pulls').innerHTML =
    pulls
      .map(
        (pull) =>
          `<li class="pull" data-number="${pull.number}"><span class="grow">#${pull.number} ${escapeHtml(pull.title)} <span class="sha">by ${escapeHtml(
            pull.author,
          )} into ${escapeHtml(pull.base)}</span></span>${
            pull.state === 'open'
              ? `<button type="button" class="primary merge" data-number="${pull.number}">Merge</button>`
              : `<span class="state merged">merged</span> <span class="sha">${escapeHtml(pull.mergeSha.slice(0, 7))}</span>`
          }</li>`,
      )
      .join('') || '<li>No pull requests</li>';

  $('commits').innerHTML = [...github.commits]
    .reverse()
    .slice(0, 8)
    .map((commit) => {
      const checks = github.contexts
        .map((context) => {
          const status = commit.statuses[context] ?? 'none';
          return `<span class="state ${escapeHtml(status)}" title="${escapeHtml(context)}">${escapeHtml(context)}: ${escapeHtml(status)}</span>`;
        })
        .join(' ');
      const branches = commit.branches
        .map((branch) => `<span class="badge">${escapeHtml(branch)}</span>`)
        .join(' ');
      return `<li class="commit" data-sha="${commit.sha}"><span class="sha">${commit.sha.slice(0, 7)}</span><span class="grow">${escapeHtml(
        commit.message,
      )} ${branches}</span>${checks}<button type="button" class="ci" data-sha="${commit.sha}" data-state="success">CI passes</button><button type="button" class="ci" data-sha="${commit.sha}" data-state="failure">CI fails</button></li>`;
    })
    .join('');

  $('deployments').innerHTML =
    github.deployments
      .filter((deployment) => deployment.repo === view.repo)
      .map((deployment) => {
        const log = [...deployment.statuses].reverse().find((status) => status.logUrl)?.logUrl;
        return `<li class="deployment" data-id="${deployment.id}"><span class="grow">#${deployment.id} ${escapeHtml(
          deployment.environment,
        )} <span class="sha">${escapeHtml(deployment.ref.length === 40 ? deployment.ref.slice(0, 7) : deployment.ref)} by ${escapeHtml(
          deployment.creator,
        )}</span></span><span class="state ${escapeHtml(deployment.state)}">${escapeHtml(deployment.state)}</span>${
          log ? `<a class="log" href="${escapeHtml(log)}" target="_blank" rel="noreferrer">log</a>` : ''
        }</li>`;
      })
      .join('') || '<li>No deployments yet</li>';
}

async function refresh() {
  const response = await fetch(`${api('state')}?user=${encodeURIComponent(view.me)}`);
  if (!response.ok) return;
  const state = await response.json();
  view.state = state;
  view.me = state.me;
  if (!state.channels.includes(view.channel)) view.channel = state.channels.at(-1) ?? '';
  if (!state.github.repos.includes(view.repo)) view.repo = state.github.repos[0] ?? '';
  const drawn = JSON.stringify([state, view.channel, view.repo]);
  if (drawn === view.drawn) return;
  view.drawn = drawn;
  drawSlack(state);
  drawGitHub(state);
}

async function post(path, body, errorId) {
  $(errorId).textContent = '';
  const response = await fetch(api(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    $(errorId).textContent = answer.error ?? `The playground answered ${response.status}`;
  }
  await refresh();
}

$('composer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('composer').value.trim();
  if (!text) return;
  $('composer').value = '';
  const slash = /^(\/[\w-]+)\s*([\s\S]*)$/.exec(text);
  if (slash) {
    void post(
      'command',
      { user: view.me, channel: view.channel, command: slash[1], text: slash[2] || 'help' },
      'slack-error',
    );
    return;
  }
  const mention = text.replace(/^@deploybot\b\s*/i, '');
  void post('mention', { user: view.me, channel: view.channel, text: mention }, 'slack-error');
});

$('messages').addEventListener('click', (event) => {
  const pressed = event.target.closest('button[data-action]');
  if (!pressed) return;
  pressed.disabled = true;
  void post(
    'press',
    {
      user: view.me,
      key: pressed.dataset.key,
      actionId: pressed.dataset.action,
      value: pressed.dataset.value,
      blockId: pressed.dataset.block,
    },
    'slack-error',
  );
});

$('channels').addEventListener('click', (event) => {
  const chosen = event.target.closest('button[data-channel]');
  if (!chosen) return;
  view.channel = chosen.dataset.channel;
  void refresh();
});

$('me').addEventListener('change', () => {
  view.me = $('me').value;
  void refresh();
});

$('repo').addEventListener('change', () => {
  view.repo = $('repo').value;
  void refresh();
});

$('pulls').addEventListener('click', (event) => {
  const merge = event.target.closest('button.merge');
  if (!merge) return;
  merge.disabled = true;
  void post('github/merge', { repo: view.repo, number: Number(merge.dataset.number) }, 'github-error');
});

$('commits').addEventListener('click', (event) => {
  const ci = event.target.closest('button.ci');
  if (!ci) return;
  void post('github/ci', { repo: view.repo, sha: ci.dataset.sha, state: ci.dataset.state }, 'github-error');
});

$('pull-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const title = $('pull-title').value.trim();
  if (!title) return;
  $('pull-title').value = '';
  const author = personName(view.me);
  void post('github/pulls', { repo: view.repo, title, author, base: $('pull-base').value }, 'github-error');
});

$('deployment-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void post(
    'github/deployments',
    {
      repo: view.repo,
      ref: $('deployment-ref').value.trim(),
      environment: $('deployment-environment').value,
      creator: $('deployment-creator').value.trim(),
    },
    'github-error',
  );
});

async function poll() {
  try {
    await refresh();
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
void poll();
