import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildCheckSuitePayload,
  buildDeploymentStatusPayload,
  buildMergedPullRequestPayload,
  buildStatusPayload,
  deriveSha,
} from '../../src/stand-ins/github-payloads.js';
import {
  type GitHubStandIn,
  startGitHubStandIn,
  verifyWebhookSignature,
} from '../../src/stand-ins/github-stand-in.js';

const TOKEN = 'ghs_test_token';
const SECRET = 'webhook-secret';
const REPO = 'octo-org/web';
const MAIN_SHA = deriveSha('main');
const TOPIC_SHA = deriveSha('topic');

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  payload: Record<string, unknown>;
  signatureValid: boolean;
}

/** A bare receiver that checks signatures the way deploybot must: over the exact raw body. */
async function startReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const form = request.headers['content-type'] === 'application/x-www-form-urlencoded';
    const json = form ? (new URLSearchParams(rawBody).get('payload') ?? '') : rawBody;
    const signature = request.headers['x-hub-signature-256'];
    const signatureValid = verifyWebhookSignature(
      SECRET,
      rawBody,
      typeof signature === 'string' ? signature : undefined,
    );
    received.push({ headers: request.headers, rawBody, payload: JSON.parse(json), signatureValid });
    response.writeHead(signatureValid ? 202 : 401).end(signatureValid ? 'accepted' : 'bad signature');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/github`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('GitHub stand-in', () => {
  let github: GitHubStandIn;

  async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
    const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
    if (token !== null) headers.authorization = `token ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const response = await fetch(`${github.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  beforeEach(async () => {
    github = await startGitHubStandIn({ token: TOKEN, webhookSecret: SECRET });
    github.addRepository(REPO, { defaultBranch: 'main' });
    github.setRef(REPO, 'main', MAIN_SHA);
    github.setRef(REPO, 'topic', TOPIC_SHA);
  });

  afterEach(async () => {
    await github.close();
  });

  it('rejects requests without the token and accepts both token and Bearer schemes', async () => {
    const anonymous = await call('GET', `/repos/${REPO}`, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toBe('Bad credentials');
    expect((await call('GET', `/repos/${REPO}`, undefined, 'wrong')).status).toBe(401);

    const bearer = await fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.json()).toMatchObject({ login: 'deploybot[bot]', type: 'Bot' });

    const repository = await call('GET', `/repos/${REPO}`);
    expect(repository.status).toBe(200);
    expect(repository.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(repository.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(repository.headers.get('x-github-request-id')).toBeTruthy();
    expect(repository.body).toMatchObject({
      full_name: REPO,
      name: 'web',
      owner: { login: 'octo-org' },
      default_branch: 'main',
      html_url: 'https://github.com/octo-org/web',
      clone_url: 'https://github.com/octo-org/web.git',
      private: false,
    });
    expect((await call('GET', '/repos/octo-org/unknown')).body).toMatchObject({ message: 'Not Found' });
    expect(github.requests.map((request) => request.status)).toEqual([401, 401, 200, 200, 404]);
  });

  it('creates a deployment as GitHub does and lists it', async () => {
    github.setCommitStatus(REPO, MAIN_SHA, 'ci/build', 'success');
    github.setCheckRun(REPO, MAIN_SHA, 'test', 'completed', 'success');
    const created = await call('POST', `/repos/${REPO}/deployments`, {
      ref: 'main',
      environment: 'staging',
      payload: JSON.stringify({ pr: 42 }),
      description: 'Deploy #42',
      auto_merge: false,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 1000,
      sha: MAIN_SHA,
      ref: 'main',
      task: 'deploy',
      payload: { pr: 42 },
      environment: 'staging',
      original_environment: 'staging',
      production_environment: false,
      transient_environment: false,
      creator: { login: 'deploybot[bot]' },
      url: `${github.url}/repos/${REPO}/deployments/1000`,
      statuses_url: `${github.url}/repos/${REPO}/deployments/1000/statuses`,
      repository_url: `${github.url}/repos/${REPO}`,
    });
    expect(created.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await call('POST', `/repos/${REPO}/deployments`, { ref: MAIN_SHA, required_contexts: [] });

    const listed = await call('GET', `/repos/${REPO}/deployments?environment=staging`);
    expect(listed.body.map((d: { id: number }) => d.id)).toEqual([1000]);
    const all = await call('GET', `/repos/${REPO}/deployments?per_page=1`);
    expect(all.body.map((d: { id: number }) => d.id)).toEqual([1001]);
    expect(all.headers.get('link')).toContain('rel="next"');
    expect((await call('GET', `/repos/${REPO}/deployments/1000`)).body.id).toBe(1000);
    expect((await call('GET', `/repos/${REPO}/deployments/999`)).status).toBe(404);
    expect(github.deployments(REPO)).toHaveLength(2);
    expect(github.schemaErrors).toEqual([]);
  });

  it('answers 409 listing the contexts that are not green', async () => {
    github.setCommitStatus(REPO, MAIN_SHA, 'ci/build', 'pending');
    github.setCommitStatus(REPO, MAIN_SHA, 'ci/test', 'failure');
    github.setCommitStatus(REPO, MAIN_SHA, 'lint', 'success');
    const conflict = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      message: 'Conflict: Commit status checks failed for main.',
      errors: [
        {
          contexts: [
            { context: 'ci/build', state: 'pending' },
            { context: 'ci/test', state: 'failure' },
          ],
          resource: 'Deployment',
          field: 'required_contexts',
          code: 'invalid',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '409',
    });

    github.setCheckRun(REPO, MAIN_SHA, 'e2e', 'in_progress');
    const listed = await call('POST', `/repos/${REPO}/deployments`, {
      ref: 'main',
      required_contexts: ['lint', 'e2e', 'security'],
    });
    expect(listed.body.errors[0].contexts).toEqual([
      { context: 'e2e', state: 'pending' },
      { context: 'security', state: 'missing' },
    ]);
    expect(
      (await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: ['lint'] })).status,
    ).toBe(201);
    expect(
      (await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] })).status,
    ).toBe(201);
  });

  it('answers 422 for an unknown ref and 202 when auto-merging a branch that is behind', async () => {
    const unknown = await call('POST', `/repos/${REPO}/deployments`, { ref: 'nope' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual({
      message: 'No ref found for: nope',
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '422',
    });

    github.setBehind(REPO, 'topic', true);
    const merged = await call('POST', `/repos/${REPO}/deployments`, { ref: 'topic', required_contexts: [] });
    expect(merged).toMatchObject({
      status: 202,
      body: { message: 'Auto-merged main into topic on deployment.' },
    });
    expect(github.deployments()).toHaveLength(0);
    const direct = await call('POST', `/repos/${REPO}/deployments`, {
      ref: 'topic',
      auto_merge: false,
      required_contexts: [],
    });
    expect(direct.status).toBe(201);
    expect(github.schemaErrors).toEqual([]);
  });

  it('records request bodies that break the OpenAPI schema', async () => {
    const missingRef = await call('POST', `/repos/${REPO}/deployments`, { environment: 'production' });
    expect(missingRef.status).toBe(422);
    expect(missingRef.body).toMatchObject({
      message: 'Invalid request.',
      errors: [{ resource: 'Deployment', field: 'ref', code: 'missing_field' }],
    });
    await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', auto_merge: 'yes' });
    await call('POST', `/repos/${REPO}/deployments/1/statuses`, { state: 'done' });
    expect(github.schemaErrors).toHaveLength(2);
    expect(github.schemaErrors[0]).toContain("must have required property 'ref'");
    expect(github.schemaErrors[1]).toContain('body.auto_merge must be boolean');
    expect(github.deployments()).toHaveLength(0);
  });

  it('creates statuses, retires older successes and delivers signed webhooks after responding', async () => {
    const receiver = await startReceiver();
    try {
      github.webhookUrl = receiver.url;
      const first = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
      const started = await call('POST', `/repos/${REPO}/deployments/${first.body.id}/statuses`, {
        state: 'in_progress',
        log_url: 'https://ci.example.com/runs/1',
      });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({
        id: 5000,
        state: 'in_progress',
        environment: 'production',
        target_url: 'https://ci.example.com/runs/1',
        log_url: 'https://ci.example.com/runs/1',
        creator: { login: 'deploybot[bot]' },
        deployment_url: first.body.url,
      });
      await call('POST', `/repos/${REPO}/deployments/${first.body.id}/statuses`, { state: 'success' });
      const second = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
      await call('POST', `/repos/${REPO}/deployments/${second.body.id}/statuses`, { state: 'success' });
      expect(github.statuses(first.body.id).map((status) => status.state)).toEqual([
        'in_progress',
        'success',
        'inactive',
      ]);
      const tooLong = await call('POST', `/repos/${REPO}/deployments/${second.body.id}/statuses`, {
        state: 'failure',
        description: 'x'.repeat(141),
      });
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.errors[0].message).toBe('description is too long (maximum is 140 characters)');
      const listed = await call('GET', `/repos/${REPO}/deployments/${first.body.id}/statuses`);
      expect(listed.body.map((status: { state: string }) => status.state)).toEqual([
        'inactive',
        'success',
        'in_progress',
      ]);

      await github.flushWebhooks();
      // No webhook for the automatic `inactive`, as on GitHub.
      expect(receiver.received.map((hook) => hook.headers['x-github-event'])).toEqual([
        'deployment',
        'deployment_status',
        'deployment_status',
        'deployment',
        'deployment_status',
      ]);
      for (const hook of receiver.received) {
        expect(hook.signatureValid).toBe(true);
        expect(hook.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
        expect(hook.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
        expect(hook.headers['x-github-hook-id']).toBeTruthy();
      }
      const statusHook = receiver.received[1]?.payload;
      expect(statusHook).toMatchObject({
        action: 'created',
        deployment_status: { id: 5000, state: 'in_progress', log_url: 'https://ci.example.com/runs/1' },
        deployment: { id: first.body.id, sha: MAIN_SHA, ref: 'main' },
        repository: { full_name: REPO, default_branch: 'main' },
        sender: { login: 'deploybot[bot]' },
      });
      expect(github.sentWebhooks.every((hook) => hook.status === 202)).toBe(true);
      expect(github.schemaErrors).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('sends webhooks as JSON or form, signed over the raw body, and can forge signatures', async () => {
    const receiver = await startReceiver();
    try {
      github.webhookUrl = receiver.url;
      const payload = buildStatusPayload({
        repo: REPO,
        sha: MAIN_SHA,
        context: 'ci/build',
        state: 'success',
      });
      const json = await github.sendWebhook('status', payload);
      const form = await github.sendWebhook('status', payload, {
        contentType: 'form',
        deliveryId: 'fixed-id',
      });
      const forged = await github.sendWebhook('status', payload, { signature: 'sha256=00' });
      expect([json.status, form.status, forged.status]).toEqual([202, 202, 401]);
      expect(form.deliveryId).toBe('fixed-id');
      expect(receiver.received[1]?.rawBody.startsWith('payload=')).toBe(true);
      expect(receiver.received[1]?.payload).toEqual(receiver.received[0]?.payload);
      expect(receiver.received[0]?.payload).toMatchObject({
        sha: MAIN_SHA,
        context: 'ci/build',
        state: 'success',
      });
      const unsigned = await github.sendWebhook('status', payload, { signature: null });
      expect(unsigned.status).toBe(401);
      expect(receiver.received[3]?.headers['x-hub-signature-256']).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('lets other tools create deployments and statuses, with webhooks and waits', async () => {
    const receiver = await startReceiver();
    try {
      github.webhookUrl = receiver.url;
      const deployment = github.createDeploymentDirectly(REPO, {
        ref: 'topic',
        environment: 'review',
        creator: 'ci-bot',
      });
      expect(deployment).toMatchObject({
        sha: TOPIC_SHA,
        creator: { login: 'ci-bot' },
        environment: 'review',
      });
      const waiting = github.waitForStatus(deployment.id, 'success');
      github.createStatusDirectly(deployment.id, {
        state: 'success',
        environment_url: 'https://review.example.com',
      });
      expect((await waiting).environment_url).toBe('https://review.example.com');
      await waitUntil(() => receiver.received.length === 2, 'two webhooks');
      expect(receiver.received[0]?.payload).toMatchObject({
        deployment: { id: deployment.id },
        sender: { login: 'ci-bot' },
      });
      expect(receiver.received[1]?.payload).toMatchObject({ deployment_status: { state: 'success' } });
      await expect(github.waitForStatus(deployment.id, 'failure', { timeoutMs: 50 })).rejects.toThrow(
        /"failure" status.*\nStatuses of deployment \d+: success/,
      );
    } finally {
      await receiver.close();
    }
  });

  it('serves commits, comparisons, combined statuses and check runs', async () => {
    const shas = ['a', 'b', 'c', 'd'].map((seed) => deriveSha(seed));
    for (const [index, sha] of shas.entries()) {
      github.addCommit(REPO, sha, { message: `Commit ${index}`, author: 'octocat' });
    }
    github.setRef(REPO, 'v1.0.0', shas[0] as string);
    const commit = await call('GET', `/repos/${REPO}/commits/${shas[2]}`);
    expect(commit.body).toMatchObject({
      sha: shas[2],
      commit: { message: 'Commit 2' },
      author: { login: 'octocat' },
    });
    expect((await call('GET', `/repos/${REPO}/commits/${(shas[1] as string).slice(0, 7)}`)).body.sha).toBe(
      shas[1],
    );
    const missing = await call('GET', `/repos/${REPO}/commits/${deriveSha('x')}`);
    expect(missing).toMatchObject({
      status: 422,
      body: { message: `No commit found for SHA: ${deriveSha('x')}` },
    });

    const compare = await call('GET', `/repos/${REPO}/compare/v1.0.0...${shas[3]}`);
    expect(compare.body).toMatchObject({
      status: 'ahead',
      ahead_by: 3,
      behind_by: 0,
      total_commits: 3,
      html_url: `https://github.com/${REPO}/compare/v1.0.0...${shas[3]}`,
    });
    expect(compare.body.commits.map((c: { sha: string }) => c.sha)).toEqual(shas.slice(1));

    github.setCommitStatus(REPO, 'main', 'ci/build', 'pending');
    github.setCommitStatus(REPO, 'main', 'ci/build', 'success');
    const combined = await call('GET', `/repos/${REPO}/commits/main/status`);
    expect(combined.body).toMatchObject({ state: 'success', sha: MAIN_SHA, total_count: 1 });
    github.setCheckRun(REPO, MAIN_SHA, 'unit', 'completed', 'failure');
    const runs = await call('GET', `/repos/${REPO}/commits/main/check-runs`);
    expect(runs.body).toMatchObject({
      total_count: 1,
      check_runs: [{ name: 'unit', status: 'completed', conclusion: 'failure', head_sha: MAIN_SHA }],
    });
  });

  it('injects failures and delays before normal handling, and logs them', async () => {
    github.failNext(
      { method: 'POST', path: `/repos/${REPO}/deployments` },
      { status: 502, body: { message: 'Server Error' }, headers: { 'retry-after': '1' } },
    );
    const failed = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
    expect(failed).toMatchObject({ status: 502, body: { message: 'Server Error' } });
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(
      (await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] })).status,
    ).toBe(201);

    github.failNext({ method: '*', path: /^\/user$/ }, { status: 0 });
    await expect(call('GET', '/user')).rejects.toThrow();

    github.delay({ method: 'GET', path: `/repos/${REPO}` }, 150, 1);
    const startedAt = Date.now();
    expect((await call('GET', `/repos/${REPO}`)).status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
    expect(github.requests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'POST 502',
      'POST 201',
      'GET 0',
      'GET 200',
    ]);
  });

  it('carries out a request whose reply it loses, answering it with the fault', async () => {
    github.loseNextReply(
      { method: 'POST', path: `/repos/${REPO}/deployments` },
      { status: 502, body: { message: 'Bad gateway' } },
    );
    const lost = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
    expect(lost).toMatchObject({ status: 502, body: { message: 'Bad gateway' } });
    expect(github.deployments(REPO)).toHaveLength(1);
    const next = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
    expect(next.status).toBe(201);
    expect(github.deployments(REPO)).toHaveLength(2);
    expect(github.requests.map((request) => `${request.method} ${request.status}`)).toEqual([
      'POST 502',
      'POST 201',
    ]);
  });

  it('retires only prior deployments on a success: a late success of an older one leaves newer ones', async () => {
    const older = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
    const newer = await call('POST', `/repos/${REPO}/deployments`, { ref: 'main', required_contexts: [] });
    await call('POST', `/repos/${REPO}/deployments/${newer.body.id}/statuses`, { state: 'success' });
    await call('POST', `/repos/${REPO}/deployments/${older.body.id}/statuses`, { state: 'success' });
    expect(github.statuses(newer.body.id).map((status) => status.state)).toEqual(['success']);
    expect(github.statuses(older.body.id).map((status) => status.state)).toEqual(['success']);
  });

  it('still creates what a client asked for when the client timed out waiting', async () => {
    github.delay({ method: 'POST', path: `/repos/${REPO}/deployments` }, 200, 1);
    const request = fetch(`${github.url}/repos/${REPO}/deployments`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'main', required_contexts: [] }),
      signal: AbortSignal.timeout(50),
    });
    await expect(request).rejects.toThrow();
    const answered = await github.waitForRequest((r) => r.method === 'POST', {
      description: 'the deployment',
    });
    expect(answered.status).toBe(201);
    expect(github.deployments()).toHaveLength(1);
  });

  it('waits for requests past and future, and rejects naming what never came', async () => {
    await call('GET', `/repos/${REPO}`);
    const past = await github.waitForRequest((request) => request.path === `/repos/${REPO}`);
    expect(past.status).toBe(200);
    const future = github.waitForRequest((request) => (request.body as { ref?: string }).ref === 'topic');
    await call('POST', `/repos/${REPO}/deployments`, { ref: 'topic', required_contexts: [] });
    expect((await future).status).toBe(201);

    const never = github.waitForRequest((request) => request.path.endsWith('/statuses'), {
      timeoutMs: 50,
      description: 'a deployment status',
    });
    await expect(never).rejects.toThrow(
      /waiting for a deployment status\.\nRequests seen \(2\):\n {2}GET \/repos/,
    );
  });
});

