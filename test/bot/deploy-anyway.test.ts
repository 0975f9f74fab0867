import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

// No confirmation: the deploy asks GitHub for the branch, and GitHub checks whatever it points at then.
const CONFIG = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      canary:
        confirm: false
        required_contexts: [ci/build]
        admins: [U0ADMIN]
`;

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

describe('"Deploy anyway" after failed checks', () => {
  let h: Harness;
  const checked = deriveSha('web-checked');
  const newer = deriveSha('web-newer');

  beforeEach(async () => {
    h = await startHarness({ config: CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', checked);
    h.github.setCommitStatus('octo-org/web', checked, 'ci/build', 'failure');
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('ships exactly the commit whose checks were shown, though the branch moved since', async () => {
    const asked = await slash(h, 'web to canary', { user: 'U0ADMIN' });
    const refused = await nextResponse(h, asked.responseUrl);
    expect(textOf(refused)).toContain('ci/build');
    const force = buttonValue(refused, 'deploy_force');
    expect(force).toBeDefined();

    h.github.setRef('octo-org/web', 'main', newer);
    h.github.setCommitStatus('octo-org/web', newer, 'ci/build', 'success');
    const forced = await press(h, 'deploy_force', force!, { user: 'U0ADMIN' });
    expect(textOf(await nextResponse(h, forced.responseUrl))).toContain('created');

    const created = h.github.requests.filter((r) => isCreate(r) && r.status === 201);
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({
      ref: checked,
      required_contexts: [],
      payload: { forced: true },
    });
  });
});
