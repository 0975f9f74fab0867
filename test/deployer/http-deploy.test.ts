import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { SECRETS } from '../support/harness.js';

const SHA = 'a'.repeat(40);
const HOOK_SECRET = 'hook-secret-Zr81';
const WAIT = { timeoutMs: 20_000 };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A deploy endpoint: /ok answers 200, /fail 500, /slow never. */
async function startEndpoint(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({
      path: request.url ?? '',
      headers: request.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    if (request.url === '/ok') {
      response.writeHead(202, { 'content-type': 'text/plain' });
      response.write(`queued the rollout; your token was ${request.headers.authorization}\n`);
      response.end(`and ours is ${SECRETS.githubToken}, signed with ${SECRETS.githubWebhookSecret}\n`);
    } else if (request.url === '/fail') {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('boom: database migration failed\n');
    }
    // /slow: no answer at all.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

describe('http deploys', () => {
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let h: DeployHarness;

  beforeEach(async () => {
    endpoint = await startEndpoint();
    const unreachable = await closedPortUrl();
    h = await startDeployHarness(() =>
      deployConfig({
        staging: {
          url: 'https://staging.example.com',
          provider: {
            type: 'http',
            url: `${endpoint.url}/ok`,
            headers: { Authorization: `Bearer ${HOOK_SECRET}`, 'X-Team': 'web' },
          },
        },
        qa: { provider: { type: 'http', url: `${endpoint.url}/fail` } },
        sandbox: { provider: { type: 'http', url: unreachable } },
        preview: { provider: { type: 'http', url: `${endpoint.url}/slow`, timeout: 1 } },
      }),
    );
  });
  afterEach(async () => {
    const schemaErrors = [...h.github.schemaErrors];
    await h.stop();
    await endpoint.close();
    expect(schemaErrors).toEqual([]);
  });

  it('POSTs the deployment as JSON with the configured headers; 2xx is success and the body is logged', async () => {
    const payload = { deploy_user: 'alice' };
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      payload,
    });
    const success = await h.github.waitForStatus(deployment.id, 'success', WAIT);
    expect(success.environment_url).toBe('https://staging.example.com');

    expect(endpoint.received).toHaveLength(1);
    const [request] = endpoint.received;
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Bearer ${HOOK_SECRET}`,
      'x-team': 'web',
    });
    expect(request?.body).toEqual({
      id: deployment.id,
      repository: REPO,
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      task: 'deploy',
      user: 'alice',
      payload,
      log_url: success.log_url,
    });
    const log = await readLogPage(h.url, success.log_url);
    expect(log.text).toContain('HTTP 202 Accepted');
    expect(log.text).toContain('queued the rollout; your token was [masked]');
    expect(log.text).toContain('and ours is [masked], signed with [masked]');
    expect(log.text).not.toContain(HOOK_SECRET);
    for (const secret of Object.values(SECRETS)) expect(log.text).not.toContain(secret);
  });

  it('reports a non-2xx answer as failure, with the status, and logs the body', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'qa' });
    const failure = await h.github.waitForStatus(deployment.id, 'failure', WAIT);
    expect(failure.description).toBe('deploy endpoint answered HTTP 500 Internal Server Error');
    expect((await readLogPage(h.url, failure.log_url)).text).toContain('boom: database migration failed');
  });

  it('reports an unreachable endpoint as error', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'sandbox',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toMatch(/^could not reach 127\.0\.0\.1:\d+: connection refused$/);
  });

  it('gives up on an endpoint that does not answer within the timeout: error', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'preview',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('timed out after 1s');
    expect(endpoint.received.map((r) => r.path)).toEqual(['/slow']);
  });
});
