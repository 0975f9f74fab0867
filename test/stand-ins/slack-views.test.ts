import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';

let slack: SlackStandIn;
let client: WebClient;

beforeEach(async () => {
  slack = await startSlackStandIn();
  client = new WebClient('xoxb-test-token', {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});

afterEach(async () => {
  await slack.close();
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (blocks: unknown[] = [section('hello')]) => ({
  type: 'modal',
  callback_id: 'deploy',
  title: { type: 'plain_text', text: 'Deploy' },
  submit: { type: 'plain_text', text: 'Deploy' },
  blocks,
});

async function refusal(call: () => Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  try {
    await call();
  } catch (thrown) {
    const data = (thrown as { data?: { error?: string; response_metadata?: { messages?: string[] } } }).data;
    return { error: data?.error ?? 'none', messages: data?.response_metadata?.messages ?? [] };
  }
  throw new Error('expected Slack to refuse the call');
}

describe('views in the Slack stand-in', () => {
  it('publishes a Home tab per user and replaces it on the next publish', async () => {
    const first = await client.views.publish({
      user_id: 'U0ALICE',
      view: { type: 'home', blocks: [section('one')] },
    });
    const again = await client.views.publish({
      user_id: 'U0ALICE',
      view: { type: 'home', blocks: [section('two')] },
    });
    expect(again.view?.id).toBe(first.view?.id);
    await expect(
      refusal(() => client.views.publish({ user_id: 'U0NOBODY', view: { type: 'home', blocks: [] } })),
    ).resolves.toMatchObject({ error: 'user_not_found' });
  });

  it('refuses a view over Block Kit limits, naming where', async () => {
    const blocks = Array.from({ length: 101 }, (_, i) => section(`line ${i}`));
    await expect(
      refusal(() => client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks } as never })),
    ).resolves.toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be less than 101 items [json-pointer:/view/blocks]'],
    });
    const long = section('x'.repeat(3001));
    const clash = {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'A' }, action_id: 'same' },
        { type: 'button', text: { type: 'plain_text', text: 'B' }, action_id: 'same' },
      ],
    };
    const found = await refusal(() =>
      client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [long, clash] } as never }),
    );
    expect(found.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]',
      '[ERROR] action_id already exists in this block [json-pointer:/view/blocks/1/elements/1/action_id]',
    ]);
  });

  it('opens a modal once per trigger, within three seconds, and updates it by id', async () => {
    const trigger = slack.slashCommandPayload({ text: 'help' }).trigger_id ?? '';
    const opened = await client.views.open({ trigger_id: trigger, view: modal() as never });
    await expect(
      refusal(() => client.views.open({ trigger_id: trigger, view: modal() as never })),
    ).resolves.toMatchObject({
      error: 'invalid_trigger_id',
    });
    const updated = await client.views.update({
      view_id: opened.view?.id ?? '',
      view: modal([section('changed')]) as never,
    });
    expect(updated.view?.blocks).toEqual([section('changed')]);
    await expect(
      refusal(() =>
        client.views.update({ view_id: opened.view?.id ?? '', hash: 'stale', view: modal() as never }),
      ),
    ).resolves.toMatchObject({ error: 'hash_conflict' });
    await expect(
      refusal(() => client.views.update({ view_id: 'VNOPE', view: modal() as never })),
    ).resolves.toMatchObject({
      error: 'not_found',
    });
  });

  it('refuses a modal without a title or with a title over 24 characters', async () => {
    const trigger = () => slack.slashCommandPayload({ text: 'help' }).trigger_id ?? '';
    const { title: _title, ...untitled } = modal();
    await expect(
      refusal(() => client.views.open({ trigger_id: trigger(), view: untitled as never })),
    ).resolves.toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must provide a text object [json-pointer:/view/title]'],
    });
    const titled = { ...modal(), title: { type: 'plain_text', text: 'A title that is far too long' } };
    await expect(
      refusal(() => client.views.open({ trigger_id: trigger(), view: titled as never })),
    ).resolves.toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    });
  });

  it('lets a trigger expire after three seconds', async () => {
    const trigger = slack.slashCommandPayload({ text: 'help' }).trigger_id ?? '';
    slack.ageTriggers(3_001);
    await expect(
      refusal(() => client.views.open({ trigger_id: trigger, view: modal() as never })),
    ).resolves.toMatchObject({
      error: 'expired_trigger_id',
    });
    expect(slack.views).toEqual([]);
  });
});
