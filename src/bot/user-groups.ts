import type { WebClient } from '@slack/web-api';
import type { EnvironmentConfig } from '../core/config.js';
import type { Asker } from '../core/policy.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { mapSlackError } from './slack-errors.js';

const CACHE_MS = 60_000;

/**
 * Which of the given Slack user groups (S…) a user belongs to. Group membership changes
 * rarely and permission checks happen on every command, so answers are kept a minute.
 */
export function createUserGroupResolver(options: {
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
}) {
  const cache = new Map<string, { readonly at: number; readonly members: ReadonlySet<string> }>();

  async function membersOf(group: string): Promise<ReadonlySet<string>> {
    const now = options.clock.now();
    const cached = cache.get(group);
    if (cached && now - cached.at < CACHE_MS) return cached.members;
    try {
      const result = await options.client.usergroups.users.list({ usergroup: group });
      const members = new Set(result.users ?? []);
      cache.set(group, { at: now, members });
      return members;
    } catch (error) {
      const mapped = mapSlackError(error, { usergroup: group });
      // A group deleted or renamed in Slack grants nothing; only an unreachable Slack stops the command.
      if (mapped.retryable) throw mapped;
      options.logger.warn(
        { usergroup: group, slackError: mapped.details.slackError },
        'user group lookup failed',
      );
      const none = new Set<string>();
      cache.set(group, { at: now, members: none });
      return none;
    }
  }

  async function groupsOf(userId: string, groups: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(groups.filter((g) => g.startsWith('S')))];
    const memberships = await Promise.all(
      wanted.map(async (g) => ((await membersOf(g)).has(userId) ? g : undefined)),
    );
    return memberships.filter((g): g is string => g !== undefined);
  }

  return {
    /** The asker as the policy sees them: with those of the environment's deployer and admin groups they are in. */
    async askerFor(environment: EnvironmentConfig, userId: string): Promise<Asker> {
      const groups = [...(environment.deployers ?? []), ...environment.admins];
      return { environment, userId, userGroups: await groupsOf(userId, groups) };
    },
  };
}

export type UserGroupResolver = ReturnType<typeof createUserGroupResolver>;
