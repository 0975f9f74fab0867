import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateOf } from '../../src/stand-ins/slack/view-payloads.js';
import {
  type SlackStandIn,
  signSlackRequest,
  startSlackStandIn,
} from '../../src/stand-ins/slack-stand-in.js';

const SECRET = 'signing-secret';

/** An app endpoint that records what the stand-in sent it, and answers `{}`. */
async function startRecorder() {
  const received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"response_action":"clear"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const payloadOf = (body: string) => JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');

describe('view payloads the Slack stand-in sends', () => {
  let slack: SlackStandIn;
  let app: Awaited<ReturnType<typeof startRecorder>>;

  beforeEach(async () => {
    slack = await startSlackStandIn();
    app = await startRecorder();
  });
  afterEach(async () => {
    await app.close();
    await slack.close();
  });

  it('signs app_home_opened as an event callback, as Slack does', async () => {
    await slack.sendAppHomeOpened(app.url, SECRET, 'U0ALICE');
    const [sent] = app.received;
    const timestamp = Number(sent?.headers['x-slack-request-timestamp']);
    expect(sent?.headers['x-slack-signature']).toBe(signSlackRequest(SECRET, timestamp, sent?.body ?? ''));
    const callback = JSON.parse(sent?.body ?? '{}');
    expect(callback).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home' },
    });
  });

  it('sends a shortcut with a trigger_id that opens one modal', async () => {
    await slack.sendShortcut(app.url, SECRET, { callbackId: 'deploy', userId: 'U0BOB' });
    const shortcut = payloadOf(app.received[0]?.body ?? '');
    expect(shortcut).toMatchObject({ type: 'shortcut', callback_id: 'deploy', user: { id: 'U0BOB' } });
    expect(typeof shortcut.trigger_id).toBe('string');
  });

  it('builds view.state.values from what was typed, chosen, or left as it was', () => {
    const view = {
      blocks: [
        {
          type: 'input',
          block_id: 'repo',
          element: {
            type: 'static_select',
            action_id: 'r',
            options: [
              { text: { type: 'plain_text', text: 'a' }, value: 'a' },
              { text: { type: 'plain_text', text: 'b' }, value: 'b' },
            ],
            initial_option: { text: { type: 'plain_text', text: 'a' }, value: 'a' },
          },
        },
        { type: 'input', block_id: 'ref', element: { type: 'plain_text_input', action_id: 't' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'not an input' } },
      ],
    };
    expect(stateOf(view, {})).toEqual({
      repo: {
        r: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'a' }, value: 'a' },
        },
      },
      ref: { t: { type: 'plain_text_input', value: null } },
    });
    expect(stateOf(view, { repo: 'b', ref: 'main' })).toMatchObject({
      repo: { r: { selected_option: { value: 'b' } } },
      ref: { t: { value: 'main' } },
    });
    expect(() => stateOf(view, { repo: 'c' })).toThrow(/no option c/);
  });

  it('refuses to send about a view it does not hold', async () => {
    await expect(
      slack.sendViewSubmission(app.url, SECRET, { viewId: 'VNONE', userId: 'U0ALICE', inputs: {} }),
    ).rejects.toThrow(/holds no view VNONE/);
  });
});
