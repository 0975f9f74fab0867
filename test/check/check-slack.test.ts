import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkSlack, configuredChannels } from '../../src/check/check-slack.js';
import { parseConfig } from '../../src/config/config-file.js';
import { DeploybotError } from '../../src/core/errors.js';
import type { SlackChannel, SlackCheckPort, SlackSignIn } from '../../src/core/ports/slack-check.js';
import { REQUIRED_SLACK_SCOPES } from '../../src/core/slack-scopes.js';

const CONFIG = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web: { channel: C0WEB, environments: { production: {} } }
  octo-org/api: { channel: C0DEPLOYS, environments: { production: {} } }
  octo-org/docs: { channel: G0SECRET, environments: { production: {} } }
`,
  'deploybot.yml',
);

const SIGN_IN: SlackSignIn = {
  user: 'deploybot',
  userId: 'UBOT',
  team: 'Acme',
  scopes: [...REQUIRED_SLACK_SCOPES],
};

function fakeSlack(
  signIn: SlackSignIn | DeploybotError,
  channels: Record<string, Partial<SlackChannel> | DeploybotError>,
): SlackCheckPort {
  return {
    signIn: async () => {
      if (signIn instanceof DeploybotError) throw signIn;
      return signIn;
    },
    channel: async (id) => {
      const found = channels[id] ?? new DeploybotError('slack_channel_not_found', 'channel_not_found');
      if (found instanceof DeploybotError) throw found;
      return { id, name: id.toLowerCase(), isPrivate: false, isMember: true, isArchived: false, ...found };
    },
  };
}

const ALL_FINE = { C0DEPLOYS: {}, C0WEB: {}, G0SECRET: { isPrivate: true } };

describe('checkSlack', () => {
  it('names every channel of deploybot.yml once, the default first', () => {
    expect(configuredChannels(CONFIG)).toEqual(['C0DEPLOYS', 'C0WEB', 'G0SECRET']);
  });

  it('passes when the token, its scopes and every channel hold', async () => {
    const lines = await checkSlack(fakeSlack(SIGN_IN, ALL_FINE), CONFIG);
    expect(lines.map((line) => [line.ok, line.text])).toEqual([
      [true, 'Slack: signed in as @deploybot (UBOT) in Acme'],
      [true, 'Slack: the bot token has every scope deploybot needs'],
      [true, 'Slack channel #c0deploys (C0DEPLOYS): deploybot is a member'],
      [true, 'Slack channel #c0web (C0WEB): deploybot is a member'],
      [true, 'Slack channel #g0secret (G0SECRET): deploybot is a member'],
    ]);
  });

  it('stops at a token Slack refuses, saying how to get the right one', async () => {
    const refused = new DeploybotError('slack_unauthorized', 'invalid_auth', {
      details: { slackError: 'invalid_auth' },
    });
    expect(await checkSlack(fakeSlack(refused, ALL_FINE), CONFIG)).toEqual([
      {
        ok: false,
        text: 'Slack refuses SLACK_BOT_TOKEN (invalid_auth)',
        fix: expect.stringContaining('Bot User OAuth Token'),
      },
    ]);
  });

  it.each<
    [string, SlackSignIn['scopes'], Record<string, Partial<SlackChannel> | DeploybotError>, string, string]
  >([
    [
      'missing scopes',
      REQUIRED_SLACK_SCOPES.filter((s) => s !== 'groups:read' && s !== 'commands'),
      ALL_FINE,
      'Slack: the bot token lacks commands, groups:read',
      'reinstall the app',
    ],
    [
      'a channel that is not there',
      [...REQUIRED_SLACK_SCOPES],
      { ...ALL_FINE, G0SECRET: new DeploybotError('slack_channel_not_found', 'channel_not_found') },
      'Slack channel G0SECRET (repos."octo-org/docs".channel) is not found',
      'invite @deploybot there (/invite @deploybot)',
    ],
    [
      'a public channel it is not in, without chat:write.public',
      REQUIRED_SLACK_SCOPES.filter((s) => s !== 'chat:write.public'),
      { ...ALL_FINE, C0WEB: { isMember: false } },
      'Slack channel #c0web (C0WEB): deploybot is not a member and cannot post there',
      'or grant chat:write.public',
    ],
    [
      'an archived channel',
      [...REQUIRED_SLACK_SCOPES],
      { ...ALL_FINE, C0DEPLOYS: { isArchived: true } },
      'Slack channel #c0deploys (C0DEPLOYS) is archived',
      'slack.channel, repos."octo-org/api".channel',
    ],
  ])('fails on %s, with the fix', async (_name, scopes, channels, text, fix) => {
    const lines = await checkSlack(fakeSlack({ ...SIGN_IN, scopes }, channels), CONFIG);
    const failed = lines.filter((line) => !line.ok);
    expect(failed).toContainEqual({ ok: false, text, fix: expect.stringContaining(fix) });
  });

  it('lets chat:write.public post in a public channel it is not in', async () => {
    const lines = await checkSlack(fakeSlack(SIGN_IN, { ...ALL_FINE, C0WEB: { isMember: false } }), CONFIG);
    expect(lines).toContainEqual({
      ok: true,
      text: 'Slack channel #c0web (C0WEB): deploybot posts there without being a member (chat:write.public)',
    });
  });

  it('asks for the scopes manifest.yml asks for', async () => {
    const manifest = parse(await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8'));
    expect(manifest.oauth_config.scopes.bot).toEqual(REQUIRED_SLACK_SCOPES);
  });
});
