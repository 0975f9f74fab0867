import type { EnvironmentConfig } from '../core/config.js';
import { type Asker, groupsOf } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';
import { standingOf, type UserStanding } from '../core/user-standing.js';

/** Where the user stands in deploybot's workspace: a member, a guest, or a user of another. */
export async function standingFor(
  chat: Pick<ChatPort, 'userInfo' | 'workspaceId'>,
  userId: string,
): Promise<UserStanding> {
  const [user, workspace] = await Promise.all([chat.userInfo(userId), chat.workspaceId()]);
  return standingOf(user, workspace);
}

/**
 * The asker as the policy sees them: their standing, and those of the environment's deployer
 * and admin groups they are in (none for a guest or an outsider: only their user ID admits them).
 */
export async function askerFor(
  chat: ChatPort,
  environment: EnvironmentConfig,
  userId: string,
): Promise<Asker> {
  const standing = await standingFor(chat, userId);
  if (standing !== 'member') return { environment, userId, userGroups: [], standing };
  const groups = groupsOf(environment);
  const memberships = await Promise.all(
    groups.map(async (group) => ((await chat.userGroupMembers(group)).has(userId) ? group : undefined)),
  );
  return {
    environment,
    userId,
    userGroups: memberships.filter((g): g is string => g !== undefined),
    standing,
  };
}
