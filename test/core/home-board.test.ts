import { describe, expect, it } from 'vitest';
import {
  type Board,
  type BoardEnvironment,
  type BoardRepository,
  readBoardButtonValue,
  renderHomeBoard,
  VIEW_MAX_BLOCKS,
} from '../../src/core/home-board.js';
import type { Block } from '../../src/core/message.js';

const now = Date.parse('2026-12-04T12:00:00Z');
const sha = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';

function environment(name: string, extra: Partial<BoardEnvironment> = {}): BoardEnvironment {
  return { environment: name, queued: 0, ciWaits: [], actions: ['deploy', 'lock', 'rollback'], ...extra };
}

function repository(name: string, environments: readonly BoardEnvironment[]): BoardRepository {
  return { repository: name, repositoryUrl: `https://github.com/${name}`, environments };
}

const board = (repositories: readonly BoardRepository[]): Board => ({ repositories, now, timeZone: 'UTC' });

function textOf(blocks: readonly Block[]): string {
  return blocks
    .map((b) =>
      b.type === 'section'
        ? b.text.text
        : b.type === 'context'
          ? b.elements.map((e) => e.text).join(' ')
          : '',
    )
    .join('\n');
}

function actionIds(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
}

describe('the App Home board', () => {
  it('shows what runs, what deploys, the queue, the lock, the freeze and CI waits', () => {
    const view = renderHomeBoard(
      board([
        repository('octo-org/web', [
          environment('production', {
            current: {
              ref: 'main',
              sha,
              deployer: 'alice',
              at: now - 3 * 3_600_000,
              environmentUrl: 'https://www.example.com',
            },
            running: {
              ref: 'feature',
              sha,
              state: 'in_progress',
              since: now - 120_000,
              logUrl: 'https://bot/deploys/1/t',
            },
            queued: 2,
            lock: {
              repository: 'octo-org/web',
              environment: 'production',
              holder: 'U0ALICE',
              reason: 'release <b>',
              lockedAt: now - 60_000,
              expiresAt: now + 3_600_000,
            },
            freeze: { start: now - 1_000, end: Date.parse('2026-12-07T07:00:00Z'), reason: 'weekend' },
            ciWaits: [{ sha, waitingFor: ['ci/build'] }],
            actions: ['deploy', 'unlock', 'rollback'],
          }),
          environment('staging', {
            nextFreeze: {
              start: Date.parse('2026-12-23T00:00:00Z'),
              end: Date.parse('2027-01-04T08:00:00Z'),
              reason: 'holidays',
            },
          }),
        ]),
      ]),
    );
    const text = textOf(view.blocks);
    expect(view.type).toBe('home');
    expect(text).toContain(
      '*production* :white_check_mark: `main` (<https://github.com/octo-org/web/commit/' +
        sha +
        '|a1b2c3d>) by alice 3h ago',
    );
    expect(text).toContain('<https://www.example.com|open>');
    expect(text).toContain('`in_progress` feature (a1b2c3d) for 2m · <https://bot/deploys/1/t|Log>');
    expect(text).toContain('2 waiting in the queue');
    expect(text).toContain(
      'locked by <@U0ALICE> 1m ago, 1h left: “release &lt;b&gt;” until Fri 4 Dec, 13:00',
    );
    expect(text).toContain('frozen (weekend) until Mon 7 Dec, 07:00');
    expect(text).toContain('freeze (holidays) from Wed 23 Dec, 00:00 to Mon 4 Jan, 08:00');
    expect(text).toContain('a1b2c3d waits for CI: `ci/build`');
    expect(text).toContain('*staging* nothing deployed yet');
    const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.map((b) => b.text.text)).toEqual([
      'Deploy production…',
      'Unlock production',
      'Rollback production',
      'Deploy staging…',
      'Lock staging…',
      'Rollback staging',
    ]);
    expect(buttons.map((b) => readBoardButtonValue(b.value ?? ''))).toContainEqual({
      repository: 'octo-org/web',
      environment: 'staging',
    });
  });

  it('shows a button only for what the viewer may do', () => {
    const view = renderHomeBoard(
      board([repository('octo-org/web', [environment('staging', { actions: [] })])]),
    );
    expect(actionIds(view.blocks)).toEqual([]);
  });

  it('fits 50 repositories × 4 environments in Slack limits and names the ones left out', () => {
    const repos = Array.from({ length: 50 }, (_, i) =>
      repository(`octo-org/service-${String(i).padStart(2, '0')}`, [
        environment('development'),
        environment('staging', { queued: 3, ciWaits: [{ sha, waitingFor: ['ci/build', 'ci/test'] }] }),
        environment('canary'),
        environment('production', { current: { ref: 'main', sha, deployer: 'alice', at: now - 60_000 } }),
      ]),
    );
    const view = renderHomeBoard(board(repos));
    expect(view.blocks.length).toBeLessThanOrEqual(VIEW_MAX_BLOCKS);
    const ids = actionIds(view.blocks);
    expect(new Set(ids).size).toBe(ids.length);
    for (const block of view.blocks) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'actions') expect(block.elements.length).toBeLessThanOrEqual(25);
    }
    const last = view.blocks.at(-1);
    expect(last?.type === 'context' && last.elements[0]?.text).toMatch(
      /^…more: octo-org\/service-49 do not fit here/,
    );
    expect(textOf(view.blocks)).toContain('octo-org/service-48');
  });

  it('cuts a long environment name to fit a button', () => {
    const long = 'e'.repeat(120);
    const view = renderHomeBoard(
      board([repository('octo-org/web', [environment(long), environment('staging')])]),
    );
    const labels = view.blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => e.text.text) : [],
    );
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(75);
    expect(labels[0]).toMatch(/^Deploy e+……$/);
  });

  it('says so when there is nothing the viewer may see', () => {
    expect(textOf(renderHomeBoard(board([])).blocks)).toContain('No repository in deploybot.yml');
  });

  it('reads back only values it wrote', () => {
    expect(readBoardButtonValue('["octo-org/web","production"]')).toEqual({
      repository: 'octo-org/web',
      environment: 'production',
    });
    expect(readBoardButtonValue('not json')).toBeUndefined();
    expect(readBoardButtonValue('["a",1]')).toBeUndefined();
  });
});
