import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('where, history, rollback', () => {
  let h: Harness;
  const shas = [deriveSha('v1'), deriveSha('v2'), deriveSha('v3')];

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', shas[2]!);
    for (const sha of shas)
      h.github.addCommit('octo-org/web', sha, { message: `Release ${sha.slice(0, 7)}`, author: 'octocat' });
    const states = ['success', 'success', 'failure'] as const;
    shas.forEach((sha, i) => {
      const d = h.github.createDeploymentDirectly('octo-org/web', {
        ref: sha,
        sha,
        environment: 'staging',
        creator: `dev${i}`,
      });
      h.github.createStatusDirectly(d.id, { state: states[i]!, log_url: `https://ci.example.com/${i}` });
    });
    await h.github.flushWebhooks();
    await h.app.idle();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('where: what runs in each environment', async () => {
    const sent = await slash(h, 'where web');
    const answer = textOf(await nextResponse(h, sent.responseUrl));
    expect(answer).toContain('staging');
    expect(answer).toContain('production');
    expect(answer).toContain(shas[1]!.slice(0, 7));
    expect(answer).toContain('dev1');
  });

  it('where and history read statuses seen by webhook from the store: one GitHub call per environment', async () => {
    const before = h.github.requests.length;
    const where = await slash(h, 'where web');
    await nextResponse(h, where.responseUrl);
    const history = await slash(h, 'history web in stg');
    await nextResponse(h, history.responseUrl);
    const calls = h.github.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    // where: staging, production and qa; history: staging. No status list is read.
    expect(calls).toEqual(Array.from({ length: 4 }, () => 'GET /repos/octo-org/web/deployments'));
  });

  it('a status never seen by webhook is read from GitHub once it has ended, then remembered', async () => {
    const d = h.github.createDeploymentDirectly('octo-org/web', {
      ref: shas[2]!,
      sha: shas[2]!,
      environment: 'production',
    });
    await h.github.flushWebhooks();
    await h.app.idle();
    h.github.createStatusDirectly(d.id, { state: 'success' }, { webhook: false });
    const statusReads = () =>
      h.github.requests.filter((r) => r.path.startsWith(`/repos/octo-org/web/deployments/${d.id}/statuses`))
        .length;
    for (const round of [1, 2]) {
      const sent = await slash(h, 'where web');
      expect(textOf(await nextResponse(h, sent.responseUrl))).toContain(shas[2]!.slice(0, 7));
      expect({ round, reads: statusReads() }).toEqual({ round, reads: 1 });
    }
  });

  it('history: the last deployments with state, who and links', async () => {
    const sent = await slash(h, 'history web in stg');
    const answer = textOf(await nextResponse(h, sent.responseUrl));
    for (const [i, sha] of shas.entries()) {
      expect(answer).toContain(sha.slice(0, 7));
      expect(answer).toContain(`dev${i}`);
      expect(answer).toContain(`https://ci.example.com/${i}`);
    }
  });

  it('rollback into a protected environment asks for confirmation first', async () => {
    shas.forEach((sha) => {
      const d = h.github.createDeploymentDirectly('octo-org/web', {
        ref: sha,
        sha,
        environment: 'production',
      });
      h.github.createStatusDirectly(d.id, { state: 'success' });
    });
    await h.github.flushWebhooks();
    await h.app.idle();
    const sent = await slash(h, 'rollback web in production');
    const prompt = await nextResponse(h, sent.responseUrl);
    expect(textOf(prompt)).toContain('Roll back');
    expect(buttonValue(prompt, 'deploy_confirm')).toBeDefined();
    expect(
      h.github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/octo-org/web/deployments'),
    ).toEqual([]);
  });

  it('rollback: redeploys the last successful sha before the current one', async () => {
    const sent = await slash(h, 'rollback web in staging');
    await nextResponse(h, sent.responseUrl);
    const created = await h.github.waitForRequest(
      (r) => r.method === 'POST' && r.path === '/repos/octo-org/web/deployments',
    );
    expect(created.body).toMatchObject({ ref: shas[0], environment: 'staging', payload: { rollback: true } });
  });
});
