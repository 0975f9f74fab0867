import type { Config } from '../core/config.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import type { SlackCheckPort, SlackSignIn } from '../core/ports/slack-check.js';
import { findMissingScopes } from '../core/slack-scopes.js';
import { type CheckLine, fail, pass } from './check-line.js';

/** Every channel deploybot.yml names, the default first, each once. */
export function configuredChannels(config: Config): string[] {
  return [
    ...new Set([
      config.slack.channel,
      ...config.repos.flatMap((repo) => (repo.channel ? [repo.channel] : [])),
    ]),
  ];
}

function whereConfigured(config: Config, channel: string): string {
  const places = [
    ...(config.slack.channel === channel ? ['slack.channel'] : []),
    ...config.repos
      .filter((repo) => repo.channel === channel)
      .map((repo) => `repos."${repo.fullName}".channel`),
  ];
  return places.join(', ');
}

async function checkChannel(
  slack: SlackCheckPort,
  config: Config,
  channel: string,
  signIn: SlackSignIn,
): Promise<CheckLine> {
  const invite = `invite @${signIn.user || 'deploybot'} there (/invite @${signIn.user || 'deploybot'})`;
  try {
    const info = await slack.channel(channel);
    const named = `Slack channel ${info.name ? `#${info.name} ` : ''}(${channel})`;
    if (info.isArchived)
      return fail(
        `${named} is archived`,
        `Unarchive it, or name another channel in deploybot.yml (${whereConfigured(config, channel)})`,
      );
    if (info.isMember) return pass(`${named}: deploybot is a member`);
    if (info.isPrivate) return fail(`${named} is private and deploybot is not in it`, `In Slack, ${invite}`);
    if (signIn.scopes?.includes('chat:write.public')) {
      return pass(`${named}: deploybot posts there without being a member (chat:write.public)`);
    }
    return fail(
      `${named}: deploybot is not a member and cannot post there`,
      `In Slack, ${invite}, or grant chat:write.public`,
    );
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    if (error.code === 'slack_channel_not_found') {
      return fail(
        `Slack channel ${channel} (${whereConfigured(config, channel)}) is not found`,
        `It does not exist, or it is private and deploybot is not in it: ${invite}, or fix the channel ID in deploybot.yml`,
      );
    }
    return fail(
      `Slack channel ${channel}: ${presentError(error).text}`,
      'Check the channel ID and the bot token, then run npm run check again',
    );
  }
}

/** Slack as deploybot needs it: the bot token, its scopes, every channel deploybot.yml names. */
export async function checkSlack(slack: SlackCheckPort, config: Config): Promise<CheckLine[]> {
  let signIn: SlackSignIn;
  try {
    signIn = await slack.signIn();
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    const why = typeof error.details.slackError === 'string' ? ` (${error.details.slackError})` : '';
    return [
      fail(
        error.code === 'slack_unauthorized'
          ? `Slack refuses SLACK_BOT_TOKEN${why}`
          : `Slack cannot be asked: ${presentError(error).text}`,
        'Copy OAuth & Permissions → Bot User OAuth Token (xoxb-…) of the installed app into SLACK_BOT_TOKEN; reinstalling the app changes it',
      ),
    ];
  }
  const lines = [pass(`Slack: signed in as @${signIn.user} (${signIn.userId}) in ${signIn.team}`)];
  if (signIn.scopes === undefined) {
    lines.push(
      fail(
        'Slack did not say which scopes the bot token has',
        'Compare OAuth & Permissions → Bot Token Scopes with manifest.yml',
      ),
    );
  } else {
    const missing = findMissingScopes(signIn.scopes);
    lines.push(
      missing.length === 0
        ? pass('Slack: the bot token has every scope deploybot needs')
        : fail(
            `Slack: the bot token lacks ${missing.join(', ')}`,
            'Add them under OAuth & Permissions → Bot Token Scopes (manifest.yml lists them all), then reinstall the app to the workspace',
          ),
    );
  }
  for (const channel of configuredChannels(config))
    lines.push(await checkChannel(slack, config, channel, signIn));
  return lines;
}