describe('GitHub webhook payload builders', () => {
  it('builds a merged pull request from a fork, consistent throughout', () => {
    const mergeCommitSha = deriveSha('merge');
    const payload = buildMergedPullRequestPayload({
      repo: REPO,
      number: 42,
      baseRef: 'main',
      mergeCommitSha,
      author: 'octocat',
      headRepo: 'fork-owner/web',
    });
    expect(payload).toMatchObject({
      action: 'closed',
      number: 42,
      repository: { full_name: REPO, default_branch: 'main', owner: { login: 'octo-org' } },
      pull_request: {
        number: 42,
        merged: true,
        merge_commit_sha: mergeCommitSha,
        user: { login: 'octocat' },
        base: { ref: 'main', repo: { full_name: REPO, name: 'web', owner: { login: 'octo-org' } } },
        head: {
          repo: { full_name: 'fork-owner/web', fork: true },
          label: expect.stringMatching(/^fork-owner:/),
        },
        html_url: 'https://github.com/octo-org/web/pull/42',
      },
    });
    expect(JSON.stringify(payload)).not.toContain('Hello-World');
    expect(
      buildMergedPullRequestPayload({
        repo: REPO,
        number: 1,
        baseRef: 'main',
        mergeCommitSha,
        author: 'a',
        merged: false,
      }),
    ).toMatchObject({ pull_request: { merged: false, merged_at: null, merged_by: null } });
  });

  it('builds status, check suite and deployment status payloads', () => {
    expect(buildStatusPayload({ repo: REPO, sha: MAIN_SHA, context: 'ci', state: 'failure' })).toMatchObject({
      sha: MAIN_SHA,
      context: 'ci',
      state: 'failure',
      name: REPO,
      commit: { sha: MAIN_SHA },
      repository: { full_name: REPO },
    });
    expect(
      buildCheckSuitePayload({ repo: REPO, headSha: MAIN_SHA, status: 'completed', conclusion: 'failure' }),
    ).toMatchObject({
      action: 'completed',
      check_suite: { head_sha: MAIN_SHA, status: 'completed', conclusion: 'failure' },
    });
    const deploymentStatus = buildDeploymentStatusPayload({
      repo: REPO,
      deployment: { id: 77, ref: 'main', sha: MAIN_SHA, environment: 'production', creator: 'someone' },
      status: { state: 'failure', description: 'Boom' },
    });
    expect(deploymentStatus).toMatchObject({
      action: 'created',
      deployment: {
        id: 77,
        url: 'https://api.github.com/repos/octo-org/web/deployments/77',
        creator: { login: 'someone' },
      },
      deployment_status: { state: 'failure', description: 'Boom', environment: 'production' },
    });
  });
});
