/**
 * How deploybot keys what it keeps per repository: GitHub treats `Octo-Org/Web` and
 * `octo-org/web` as one repository, so everything stored or queued per repository uses this.
 */
export function repoKey(fullName: string): string {
  return fullName.toLowerCase();
}
