import { describe, expect, it } from 'vitest';
import { createReadHomeBoard } from '../../src/deploys/read-home-board.js';
import { createChatRig, deployWebElsewhere } from '../support/chat-rig.js';
import { aDeploymentRequest } from '../support/records.js';

const FROZEN_CONFIG = `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        freeze:
          - { from: "2026-12-01T00:00:00Z", to: "2026-12-31T00:00:00Z", reason: "december" }
      production:
        deployers: [U0ALICE]
`;

function rigWithBoard(config?: string) {
  const rig = createChatRig({ start: Date.parse('2026-12-04T12:00:00Z'), ...(config ? { config } : {}) });
  const board = createReadHomeBoard({ ...rig.deps, store: rig.store, deploymentsMaxAgeMs: 600_000 });
  return { rig, board };
}

describe('the App Home board’s facts', () => {
  it('counts queued deploy jobs and CI waits per environment, and shows a freeze', async () => {
    const { rig, board } = rigWithBoard(FROZEN_CONFIG);
    for (const id of [1, 2, 3]) {
      await rig.store.recordDeployJob({
        deploymentId: id,
        repository: 'octo-org/web',
        environment: 'production',
        lane: 'octo-org/web:production',
        ref: 'main',
        sha: 'a'.repeat(40),
        task: 'deploy',
        creator: 'deploybot',
        payload: {},
        logToken: `t${id}`,
        enqueuedAt: id,
      });
    }
    await rig.store.claimDeployJob(1, 'octo-org/web:production', 'runner', rig.scheduler.now());
    await rig.store.savePendingDeploy({
      id: 'p1',
      repository: 'octo-org/web',
      sha: 'b'.repeat(40),
      environment: 'production',
      request: aDeploymentRequest({ environment: 'production' }),
      channel: 'C0WEB',
      messageTs: undefined,
      waitingFor: ['ci/build'],
      createdAt: 1,
    });
    const facts = await board.readFacts();
    const shown = await board.boardFor('U0ALICE', facts);
    const [staging, production] = shown.repositories[0]?.environments ?? [];
    expect(production).toMatchObject({
      queued: 2,
      ciWaits: [{ sha: 'b'.repeat(40), waitingFor: ['ci/build'] }],
    });
    expect(staging?.freeze).toMatchObject({ reason: 'december', end: Date.parse('2026-12-31T00:00:00Z') });
    expect(staging?.queued).toBe(0);
  });

  it('shows a guest only what lists them, and reads GitHub once for several viewers', async () => {
    const { rig, board } = rigWithBoard();
    await deployWebElsewhere(rig, 'staging', ['success', 'in_progress']);
    rig.chat.setUser('U0GUEST', { isGuest: true });
    const facts = await board.readFacts();
    const reads = rig.github.calls.length;
    const alice = await board.boardFor('U0ALICE', facts);
    const guest = await board.boardFor('U0GUEST', facts);
    expect(rig.github.calls.length).toBe(reads);
    const staging = alice.repositories[0]?.environments.find((e) => e.environment === 'staging');
    expect(staging?.current?.deployer).toBe('dev0');
    expect(staging?.running).toMatchObject({
      state: 'in_progress',
      logUrl: 'https://ci.example.com/staging/1',
    });
    expect(guest.repositories).toEqual([]);
  });

  it('asks GitHub again only where deployments changed, or after a while', async () => {
    const { rig, board } = rigWithBoard();
    const listed = () => rig.github.calls.filter((c) => c.method === 'listDeployments').length;
    await board.readFacts();
    expect(listed()).toBe(4);
    await board.readFacts();
    expect(listed()).toBe(4);
    board.forgetDeployments('Octo-Org/Web', 'staging');
    await board.readFacts();
    expect(listed()).toBe(5);
    await rig.scheduler.advance(600_000);
    await board.readFacts();
    expect(listed()).toBe(9);
  });

  it('leaves out what GitHub cannot show, and shows the rest', async () => {
    const { rig, board } = rigWithBoard();
    await deployWebElsewhere(rig, 'staging', ['success']);
    rig.github.failNext('listDeployments', 'github_unavailable');
    const facts = await board.readFacts();
    const environments = facts.repositories.flatMap((r) => r.environments);
    expect(environments).toHaveLength(4);
    expect(environments.filter((e) => e.current !== undefined)).toHaveLength(0);
    expect(rig.log.lines.some((l) => l.message === 'board: deployments unreadable')).toBe(true);
  });
});
