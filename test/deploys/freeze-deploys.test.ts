import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { ACTION_DEPLOY_CONFIRM, renderHelp } from '../../src/core/command-replies.js';
import { describeFreezes } from '../../src/core/freeze-text.js';
import { createReleaseLockWaits } from '../../src/deploys/release-lock-waits.js';
import { createWatchFreezes } from '../../src/deploys/watch-freezes.js';
import { buttonOf, createChatRig, lastOf, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';
import { createMergeDeployRig } from '../support/merge-deploy-rig.js';

/** Staging frozen over the holidays (a fixed window), production every weekend (cron, Berlin time). */
const FROZEN = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
users: { U0ALICE: alice-gh }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        confirm: false
        deploy_on_merge: main
        freeze:
          - { from: "2026-12-23T00:00:00Z", to: "2027-01-04T08:00:00Z", reason: "holidays" }
      production:
        confirm: false
        admins: [U0ADMIN]
        freeze:
          - { cron: "0 17 * * FRI", duration: 63h, timezone: Europe/Berlin, reason: "weekend" }
`;

const at = (iso: string) => Date.parse(iso);

async function deploy(
  rig: ReturnType<typeof createChatRig>,
  environment: string,
  userId = 'U0ALICE',
  force = false,
) {
  const reply = createRecordingReplier();
  await rig.requestChatDeploy(
    { ...rig.target('web', environment), force, rollback: false },
    rig.asker(userId),
    reply,
  );
  return reply;
}

describe('freeze windows on chat deploys', () => {
  it('refuses a deploy into a fixed window, naming it and when it ends, and asks GitHub for nothing', async () => {
    const rig = createChatRig({ config: FROZEN, start: at('2026-12-24T10:00:00Z') });
    const reply = await deploy(rig, 'staging');
    expect(reply.texts()).toEqual([
      '*staging* is frozen (“holidays”) until Mon 4 Jan, 08:00 UTC, 10d 22h from now: no deploys there until then. Only admins may deploy during a freeze, and it has none (`admins:` in deploybot.yml).',
    ]);
    expect(lastOf(reply)).toMatchObject({ visibility: 'private' });
    expect(rig.created()).toEqual([]);
  });

  it('deploys before a fixed window opens and after it ends', async () => {
    const rig = createChatRig({ config: FROZEN, start: at('2026-12-22T23:59:00Z') });
    await deploy(rig, 'staging');
    await rig.scheduler.advance(at('2027-01-04T08:00:00Z') - rig.scheduler.now());
    await deploy(rig, 'staging');
    expect(rig.created()).toHaveLength(2);
  });

  it.each([
    ['a winter Friday at 17:00 Berlin time (16:00 UTC)', '2026-12-25T15:59:00Z', '2026-12-25T16:00:00Z'],
    ['a summer Friday at 17:00 Berlin time (15:00 UTC)', '2026-07-03T14:59:00Z', '2026-07-03T15:00:00Z'],
  ])('freezes a cron window from %s, in its time zone', async (_name, before, from) => {
    const open = createChatRig({ config: FROZEN, start: at(before) });
    await deploy(open, 'production');
    expect(open.created()).toHaveLength(1);

    const frozen = createChatRig({ config: FROZEN, start: at(from) });
    const reply = await deploy(frozen, 'production');
    expect(reply.texts()[0]).toMatch(
      /^\*production\* is frozen \(“weekend”\) until Mon \d+ \w+, 0[67]:00 UTC, 2d 15h from now: no deploys there until then\. An admin may still deploy with `!`: ask <@U0ADMIN>\.$/,
    );
    expect(frozen.created()).toEqual([]);
  });

  it('refuses `!` to someone who is no admin', async () => {
    const rig = createChatRig({ config: FROZEN, start: at('2026-12-26T12:00:00Z') });
    const reply = await deploy(rig, 'production', 'U0ALICE', true);
    expect(reply.texts()[0]).toContain('Only admins may force a deploy past failing checks on *production*');
    expect(rig.created()).toEqual([]);
  });

  it('lets an admin deploy with `!` after a confirmation naming the freeze, though the environment asks for none', async () => {
    const rig = createChatRig({ config: FROZEN, start: at('2026-12-26T12:00:00Z') });
    const reply = await deploy(rig, 'production', 'U0ADMIN', true);
    const prompt = lastOf(reply)?.content;
    expect(textOf(prompt)).toContain(
      ':snowflake: *production* is frozen (“weekend”) until Mon 28 Dec, 07:00 UTC, 1d 19h from now. You are an admin: this deploys despite the freeze.',
    );
    expect(prompt?.text).toContain('It is frozen; this deploys despite the freeze.');
    expect(rig.created()).toEqual([]);

    const id = buttonOf(prompt, ACTION_DEPLOY_CONFIRM)!;
    const pressed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ADMIN', answer: 'confirm' }, pressed);
    expect(rig.created()).toHaveLength(1);
    expect(rig.created()[0]?.request).toMatchObject({ environment: 'production', required_contexts: [] });
  });

  it('shows the open freeze and the next ones in `where`', async () => {
    const rig = createChatRig({ config: FROZEN, start: at('2026-12-24T10:00:00Z') });
    const reply = createRecordingReplier();
    await rig.showWhere(rig.target('web', 'staging').repo, reply);
    const text = textOf(lastOf(reply)?.content);
    expect(text).toContain(':snowflake: frozen (“holidays”) until Mon 4 Jan, 08:00 UTC, 10d 22h from now');
    expect(text).toContain(
      ':calendar: freeze (“weekend”) from Fri 25 Dec, 16:00 UTC to Mon 28 Dec, 07:00 UTC',
    );
    expect(lastOf(reply)?.content.text).toContain('staging: nothing (frozen)');
  });
});

describe('freeze windows on merged-PR deploys', () => {
  const config = parseConfig(FROZEN, 'deploybot.yml');

  it('holds merges while frozen, announces the start and end, and sends them in order when it ends', async () => {
    const rig = createMergeDeployRig(config, at('2026-12-22T23:00:00Z'));
    const release = createReleaseLockWaits({ ...rig, clock: rig.scheduler });
    const stop = new AbortController();
    const watching = createWatchFreezes({
      config,
      chat: rig.chat,
      scheduler: rig.scheduler,
      log: rig.log,
      onThawed: (repository, environment) => release(repository, environment, true),
    })(stop.signal);

    await rig.scheduler.advance(60 * 60_000);
    expect(rig.texts()).toEqual([
      ':snowflake: *staging* of *octo-org/web* is now frozen (“holidays”) until Mon 4 Jan, 08:00 UTC, 12d 8h from now. Deploys wait until then; an admin may still deploy with `!`.',
    ]);

    const older = rig.merge(42);
    const newer = rig.merge(43);
    await rig.deployMerge(rig.attempt(older.request));
    await rig.deployMerge(rig.attempt(newer.request));
    expect(rig.created()).toEqual([]);
    expect(rig.texts().slice(1)).toEqual([
      expect.stringContaining('waiting for the freeze to end'),
      expect.stringContaining('waiting for the freeze to end'),
    ]);
    expect(JSON.stringify(rig.chat.inChannel('C0WEB')[1]?.content.blocks)).toContain(
      '*staging* is frozen (“holidays”) until Mon 4 Jan, 08:00 UTC',
    );

    await rig.scheduler.advance(at('2027-01-04T07:59:00Z') - rig.scheduler.now());
    expect(rig.created()).toEqual([]);
    await rig.scheduler.advance(60_000);
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([older.sha, newer.sha]);
    expect(rig.texts()).toEqual([
      expect.stringContaining('is now frozen'),
      // The held deploys' messages, updated in place.
      expect.stringContaining('the freeze is over, deploying'),
      expect.stringContaining('the freeze is over, deploying'),
      // Production's weekend freezes (cron, Berlin time) in the meantime.
      ':snowflake: *production* of *octo-org/web* is now frozen (“weekend”) until Mon 28 Dec, 07:00 UTC, 2d 15h from now. Deploys wait until then; an admin may still deploy with `!`.',
      ':sunny: The freeze of *production* of *octo-org/web* is over; deploys go out again.',
      expect.stringContaining(
        '*production* of *octo-org/web* is now frozen (“weekend”) until Mon 4 Jan, 07:00 UTC',
      ),
      ':sunny: The freeze of *production* of *octo-org/web* is over; deploys go out again.',
      ':sunny: The freeze of *staging* of *octo-org/web* is over; deploys go out again.',
    ]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toEqual([]);
    stop.abort();
    await watching;
  });

  it('keeps held merges while the freeze lasts, even when the lock sweep releases', async () => {
    const rig = createMergeDeployRig(config, at('2026-12-24T10:00:00Z'));
    const release = createReleaseLockWaits({ ...rig, clock: rig.scheduler });
    await rig.deployMerge(rig.attempt(rig.merge(42).request));
    await release('octo-org/web', 'staging');
    expect(rig.created()).toEqual([]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toHaveLength(1);
  });
});

describe('help', () => {
  it('names the freezes open now or soon', () => {
    const config = parseConfig(FROZEN, 'deploybot.yml');
    const help = renderHelp(undefined, describeFreezes(config, at('2026-12-24T10:00:00Z')));
    expect(help.text).toContain(
      '• *staging* of *octo-org/web*: :snowflake: frozen (“holidays”) until Mon 4 Jan, 08:00 UTC, 10d 22h from now',
    );
    expect(help.text).toContain(
      '• *production* of *octo-org/web*: :calendar: freeze (“weekend”) from Fri 25 Dec, 16:00 UTC to Mon 28 Dec, 07:00 UTC',
    );
    expect(renderHelp().text).not.toContain('Freezes');
  });
});
