import { describe, expect, it } from 'vitest';
import type { KnownStatus } from '../../src/core/known-status.js';
import { STORES, useTestStore } from '../support/databases.js';

const status = (deploymentId: number, statusId: number, fields: Partial<KnownStatus> = {}): KnownStatus => ({
  deploymentId,
  repository: 'octo-org/web',
  statusId,
  state: 'success',
  createdAt: 1_700_000_000_000 + statusId,
  ...fields,
});

describe.each(STORES)('known statuses on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('gives back what was remembered, and nothing for deployments never seen', async () => {
    const first = status(1, 10, { logUrl: 'https://ci/1', environmentUrl: 'https://web' });
    await storeOf().rememberStatuses([first, status(2, 20, { state: 'in_progress' })]);
    const known = await storeOf().getKnownStatuses([1, 2, 3]);
    expect(known.get(1)).toEqual(first);
    expect(known.get(2)).toEqual(status(2, 20, { state: 'in_progress' }));
    expect(known.has(3)).toBe(false);
  });

  it('keeps the newest status whatever the order of arrival', async () => {
    await storeOf().rememberStatuses([status(1, 30, { state: 'failure' })]);
    await storeOf().rememberStatuses([status(1, 20, { state: 'in_progress' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)?.state).toBe('failure');
    await storeOf().rememberStatuses([status(1, 40, { state: 'inactive' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)?.statusId).toBe(40);
  });

  it("keeps the log of an older status when GitHub's retirement has none", async () => {
    await storeOf().rememberStatuses([status(1, 10, { logUrl: 'https://ci/1' })]);
    await storeOf().rememberStatuses([status(1, 11, { state: 'inactive' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)).toEqual(
      status(1, 11, { state: 'inactive', logUrl: 'https://ci/1' }),
    );
  });

  it('reads many deployments at once', async () => {
    const many = Array.from({ length: 450 }, (_, i) => status(i + 1, 1_000 + i));
    await storeOf().rememberStatuses(many);
    const known = await storeOf().getKnownStatuses(many.map((s) => s.deploymentId));
    expect(known.size).toBe(450);
    expect(known.get(450)?.statusId).toBe(1_449);
  });
});
