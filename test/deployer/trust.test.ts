import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  fixtureProvider,
  REPO,
  readLogPage,
  startDeployHarness,
  type TestEnvironment,
} from '../support/deployer/deploy-harness.js';

const SHA = 'b'.repeat(40);
const WAIT = { timeoutMs: 20_000 };
const DAY_MS = 86_400_000;

/** octo-org/web with its own channel; the environments as given, trusting no one unless they say. */
function trustConfig(environments: Record<string, TestEnvironment>): string {
  return JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    github: { owner: 'octo-org' },
    repos: { [REPO]: { channel: 'C0WEB', environments } },
  });
}

const recordingStaging = (resultDir: string, more: Partial<TestEnvironment> = {}): TestEnvironment => ({
  provider: fixtureProvider(resultDir, ['record']),
  trusted_creators: [],
  ...more,
});

async function ran(h: DeployHarness, id: number): Promise<boolean> {
  return stat(join(h.resultDir, `run-${id}.json`)).then(
    () => true,
    () => false,
  );
}

async function seen(h: DeployHarness, id: number): Promise<{ env: Record<string, string> }> {
  return JSON.parse(await readFile(join(h.resultDir, `run-${id}.json`), 'utf8'));
}

/** The message in a channel whose text or blocks mention `text`, once it is posted. */
async function announced(h: DeployHarness, channel: string, text: string) {
  const deadline = Date.now() + WAIT.timeoutMs;
  for (;;) {
    const found = h.slack.messages.find((m) => m.channel === channel && JSON.stringify(m).includes(text));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no message in ${channel} mentions ${text}: ${JSON.stringify(h.slack.messages)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('who may make deploybot run code', () => {
  let h: DeployHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("does not run an untrusted creator's deployment: one error status, announced, nothing run", async () => {
    h = await startDeployHarness((dir) => trustConfig({ staging: recordingStaging(dir) }));
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      creator: 'mallory',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    const description = "not run: created by mallory, who is not among this environment's trusted_creators";
    expect(error.description).toBe(description);
    expect(description.length).toBeLessThanOrEqual(140);
    expect(h.github.statuses(deployment.id).map((s) => s.state)).toEqual(['error']);
    await announced(h, 'C0WEB', 'not run: created by mallory');
    await h.app.idle();
    expect(await ran(h, deployment.id)).toBe(false);
    expect((await readLogPage(h.url, error.log_url)).text).toContain(`[deploybot] error: ${description}`);
  });

  it("runs a trusted creator's deployment, the login compared without case", async () => {
    h = await startDeployHarness((dir) =>
      trustConfig({ staging: recordingStaging(dir, { trusted_creators: ['GitHub-Actions[bot]'] }) }),
    );
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      creator: 'github-actions[bot]',
    });
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
    expect(await ran(h, deployment.id)).toBe(true);
  });

  it('runs its own deployments, having learnt its login from GitHub at start', async () => {
    h = await startDeployHarness((dir) => trustConfig({ staging: recordingStaging(dir) }));
    expect(h.github.requests.some((r) => r.method === 'GET' && r.path === '/user')).toBe(true);
    // What deploybot's token creates is the stand-in's deploybot[bot].
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      creator: 'deploybot[bot]',
    });
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
    expect(h.github.schemaErrors).toEqual([]);
  });

  it('does not run a deployment created more than a day before it is taken in', async () => {
    const clock = { now: () => Date.now() + 3 * DAY_MS + 60_000 };
    h = await startDeployHarness((dir) => trustConfig({ staging: recordingStaging(dir) }), { clock });
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      creator: 'deploybot[bot]',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('not run: created 3 days ago');
    expect(await ran(h, deployment.id)).toBe(false);
  });

  it('leaves external environments alone: nothing posted to them, whoever created them', async () => {
    h = await startDeployHarness(() => trustConfig({ production: { provider: { type: 'external' } } }));
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'production',
      creator: 'mallory',
    });
    await h.github.flushWebhooks();
    await h.app.idle();
    expect(h.github.statuses(deployment.id)).toEqual([]);
  });
});

