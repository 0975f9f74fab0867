import { describe, expect, it } from 'vitest';
import type { ConfirmationKind } from '../../src/core/policy.js';
import { canPressConfirmation } from '../../src/core/policy.js';
import { answerPress, decideOnce, type Press } from '../../src/deploys/decide-once.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';
import { createMemoryStore } from '../support/memory/memory-store.js';
import { aChatDeployPlan } from '../support/records.js';

function setUp() {
  const store = createMemoryStore();
  const clock = createManualScheduler();
  const open = (kind: ConfirmationKind, ttlMs = 5 * 60_000) => {
    const base = {
      id: 'c1',
      userId: 'U0ASKER',
      channel: 'C0WEB',
      createdAt: clock.now(),
      expiresAt: clock.now() + ttlMs,
    };
    const held = { repository: 'octo-org/web', environment: 'staging', holder: 'U0BOB', lockedAt: 0 };
    return store.saveConfirmation(
      kind === 'steal'
        ? { ...base, kind, request: { lock: { ...held, holder: 'U0ASKER' }, previous: held } }
        : { ...base, kind, request: aChatDeployPlan() },
    );
  };
  const press = (extra: Partial<Press> = {}): Press => ({
    id: 'c1',
    userId: 'U0ASKER',
    answer: 'done',
    kinds: ['deploy'],
    mayPress: (confirmation) => canPressConfirmation(confirmation, extra.userId ?? 'U0ASKER'),
    ...extra,
  });
  return { store, clock, open, press, deps: { store, clock } };
}

describe('decideOnce', () => {
  it('goes ahead once: the first press wins, every later one is told it was answered', async () => {
    const { deps, open, press, store } = setUp();
    await open('deploy');
    const first = await decideOnce(deps, press());
    expect(first).toMatchObject({
      outcome: 'go_ahead',
      confirmation: { id: 'c1', request: aChatDeployPlan() },
    });
    expect(await decideOnce(deps, press())).toEqual({ outcome: 'already_answered' });
    expect(await decideOnce(deps, press({ answer: 'cancelled' }))).toEqual({ outcome: 'already_answered' });
    expect((await store.getConfirmation('c1'))?.state).toBe('done');
  });

  it('lets exactly one of many simultaneous presses go ahead', async () => {
    const { deps, open, press } = setUp();
    await open('deploy');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => decideOnce(deps, press())));
    expect(outcomes.filter((o) => o.outcome === 'go_ahead')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already_answered')).toHaveLength(4);
  });

  it('cancels, after which nothing goes ahead', async () => {
    const { deps, open, press } = setUp();
    await open('deploy');
    expect(await decideOnce(deps, press({ answer: 'cancelled' }))).toEqual({ outcome: 'cancelled' });
    expect(await decideOnce(deps, press())).toEqual({ outcome: 'already_answered' });
  });

  it("refuses someone else's press and leaves the confirmation open for its asker", async () => {
    const { deps, open, press } = setUp();
    await open('deploy');
    expect(await decideOnce(deps, press({ userId: 'U0OTHER' }))).toEqual({
      outcome: 'refused',
      refusal: { allowed: false, rule: 'not_the_asker', asker: 'U0ASKER', whoMay: ['<@U0ASKER>'] },
    });
    expect((await decideOnce(deps, press())).outcome).toBe('go_ahead');
  });

  it.each([
    [5 * 60_000 - 1, 'go_ahead'],
    [5 * 60_000, 'expired'],
  ])('after %d ms: %s', async (elapsed, outcome) => {
    const { deps, open, press, clock, store } = setUp();
    await open('deploy');
    await clock.advance(elapsed);
    expect((await decideOnce(deps, press())).outcome).toBe(outcome);
    // An expired one is closed for good.
    if (outcome === 'expired') {
      expect((await store.getConfirmation('c1'))?.state).toBe('cancelled');
      expect(await decideOnce(deps, press())).toEqual({ outcome: 'already_answered' });
    }
  });

  it('expires at the expiry it was saved with (approvals last the day)', async () => {
    const { deps, open, press, clock } = setUp();
    await open('approval', 12 * 60 * 60_000);
    await clock.advance(6 * 60 * 60_000);
    expect((await decideOnce(deps, press({ kinds: ['approval'] }))).outcome).toBe('go_ahead');
  });

  it('does not know confirmations of other kinds, nor ids it never saved', async () => {
    const { deps, open, press } = setUp();
    await open('steal');
    expect(await decideOnce(deps, press())).toEqual({ outcome: 'unknown' });
    expect(await decideOnce(deps, press({ id: 'nope', kinds: ['steal'] }))).toEqual({ outcome: 'unknown' });
    expect((await decideOnce(deps, press({ kinds: ['steal'] }))).outcome).toBe('go_ahead');
  });
});

describe('answerPress', () => {
  const replies = () => ({ prompt: createRecordingReplier(), fresh: createRecordingReplier() });
  const already = { text: 'already' };

  it.each([
    [{ outcome: 'unknown' } as const, 'fresh', /expired after 5 minutes/],
    [{ outcome: 'expired' } as const, 'prompt', /expired after 5 minutes/],
    [{ outcome: 'cancelled' } as const, 'prompt', /^:x: Cancelled; nothing was deployed\.$/],
    [{ outcome: 'already_answered' } as const, 'fresh', /^already$/],
    [
      { outcome: 'refused', refusal: { rule: 'own_deploy', whoMay: [] as string[] } } as const,
      'fresh',
      /^You cannot approve your own deploy; someone else has to\.$/,
    ],
  ])('%j is answered privately in the %s replier', async (outcome, where, text) => {
    const r = replies();
    expect(await answerPress(outcome, r, already)).toBeUndefined();
    const other = where === 'fresh' ? r.prompt : r.fresh;
    expect(other.replies).toEqual([]);
    expect(r[where as 'fresh' | 'prompt'].replies).toEqual([
      { visibility: 'private', content: expect.objectContaining({ text: expect.stringMatching(text) }) },
    ]);
  });

  it('leaves a go-ahead to the caller', async () => {
    const r = replies();
    const goAhead = {
      outcome: 'go_ahead',
      now: 1,
      confirmation: {
        id: 'c1',
        kind: 'deploy',
        userId: 'U1',
        channel: 'C1',
        request: aChatDeployPlan(),
        state: 'open',
        createdAt: 0,
        expiresAt: 2,
      },
    } as const;
    expect(await answerPress(goAhead, r, already)).toBe(goAhead);
    expect([...r.prompt.replies, ...r.fresh.replies]).toEqual([]);
  });
});
