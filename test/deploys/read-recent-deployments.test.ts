import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../../src/core/deployment-state.js';
import { createReadRecentDeployments } from '../../src/deploys/read-recent-deployments.js';
import { createMemoryGitHub } from '../support/memory/memory-github.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const REPO = { owner: 'octo-org', repo: 'web' };

function createRig(states: ReadonlyArray<DeploymentState | undefined>) {
  let now = 1_700_000_000_000;
  const github = createMemoryGitHub({ now: () => (now += 1000) });
  github.addRepo('octo-org/web');
  const store = createMemoryStore();
  // Oldest first, as they were created.
  const ids = states.map((state, i) => {
    const d = github.addDeployment('octo-org/web', {
      sha: `${i}`.repeat(40).slice(0, 40),
      ref: 'main',
      environment: 'production',
      task: 'deploy',
      payload: {},
      creator: 'octocat',
    });
    if (state !== undefined)
      void github.createDeploymentStatus({
        repository: 'octo-org/web',
        deploymentId: d.id,
        state,
        description: state,
        logUrl: `https://ci/${d.id}`,
      });
    return d.id;
  });
  const read = createReadRecentDeployments({ github, statuses: store });
  const statusCalls = () => github.calls.filter((c) => c.method === 'getLatestDeploymentStatus').length;
  return { github, store, ids, read, statusCalls };
}

describe('readRecentDeployments', () => {
  it('gives each deployment its latest status, newest first, and remembers what GitHub said', async () => {
    const rig = createRig(['success', 'failure', 'in_progress', undefined]);
    const recent = await rig.read(REPO, { environment: 'production', limit: 10 });
    expect(recent.map((d) => [d.id, d.state])).toEqual([
      [rig.ids[3], undefined],
      [rig.ids[2], 'in_progress'],
      [rig.ids[1], 'failure'],
      [rig.ids[0], 'success'],
    ]);
    expect(recent[3]?.logUrl).toBe(`https://ci/${rig.ids[0]}`);
    expect(rig.statusCalls()).toBe(4);
    const known = await rig.store.getKnownStatuses(rig.ids);
    expect([...known.keys()].sort()).toEqual([rig.ids[0], rig.ids[1], rig.ids[2]].sort());
  });

  it('asks GitHub again only for statuses that may still change', async () => {
    const rig = createRig(['success', 'failure', 'in_progress', undefined]);
    await rig.read(REPO, { environment: 'production', limit: 10 });
    const before = rig.statusCalls();
    const again = await rig.read(REPO, { environment: 'production', limit: 10 });
    // The in-progress one and the one without a status; the success and the failure are settled.
    expect(rig.statusCalls() - before).toBe(2);
    expect(again.map((d) => d.state)).toEqual([undefined, 'in_progress', 'failure', 'success']);
  });

  it('stops at the first deployment `until` accepts, reading no older status', async () => {
    const rig = createRig(['success', 'success', 'failure']);
    const recent = await rig.read(REPO, { limit: 10, until: (d) => d.state === 'success' });
    expect(recent.map((d) => d.state)).toEqual(['failure', 'success']);
    expect(rig.statusCalls()).toBe(2);
  });

  it('needs no status call once every status was seen by webhook', async () => {
    const rig = createRig(['success', 'failure']);
    await rig.store.rememberStatuses(
      rig.ids.map((id, i) => ({
        deploymentId: id,
        repository: 'octo-org/web',
        statusId: 100 + i,
        state: i === 0 ? ('success' as const) : ('failure' as const),
        createdAt: 0,
      })),
    );
    const before = rig.github.calls.length;
    const recent = await rig.read(REPO, { limit: 10, until: (d) => d.state === 'success' });
    expect(recent.map((d) => d.state)).toEqual(['failure', 'success']);
    expect(rig.github.calls.slice(before).map((c) => c.method)).toEqual(['listDeployments']);
  });
});