describe('hostile input from GitHub deployments', () => {
  let h: DeployHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it.each(['main;touch pwned', 'main$(id)', '--upload-pack=touch /tmp/pwned', 'a`id`'])(
    'refuses the ref %j before git or a script sees it',
    async (ref) => {
      h = await startDeployHarness((dir) =>
        trustConfig({ staging: recordingStaging(dir, { trusted_creators: ['mallory'] }) }),
      );
      const deployment = h.github.createDeploymentDirectly(REPO, {
        ref,
        sha: SHA,
        environment: 'staging',
        creator: 'mallory',
      });
      const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
      expect(error.description).toMatch(/^refused: ref ".*" is not a valid git ref$/);
      expect(await ran(h, deployment.id)).toBe(false);
    },
  );

  it("tells a script the environment's configured name, not GitHub's spelling of it", async () => {
    h = await startDeployHarness((dir) =>
      trustConfig({ staging: recordingStaging(dir, { trusted_creators: ['octocat'] }) }),
    );
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'STAGING',
      creator: 'octocat',
    });
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
    const { env } = await seen(h, deployment.id);
    expect(env.DEPLOY_ENVIRONMENT).toBe('staging');
    expect(env.DEPLOY_ENV).toBe('staging');
  });

  it('lets provider env use DEPLOY_REGION, a name deploybot does not set', async () => {
    h = await startDeployHarness((dir) =>
      trustConfig({
        staging: {
          provider: fixtureProvider(dir, ['record'], { env: { DEPLOY_REGION: 'eu' } }),
          trusted_creators: ['octocat'],
        },
      }),
    );
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      creator: 'octocat',
    });
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
    expect((await seen(h, deployment.id)).env.DEPLOY_REGION).toBe('eu');
  });

  it("logs only the http provider's origin: a deploy hook's path carries its secret", async () => {
    const paths: string[] = [];
    const server: Server = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      response.writeHead(200).end('ok\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const hookPath = '/hooks/deploy/hook-path-secret-7Qx2';
    try {
      h = await startDeployHarness(() =>
        trustConfig({
          staging: { provider: { type: 'http', url: `${origin}${hookPath}` }, trusted_creators: ['octocat'] },
        }),
      );
      const deployment = h.github.createDeploymentDirectly(REPO, {
        ref: 'main',
        sha: SHA,
        environment: 'staging',
        creator: 'octocat',
      });
      const success = await h.github.waitForStatus(deployment.id, 'success', WAIT);
      expect(paths).toEqual([hookPath]);
      const log = (await readLogPage(h.url, success.log_url)).text;
      expect(log).toContain(`[deploybot] POST ${origin}\n`);
      expect(log).not.toContain('hook-path-secret');
      expect(h.logs.join('\n')).not.toContain('hook-path-secret');
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});

describe('where announcements go', () => {
  let h: DeployHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it.each([
    ["another creator's payload naming a channel deploybot.yml does not", 'mallory', 'C0API', 'C0WEB'],
    ["another creator's payload naming the default channel", 'mallory', 'C0DEPLOYS', 'C0DEPLOYS'],
    ["deploybot's own payload naming any channel", 'deploybot[bot]', 'C0API', 'C0API'],
  ])('announces %s in the right channel', async (_what, creator, asked, channel) => {
    h = await startDeployHarness(() => trustConfig({ production: { provider: { type: 'external' } } }));
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'production',
      creator,
      payload: { notify: { adapter: 'slack', channel: asked } },
    });
    h.github.createStatusDirectly(deployment.id, { state: 'in_progress' });
    const posted = await h.slack.waitForCall('chat.postMessage');
    expect(posted.args.channel).toBe(channel);
  });
});
