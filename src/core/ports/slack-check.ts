/** Who the bot token signs in as (`auth.test`), with the scopes Slack says it has. */
export interface SlackSignIn {
  readonly user: string;
  readonly userId: string;
  readonly team: string;
  /** From Slack's `x-oauth-scopes`; undefined when Slack did not say. */
  readonly scopes: readonly string[] | undefined;
}

export interface SlackChannel {
  readonly id: string;
  readonly name: string | undefined;
  readonly isPrivate: boolean;
  readonly isMember: boolean;
  readonly isArchived: boolean;
}

/**
 * What `deploybot check` asks Slack. Refusals come back as DeploybotErrors with Slack codes
 * (`slack_unauthorized`, `slack_channel_not_found`, …; `details.slackError` holds Slack's word).
 */
export interface SlackCheckPort {
  signIn(): Promise<SlackSignIn>;
  channel(id: string): Promise<SlackChannel>;
}
