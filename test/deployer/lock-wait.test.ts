import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextResponse, slash } from '../support/chat.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { release, waitForFile } from '../support/deployer/files.js';

const WAIT = { timeoutMs: 20_000 };
const SHA = 'c'.repeat(40);

describe('a deploy job waiting when someone locks its environment (the whole app)', () => {
  let h: DeployHarness;
  beforeEach(async () => {
    h = await startDeployHarness((dir) =>
      deployConfig({ staging: { provider: fixtureProvider(dir, ['gate']) } }),
    );
  });
  afterEach(async () => {
    await h.stop();
  });

  it('waits for the unlock, announced as waiting for the lock, and runs once unlocked', async () => {
    const first = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'staging' });
    await waitForFile(join(h.resultDir, `started-${first.id}`));
    const second = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'staging' });
    await h.github.waitForStatus(second.id, 'queued', WAIT);

    const locked = await slash(h, 'lock staging on web: hotfix in progress', { user: 'U0BOB' });
    expect((await nextResponse(h, locked.responseUrl)).response_type).toBe('in_channel');
    await release(h.resultDir, first.id);
    await h.github.waitForStatus(first.id, 'success', WAIT);

    const waitsForLock = 'waiting for the lock on staging to be released';
    await h.slack.waitFor(
      () => h.github.statuses(second.id).find((s) => s.description === waitsForLock),
      WAIT,
    );
    // The channel is told: the deployment's announcement shows the status.
    await h.slack.waitFor(() => h.slack.messages.find((m) => JSON.stringify(m).includes(waitsForLock)), WAIT);
    expect(h.github.statuses(second.id).map((s) => s.state)).toEqual(['queued', 'queued']);

    const unlocked = await slash(h, 'unlock staging on web', { user: 'U0BOB' });
    await nextResponse(h, unlocked.responseUrl);
    await waitForFile(join(h.resultDir, `started-${second.id}`));
    await release(h.resultDir, second.id);
    await h.github.waitForStatus(second.id, 'success', WAIT);
    expect(h.github.statuses(second.id).map((s) => s.state)).toEqual([
      'queued',
      'queued',
      'pending',
      'success',
    ]);
  });
});
