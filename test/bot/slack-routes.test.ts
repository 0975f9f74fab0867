import { App, LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createSlackRoutes } from '../../src/bot/slack-routes.js';

/** A Bolt app that talks to nothing: events are handed to it as its receiver would. */
function createBolt() {
  return new App({
    token: 'xoxb-routes',
    signingSecret: 'routes-signing-secret',
    botId: 'B0ROUTES',
    botUserId: 'U0ROUTESBOT',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
}

const blockAction = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T0TEAM', domain: 'team' },
  user: { id: 'U0ALICE', name: 'alice', team_id: 'T0TEAM' },
  api_app_id: 'A0APP',
  token: 'verification',
  trigger_id: '1.2.trigger',
  container: { type: 'message', message_ts: '1.2', channel_id: 'C0WEB', is_ephemeral: false },
  channel: { id: 'C0WEB', name: 'web' },
  response_url: 'http://127.0.0.1:1/response',
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'v', action_ts: '1.3' }],
});

const viewSubmission = (callbackId: string) => ({
  type: 'view_submission',
  team: { id: 'T0TEAM', domain: 'team' },
  user: { id: 'U0ALICE', name: 'alice', team_id: 'T0TEAM' },
  api_app_id: 'A0APP',
  token: 'verification',
  trigger_id: '1.2.trigger',
  view: {
    id: 'V0VIEW',
    type: 'modal',
    callback_id: callbackId,
    private_metadata: '',
    state: { values: {} },
    hash: 'h',
  },
});

const eventCallback = (event: Record<string, unknown>) => ({
  type: 'event_callback',
  team_id: 'T0TEAM',
  api_app_id: 'A0APP',
  token: 'verification',
  event_id: 'Ev0EVENT',
  event_time: 1_700_000_000,
  event: { ts: '1.2', event_ts: '1.2', ...event },
});

async function deliver(app: App, body: object): Promise<boolean> {
  let acked = false;
  await app.processEvent({
    body,
    ack: async () => {
      acked = true;
    },
  });
  return acked;
}

describe('Slack routes: one Bolt listener each for actions, view submissions and events', () => {
  it('hands each action to the route of its id, exact or by pattern, and only that one', async () => {
    const app = createBolt();
    const routes = createSlackRoutes(app);
    const taken: string[] = [];
    routes.action('deploy_confirm', async ({ ack, action }) => {
      taken.push(`exact ${action.action_id}`);
      await ack();
    });
    routes.action(/^home_deploy:/, async ({ ack, action }) => {
      taken.push(`pattern ${action.action_id}`);
      await ack();
    });
    expect(await deliver(app, blockAction('deploy_confirm'))).toBe(true);
    expect(await deliver(app, blockAction('home_deploy:octo-org/web'))).toBe(true);
    // No route: nothing runs and nothing acknowledges it, as with no Bolt listener.
    expect(await deliver(app, blockAction('deploy_cancel'))).toBe(false);
    expect(taken).toEqual(['exact deploy_confirm', 'pattern home_deploy:octo-org/web']);
  });

  it('hands a view submission to the route of its callback_id', async () => {
    const app = createBolt();
    const routes = createSlackRoutes(app);
    const taken: string[] = [];
    routes.view('lock_modal', async ({ ack, view }) => {
      taken.push(view.callback_id);
      await ack();
    });
    routes.view('deploy_modal', async ({ ack, view }) => {
      taken.push(view.callback_id);
      await ack();
    });
    expect(await deliver(app, viewSubmission('deploy_modal'))).toBe(true);
    expect(await deliver(app, viewSubmission('other_modal'))).toBe(false);
    expect(taken).toEqual(['deploy_modal']);
  });

  it('hands an event to the route of its type; Bolt acknowledges every event itself', async () => {
    const app = createBolt();
    const routes = createSlackRoutes(app);
    const taken: string[] = [];
    routes.event('app_mention', async ({ event }) => {
      taken.push(`mention ${event.text}`);
    });
    routes.event('app_home_opened', async ({ event }) => {
      taken.push(`home ${event.user}`);
    });
    const mention = { type: 'app_mention', user: 'U0ALICE', text: 'deploy web', channel: 'C0WEB' };
    expect(await deliver(app, eventCallback(mention))).toBe(true);
    expect(await deliver(app, eventCallback({ type: 'app_home_opened', user: 'U0BOB', tab: 'home' }))).toBe(
      true,
    );
    expect(await deliver(app, eventCallback({ type: 'reaction_added', user: 'U0ALICE' }))).toBe(true);
    expect(taken).toEqual(['mention deploy web', 'home U0BOB']);
  });

  it('refuses a second route for the same id: one of them would never run', () => {
    const routes = createSlackRoutes(createBolt());
    routes.action('deploy_confirm', async () => undefined);
    expect(() => routes.action('deploy_confirm', async () => undefined)).toThrow(/deploy_confirm/);
    routes.view('lock_modal', async () => undefined);
    expect(() => routes.view('lock_modal', async () => undefined)).toThrow(/lock_modal/);
    routes.event('app_mention', async () => undefined);
    expect(() => routes.event('app_mention', async () => undefined)).toThrow(/app_mention/);
  });
});
