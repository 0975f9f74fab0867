import type { EnvironmentConfig } from '../core/config.js';
import { type Asker, groupsOf } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';

/** The asker as the policy sees them: with those of the environment's deployer and admin groups they are in. */
export async function askerFor(
  chat: ChatPort,
  environment: EnvironmentConfig,
  userId: string,
): Promise<Asker> {
  const groups = groupsOf(environment);
  const memberships = await Promise.all(
    groups.map(async (group) => ((await chat.userGroupMembers(group)).has(userId) ? group : undefined)),
  );
  return { environment, userId, userGroups: memberships.filter((g): g is string => g !== undefined) };
}
