/** Where a deployment's log page lives, under PUBLIC_URL; the token makes the address unguessable. */
export const LOG_PAGE_PREFIX = '/deploys';

export function buildLogPath(deploymentId: number, token: string): string {
  return `${LOG_PAGE_PREFIX}/${deploymentId}/${encodeURIComponent(token)}`;
}

export function buildLogUrl(publicUrl: string, deploymentId: number, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${buildLogPath(deploymentId, token)}`;
}
