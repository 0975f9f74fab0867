import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/bot/slack-chat.js';
import { createLogger } from '../../src/logger.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { createManualClock } from '../support/manual-clock.js';

describe('Slack users behind the chat port', () => {
  let slack: SlackStandIn;
  beforeEach(async () => {
    slack = await startSlackStandIn({
      users: [
        { id: 'U0ALICE', name: 'alice' },
        { id: 'U0GUEST', name: 'guest', isRestricted: true },
        { id: 'U0SINGLE', name: 'single', isUltraRestricted: true },
        { id: 'U0PARTNER', name: 'partner', teamId: 'T0PARTNER' },
      ],
    });
  });
  afterEach(async () => {
    await slack.close();
  });

  function chatOf() {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const clock = createManualClock();
    const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });
    return { chat: createSlackChat({ client, clock, logger }), clock };
  }

  it("reads each user's workspace and guest flags from users.info, and the bot's from auth.test", async () => {
    const { chat } = chatOf();
    expect(await chat.workspaceId()).toBe(slack.teamId);
    expect(await chat.userInfo('U0ALICE')).toEqual({ teamId: slack.teamId, isGuest: false, name: 'alice' });
    expect(await chat.userInfo('U0GUEST')).toMatchObject({ teamId: slack.teamId, isGuest: true });
    expect(await chat.userInfo('U0SINGLE')).toMatchObject({ isGuest: true });
    expect(await chat.userInfo('U0PARTNER')).toMatchObject({ teamId: 'T0PARTNER', isGuest: false });
    // Slack does not know them: no workspace, so no member of ours.
    expect(await chat.userInfo('U0NOBODY')).toEqual({ teamId: undefined, isGuest: false, name: 'U0NOBODY' });
  });

  it('keeps a user for a minute and the workspace for good, then asks Slack again', async () => {
    const { chat, clock } = chatOf();
    await chat.userInfo('U0ALICE');
    await chat.workspaceId();
    slack.setUser({ id: 'U0ALICE', name: 'alice', isRestricted: true });
    clock.advance(59_999);
    expect(await chat.userInfo('U0ALICE')).toMatchObject({ isGuest: false });
    await chat.workspaceId();
    clock.advance(1);
    expect(await chat.userInfo('U0ALICE')).toMatchObject({ isGuest: true });
    const asked = (method: string) => slack.calls.filter((c) => c.method === method).length;
    expect(asked('users.info')).toBe(2);
    expect(asked('auth.test')).toBe(1);
  });

  it('fails, uncached, while Slack is unreachable', async () => {
    const { chat } = chatOf();
    slack.failNext('users.info', 'ratelimited');
    await expect(chat.userInfo('U0ALICE')).rejects.toMatchObject({ retryable: true });
    expect(await chat.userInfo('U0ALICE')).toMatchObject({ teamId: slack.teamId });
  });
});
