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
// Asked for by Bob in Slack, as deploybot's own chat deploys record it.
const BOBS = { deploy_user: 'u0bob', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0BOB' } };
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
      payload: BOBS,
    });
    await waitForFile(join(h.resultDir, `started-${running.id}`));
    const queued = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      payload: BOBS,
    });
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

  it("refuses someone else's deployment to a deployer who neither administers nor holds the lock", async () => {
    const running = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    await waitForFile(join(h.resultDir, `started-${running.id}`));

    const refused = await slash(h, 'cancel web in staging', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, refused.responseUrl))).toContain(
      'Someone else asked for a deploy there; only admins of *staging* or the lock holder may cancel it.',
    );

    const locked = await slash(h, 'lock staging on web', { user: 'U0BOB' });
    await nextResponse(h, locked.responseUrl);
    const sent = await slash(h, 'cancel web in staging', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, sent.responseUrl))).toContain(String(running.id));
    expect((await h.github.waitForStatus(running.id, 'error', WAIT)).description).toContain('cancelled by');
  });

  it('refuses a guest and a Slack Connect user before looking at anything', async () => {
    h.slack.setUser({ id: 'U0GUEST', name: 'guest', isRestricted: true });
    h.slack.setUser({ id: 'U0CONNECT', name: 'partner', teamId: 'T0PARTNER' });
    const guest = await slash(h, 'cancel web in staging', { user: 'U0GUEST' });
    expect(textOf(await nextResponse(h, guest.responseUrl))).toContain(
      'Guests of this workspace may use deploybot',
    );
    const outsider = await slash(h, 'where web', { user: 'U0CONNECT' });
    expect(textOf(await nextResponse(h, outsider.responseUrl))).toContain(
      'Users of other workspaces may use deploybot',
    );
  });
});
