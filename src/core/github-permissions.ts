/**
 * What deploybot needs of GitHub: the permissions of its credential and, for a GitHub App, the
 * webhook events it subscribes to. The App manifest, `deploybot check` and the README agree on
 * these because they all read them from here.
 */

export type PermissionLevel = 'read' | 'write';

export type GitHubPermissions = Readonly<Record<string, string>>;

/** GitHub's permission names (as in an App manifest and GET /app) with the level deploybot needs. */
export const REQUIRED_GITHUB_PERMISSIONS: Readonly<Record<string, PermissionLevel>> = {
  deployments: 'write',
  contents: 'read',
  statuses: 'read',
  checks: 'read',
  metadata: 'read',
  // An App receives the pull_request event only with this permission.
  pull_requests: 'read',
};

/** The events a GitHub App of deploybot subscribes to; each needs one of the permissions above. */
export const GITHUB_APP_EVENTS: readonly string[] = [
  'pull_request',
  'deployment',
  'deployment_status',
  'status',
  'check_suite',
];

/** How GitHub's settings pages name each permission. */
export const PERMISSION_TITLES: Readonly<Record<string, string>> = {
  deployments: 'Deployments',
  contents: 'Contents',
  statuses: 'Commit statuses',
  checks: 'Checks',
  metadata: 'Metadata',
  pull_requests: 'Pull requests',
};

const RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

export interface MissingPermission {
  readonly name: string;
  readonly needed: PermissionLevel;
  /** What the credential has: 'none' when it lacks the permission altogether. */
  readonly granted: string;
}

/** The needed permissions that `granted` lacks or holds at too low a level, in the order of `needed`. */
export function findMissingPermissions(
  granted: GitHubPermissions,
  needed: Readonly<Record<string, PermissionLevel>> = REQUIRED_GITHUB_PERMISSIONS,
): MissingPermission[] {
  return Object.entries(needed).flatMap(([name, level]) => {
    const has = granted[name] ?? 'none';
    return (RANK[has] ?? 0) >= RANK[level]! ? [] : [{ name, needed: level, granted: has }];
  });
}

/** "Deployments: write, Checks: read", as GitHub's settings pages word them. */
export function describePermissions(
  permissions: readonly { name: string; needed: PermissionLevel }[],
): string {
  return permissions
    .map((p) => `${PERMISSION_TITLES[p.name] ?? p.name}: ${p.needed === 'write' ? 'read and write' : 'read'}`)
    .join(', ');
}
