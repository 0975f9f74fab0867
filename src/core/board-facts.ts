/**
 * The decisions behind the App Home board, from plain inputs: what runs in an environment
 * and what is on its way, whether the viewer sees the environment, and which buttons they get.
 * The same policy as chat decides; the board only shows what chat would allow.
 */
import type { BoardAction, BoardEnvironment } from './home-board.js';
import { activeLock, type Lock } from './lock.js';
import { decideUnlock } from './lock-policy.js';
import { type Asker, checkDeployPermission, checkMembership } from './policy.js';
import type { DeploymentSummary } from './ports/github.js';

const ON_ITS_WAY = new Set(['queued', 'pending', 'in_progress']);

/**
 * What runs there now (the newest success) and the newest deployment after it still on its
 * way; GitHub lists the newest first.
 */
export function currentAndRunning(
  recent: readonly DeploymentSummary[],
): Pick<BoardEnvironment, 'current' | 'running'> {
  const currentAt = recent.findIndex((d) => d.state === 'success');
  const newer = currentAt < 0 ? recent : recent.slice(0, currentAt);
  const running = newer.find((d) => d.state === undefined || ON_ITS_WAY.has(d.state));
  const current = currentAt < 0 ? undefined : recent[currentAt];
  return {
    ...(current === undefined
      ? {}
      : {
          current: {
            ref: current.ref,
            sha: current.sha,
            deployer: current.deployer,
            at: current.statusAt ?? current.createdAt,
            ...(current.environmentUrl === undefined ? {} : { environmentUrl: current.environmentUrl }),
          },
        }),
    ...(running === undefined
      ? {}
      : {
          running: {
            ref: running.ref,
            sha: running.sha,
            state: running.state ?? 'pending',
            since: running.createdAt,
            ...(running.logUrl === undefined ? {} : { logUrl: running.logUrl }),
          },
        }),
  };
}

/** Guests and users of other workspaces see only the environments that list them. */
export function maySeeEnvironment(asker: Asker): boolean {
  return checkMembership(asker).allowed;
}

/**
 * The buttons the viewer gets: those who may deploy there get Deploy… and Rollback, and
 * Lock… while it is unlocked; Unlock shows to whoever may lift the lock (its holder, an admin).
 */
export function boardActionsFor(asker: Asker, lock: Lock | undefined, now: number): BoardAction[] {
  if (!checkDeployPermission(asker).allowed) return [];
  const active = activeLock(lock, now);
  if (active === undefined) return ['deploy', 'lock', 'rollback'];
  const unlock = decideUnlock(active, { ...asker, now }).action === 'unlock';
  return unlock ? ['deploy', 'unlock', 'rollback'] : ['deploy', 'rollback'];
}
