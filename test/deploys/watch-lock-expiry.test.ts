import { describe, expect, it } from 'vitest';
import { createLockEnvironment } from '../../src/deploys/lock-environment.js';
import { createWatchLockExpiry } from '../../src/deploys/watch-lock-expiry.js';
import { createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

const MINUTE = 60_000;

function createRig() {
  const rig = createChatRig();
  const watch = createWatchLockExpiry({
    config: rig.config,
    store: rig.store,
    scheduler: rig.scheduler,
    log: rig.log,
    expireLocks: rig.expireLocks,
  });
  const lockEnvironment = createLockEnvironment({ ...rig.deps, onLocked: watch.nudge });
  const lock = (environment: string, durationMs: number) =>
    lockEnvironment(
      { ...rig.target('web', environment), reason: 'quick fix', durationMs, steal: false },
      rig.asker(),
      createRecordingReplier(),
    );
  const stop = new AbortController();
  const running = watch.run(stop.signal);
  const lapses = () =>
    rig.chat
      .inChannel('C0WEB')
      .map((m) => m.content.text)
      .filter((t) => t.includes('expired'));
  return { rig, lock, lapses, stop, running };
}

describe('the lock-expiry watch', () => {
  it('announces each lapse at its expiry, locks taken while it waits included, without a sweep', async () => {
    const { rig, lock, lapses, stop, running } = createRig();
    await rig.scheduler.advance(1_000);
    await lock('staging', 30 * MINUTE);
    await rig.scheduler.advance(MINUTE);
    // Taken while the watch waits for the staging lock, and due sooner.
    await lock('production', 10 * MINUTE);
    await rig.scheduler.advance(10 * MINUTE - 1_000);
    expect(lapses()).toEqual([]);
    await rig.scheduler.advance(1_000);
    expect(lapses()).toEqual([expect.stringContaining('production')]);
    expect(await rig.store.getLock('octo-org/web', 'production')).toBeUndefined();
    await rig.scheduler.advance(19 * MINUTE - 1_000);
    expect(lapses()).toHaveLength(1);
    await rig.scheduler.advance(1_000);
    expect(lapses()).toEqual([expect.stringContaining('production'), expect.stringContaining('staging')]);
    stop.abort();
    await running;
    expect(rig.scheduler.pendingSleeps()).toBe(0);
  });

  it('leaves locks without an expiry alone', async () => {
    const { rig, lapses, stop, running } = createRig();
    await rig.lockEnvironment(
      { ...rig.target('web', 'staging'), steal: false },
      rig.asker(),
      createRecordingReplier(),
    );
    await rig.scheduler.advance(24 * 60 * MINUTE);
    expect(lapses()).toEqual([]);
    stop.abort();
    await running;
  });
});
