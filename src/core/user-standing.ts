/**
 * Where a Slack user stands in deploybot's workspace: a full member, a guest
 * (`is_restricted` / `is_ultra_restricted`), or a user of another workspace (Slack Connect).
 */
export type UserStanding = 'member' | 'guest' | 'outsider';

/** What the chat service says about a user; the standing is decided here, not by the adapter. */
export interface ChatUserFacts {
  /** Their workspace (`team_id`); undefined when Slack did not say. */
  readonly teamId: string | undefined;
  readonly isGuest: boolean;
}

/** Unknown workspace counts as another: only a user Slack places in ours is a member. */
export function standingOf(user: ChatUserFacts, ownTeamId: string): UserStanding {
  if (user.teamId !== ownTeamId) return 'outsider';
  return user.isGuest ? 'guest' : 'member';
}
