import { describe, expect, it } from 'vitest';
import { STORES, useTestStore } from '../support/databases.js';
import { aDeploymentRequest } from '../support/records.js';

describe.each(STORES)('store on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  const delivery = (id: string, receivedAt: number, key = 'octo-org/web') => ({
    deliveryId: id,
    event: 'deployment_status',
    action: 'created',
    partitionKey: key,
    payload: { id, nested: { n: 1 } },
    receivedAt,
  });

  it('records a delivery once and reports the redelivery', async () => {
    expect(await storeOf().recordDelivery(delivery('d-1', 1000))).toBe('recorded');
    expect(await storeOf().recordDelivery(delivery('d-1', 2000))).toBe('duplicate');
    expect(await storeOf().countDeliveries()).toBe(1);
  });

  it('keeps an ignored delivery by id only: never runnable, and known when redelivered', async () => {
    expect(await storeOf().recordIgnoredDelivery('d-9', 'issues', 1000)).toBe('recorded');
    expect(await storeOf().recordIgnoredDelivery('d-9', 'issues', 2000)).toBe('duplicate');
    expect(await storeOf().recordDelivery(delivery('d-9', 3000))).toBe('duplicate');
    expect(await storeOf().listRunnableDeliveries(10_000, 10)).toEqual([]);
    expect(await storeOf().countDeliveries()).toBe(1);
  });

  it('lists runnable deliveries in the order received, payload intact', async () => {
    await storeOf().recordDelivery(delivery('d-2', 2000));
    await storeOf().recordDelivery(delivery('d-1', 1000));
    await storeOf().recordDelivery(delivery('d-3', 3000));
    await storeOf().markDeliveryDone('d-3', 3500);
    const runnable = await storeOf().listRunnableDeliveries(5000, 10);
    expect(runnable.map((d) => d.deliveryId)).toEqual(['d-1', 'd-2']);
    expect(runnable[0]).toMatchObject({
      payload: { id: 'd-1', nested: { n: 1 } },
      attempts: 0,
      action: 'created',
    });
  });

  it('holds a retried delivery back until it is due, and drops a failed one', async () => {
    await storeOf().recordDelivery(delivery('d-1', 1000));
    await storeOf().recordDelivery(delivery('d-2', 1000));
    await storeOf().scheduleDeliveryRetry('d-1', 'slack_rate_limited', 9000);
    await storeOf().markDeliveryFailed('d-2', 'bad_request', 1500);
    expect(await storeOf().listRunnableDeliveries(8999, 10)).toEqual([]);
    const due = await storeOf().listRunnableDeliveries(9000, 10);
    expect(due.map((d) => [d.deliveryId, d.attempts])).toEqual([['d-1', 1]]);
  });

  it('keeps one announcement per deployment, moved forward by saves', async () => {
    const base = { deploymentId: 1001, repository: 'octo-org/web', channel: 'C0WEB', ts: '1.000100' };
    expect(await storeOf().getAnnouncement(1001)).toBeUndefined();
    await storeOf().saveAnnouncement({ ...base, statusId: 5001, state: 'pending' }, 1);
    await storeOf().saveAnnouncement({ ...base, statusId: 5002, state: 'success' }, 2);
    expect(await storeOf().getAnnouncement(1001)).toEqual({ ...base, statusId: 5002, state: 'success' });
  });

  it('moves an announcement to the message that replaced a deleted one', async () => {
    const base = { deploymentId: 1001, repository: 'octo-org/web', channel: 'C0WEB', ts: '1.000100' };
    await storeOf().saveAnnouncement({ ...base, statusId: 5001, state: 'pending' }, 1);
    await storeOf().saveAnnouncement(
      { ...base, channel: 'C0DEPLOYS', ts: '2.000200', statusId: 5002, state: 'success' },
      2,
    );
    expect(await storeOf().getAnnouncement(1001)).toEqual({
      ...base,
      channel: 'C0DEPLOYS',
      ts: '2.000200',
      statusId: 5002,
      state: 'success',
    });
  });

  it('remembers which statuses were announced', async () => {
    expect(await storeOf().hasAnnouncedStatus(5001)).toBe(false);
    await storeOf().recordAnnouncedStatus(5001, 1001, '1.000200', 1);
    await storeOf().recordAnnouncedStatus(5001, 1001, '1.000300', 2);
    expect(await storeOf().hasAnnouncedStatus(5001)).toBe(true);
  });

  it('keeps deploys waiting for checks by commit', async () => {
    const pending = {
      id: 'p-1',
      repository: 'octo-org/web',
      sha: 'a'.repeat(40),
      environment: 'staging',
      request: aDeploymentRequest({ ref: 'a'.repeat(40), environment: 'staging' }),
      channel: 'C0WEB',
      messageTs: undefined,
      waitingFor: ['ci/build'],
      createdAt: 10,
    };
    await storeOf().savePendingDeploy(pending);
    await storeOf().savePendingDeploy({ ...pending, messageTs: '1.1', waitingFor: ['ci/test'] });
    expect(await storeOf().listPendingDeploys('octo-org/web', 'b'.repeat(40))).toEqual([]);
    expect(await storeOf().listPendingDeploys('octo-org/web', 'a'.repeat(40))).toEqual([
      { ...pending, messageTs: '1.1', waitingFor: ['ci/test'] },
    ]);
    expect(await storeOf().listPendingDeploysTo('Octo-Org/Web', 'staging')).toEqual([
      { ...pending, messageTs: '1.1', waitingFor: ['ci/test'] },
    ]);
    expect(await storeOf().listPendingDeploysTo('octo-org/web', 'production')).toEqual([]);
    await storeOf().removePendingDeploy('p-1');
    expect(await storeOf().listPendingDeploys('octo-org/web', 'a'.repeat(40))).toEqual([]);
  });

  it('answers the health ping', async () => {
    await expect(storeOf().ping()).resolves.toBeUndefined();
  });
});
