import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextResponse, slash, textOf } from '../support/chat.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { waitForFile } from '../support/deployer/files.js';

const SHA = 'd'.repeat(40);
const WAIT = { timeoutMs: 20_000 };

describe('/deploy cancel REPO [in ENV]', () => {
  let h: DeployHarness;
  beforeEach(async () => {
    h = await startDeployHarness((resultDir) =>
      deployConfig({ staging: { provider: fixtureProvider(resultDir, ['gate']) } }),
    );
  });
  afterEach(async () => {
    await h.stop();
  });

  it('cancels the running and the queued deployment there, saying who did', async () => {
    const running = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    await waitForFile(join(h.resultDir, `started-${running.id}`));
    const queued = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'staging' });
    await h.github.waitForStatus(queued.id, 'queued', WAIT);

    const sent = await slash(h, 'cancel web in staging', { user: 'U0BOB' });
    const answer = await nextResponse(h, sent.responseUrl);
    expect(answer.response_type).toBe('in_channel');
    expect(textOf(answer)).toContain(String(running.id));
    const [first, second] = await Promise.all([
      h.github.waitForStatus(running.id, 'error', WAIT),
      h.github.waitForStatus(queued.id, 'error', WAIT),
    ]);
    expect(first.description).toContain('cancelled by');
    expect(second.description).toContain('cancelled by');
  });

  it('says when nothing is queued or running', async () => {
    const sent = await slash(h, 'cancel web');
    expect(textOf(await nextResponse(h, sent.responseUrl))).toContain('Nothing is queued or running');
  });
});
