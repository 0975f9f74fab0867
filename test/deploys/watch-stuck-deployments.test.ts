import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import type { DeploymentFacts } from '../../src/core/announcement.js';
import type { DeploymentState } from '../../src/core/deployment-state.js';
import { createWatchStuckDeployments } from '../../src/deploys/watch-stuck-deployments.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryChat } from '../support/memory/memory-chat.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T10:00:00Z');

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging: {}
      production:
        stuck_after: 1h
      qa:
        stuck_after: "off"
`,
  'deploybot.yml',
);

function createRig() {
  const scheduler = createManualScheduler(START);
  const chat = createMemoryChat();
  const logs = createMemoryStore();
  const watch = createWatchStuckDeployments({ config, chat, scheduler, log: createMemoryLog(), logs });
  let statuses = 0;
  const deployment = (id: number, environment: string): DeploymentFacts => ({
    id,
    repository: 'octo-org/web',
    repositoryUrl: 'https://github.com/octo-org/web',
    ref: 'main',
    sha: 'c'.repeat(40),
    environment,
    task: 'deploy',
    deployer: 'alice-gh',
    createdAt: new Date(START).toISOString(),
  });
  /** A status of deployment `id` announced now, its message at 1000.000{id}. */
  const status = (id: number, state: DeploymentState, environment = 'staging') =>
    watch.observe({
      deployment: deployment(id, environment),
      status: {
        id: ++statuses,
        state,
        createdAt: new Date(scheduler.now()).toISOString(),
        logUrl: `https://ci.example.com/${id}`,
      },
      channel: 'C0WEB',
      threadTs: `1000.000${id}`,
      notifyUser: 'U0ALICE',
    });
  const replies = (id: number) => chat.thread('C0WEB', `1000.000${id}`).map((m) => m.content.text);
  return { scheduler, chat, logs, watch, status, replies };
}

describe('the stuck-deployment watchdog', () => {
  it('says once in the thread, after stuck_after (30m by default) without a status, how long, with the log and the deployer', async () => {
    const rig = createRig();
    rig.status(1, 'pending');
    await rig.scheduler.advance(29 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
    await rig.scheduler.advance(MINUTE);
    expect(rig.replies(1)).toEqual([
      ':zzz: Still `pending` with no new status for 30m: is it stuck? <@U0ALICE> · <https://ci.example.com/1|Log>',
    ]);
    await rig.scheduler.advance(5 * 60 * MINUTE);
    rig.status(1, 'in_progress');
    await rig.scheduler.advance(5 * 60 * MINUTE);
    expect(rig.replies(1)).toHaveLength(1);
    expect(rig.scheduler.pendingSleeps()).toBe(0);
  });

  it('starts the silence again at each new status, and stops watching at a final one', async () => {
    const rig = createRig();
    rig.status(1, 'queued');
    await rig.scheduler.advance(20 * MINUTE);
    rig.status(1, 'in_progress');
    await rig.scheduler.advance(20 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
    await rig.scheduler.advance(10 * MINUTE);
    expect(rig.replies(1)).toEqual([
      expect.stringContaining('Still `in_progress` with no new status for 30m'),
    ]);

    rig.status(2, 'in_progress');
    await rig.scheduler.advance(10 * MINUTE);
    rig.status(2, 'success');
    await rig.scheduler.advance(60 * MINUTE);
    expect(rig.replies(2)).toEqual([]);
    expect(rig.scheduler.pendingSleeps()).toBe(0);
  });

  it("keeps to the environment's stuck_after, and to off", async () => {
    const rig = createRig();
    rig.status(1, 'in_progress', 'production');
    rig.status(2, 'in_progress', 'qa');
    await rig.scheduler.advance(59 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
    await rig.scheduler.advance(MINUTE);
    expect(rig.replies(1)).toEqual([expect.stringContaining('for 1h')]);
    await rig.scheduler.advance(24 * 60 * MINUTE);
    expect(rig.replies(2)).toEqual([]);
  });

  it("checks deploybot's own jobs by their output: silent only when the script printed nothing for as long", async () => {
    const rig = createRig();
    rig.status(1, 'in_progress');
    await rig.logs.appendDeployLog(1, 1, 'starting\n', rig.scheduler.now());
    await rig.scheduler.advance(20 * MINUTE);
    await rig.logs.appendDeployLog(1, 2, 'still migrating\n', rig.scheduler.now());
    await rig.scheduler.advance(10 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
    // Its last output was at 20m: silent from then on.
    await rig.scheduler.advance(19 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
    await rig.scheduler.advance(MINUTE);
    expect(rig.replies(1)).toEqual([
      expect.stringContaining('Still `in_progress` with no new status for 30m'),
    ]);
  });

  it('stops its timers when told to', async () => {
    const rig = createRig();
    rig.status(1, 'pending');
    rig.watch.stop();
    await rig.scheduler.advance(60 * MINUTE);
    expect(rig.replies(1)).toEqual([]);
  });
});
