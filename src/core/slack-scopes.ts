/** The bot scopes manifest.yml asks for; `deploybot check` reports any the installed app lacks. */
export const REQUIRED_SLACK_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'chat:write.public',
  'app_mentions:read',
  'users:read',
  'usergroups:read',
  'channels:read',
  'groups:read',
  // Finding a message whose post was answered to a process that died, so it is not posted twice.
  'channels:history',
  'groups:history',
];

/** The required scopes missing from `granted`, in the order above. */
export function findMissingScopes(
  granted: readonly string[],
  required: readonly string[] = REQUIRED_SLACK_SCOPES,
): string[] {
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}
