import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/bot/slack-chat.js';
import { createLogger } from '../../src/logger.js';
import { createManualClock } from '../support/manual-clock.js';

/** A WebClient whose usergroups.users.list answers from `groups`, or throws what `fail` gives. */
function fakeSlack(groups: Record<string, string[]>, fail?: (group: string) => unknown) {
  const asked: string[] = [];
  const client = {
    usergroups: {
      users: {
        list: async ({ usergroup }: { usergroup: string }) => {
          asked.push(usergroup);
          const failure = fail?.(usergroup);
          if (failure !== undefined) throw failure;
          return { ok: true, users: groups[usergroup] ?? [] };
        },
      },
    },
  } as unknown as WebClient;
  return { client, asked };
}

const platformError = (error: string) => ({ code: 'slack_webapi_platform_error', data: { error } });

function chatOf(client: WebClient) {
  const clock = createManualClock();
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } });
  return { chat: createSlackChat({ client, clock, logger }), clock, lines };
}

describe('Slack user groups behind the chat port', () => {
  it('keeps a group’s members for a minute, then asks Slack again', async () => {
    const { client, asked } = fakeSlack({ S0DEVS: ['U0CAROL'] });
    const { chat, clock } = chatOf(client);
    expect([...(await chat.userGroupMembers('S0DEVS'))]).toEqual(['U0CAROL']);
    clock.advance(59_999);
    await chat.userGroupMembers('S0DEVS');
    expect(asked).toEqual(['S0DEVS']);
    clock.advance(1);
    await chat.userGroupMembers('S0DEVS');
    expect(asked).toEqual(['S0DEVS', 'S0DEVS']);
  });

  it('grants nothing for a group Slack does not know, and logs it', async () => {
    const { client, asked } = fakeSlack({}, () => platformError('no_such_subteam'));
    const { chat, lines } = chatOf(client);
    expect((await chat.userGroupMembers('S0GONE')).size).toBe(0);
    await chat.userGroupMembers('S0GONE');
    expect(asked).toEqual(['S0GONE']);
    expect(lines.join('')).toContain('user group lookup failed');
  });

  it('stops the command when Slack cannot be reached', async () => {
    const { client } = fakeSlack({}, () => new Error('socket hang up'));
    const { chat } = chatOf(client);
    await expect(chat.userGroupMembers('S0DEVS')).rejects.toMatchObject({ code: 'slack_unavailable' });
  });
});
