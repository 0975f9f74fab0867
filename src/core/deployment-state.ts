/** GitHub's seven deployment status states. */
export const DEPLOYMENT_STATES = [
  'queued',
  'pending',
  'in_progress',
  'success',
  'failure',
  'error',
  'inactive',
] as const;

export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const FINAL_STATES: ReadonlySet<DeploymentState> = new Set([
  'success',
  'failure',
  'error',
  'inactive',
]);

/**
 * Which state may follow which. `inactive` follows `success` when GitHub retires an
 * older deployment of the same environment. A final state is never left except for
 * that retirement.
 */
const TRANSITIONS: Readonly<Record<DeploymentState, readonly DeploymentState[]>> = {
  queued: ['queued', 'pending', 'in_progress', 'success', 'failure', 'error', 'inactive'],
  pending: ['pending', 'in_progress', 'success', 'failure', 'error', 'inactive'],
  in_progress: ['in_progress', 'success', 'failure', 'error', 'inactive'],
  success: ['inactive'],
  failure: [],
  error: [],
  inactive: [],
};

export function isDeploymentState(value: unknown): value is DeploymentState {
  return typeof value === 'string' && (DEPLOYMENT_STATES as readonly string[]).includes(value);
}

export function isFinalState(state: DeploymentState): boolean {
  return FINAL_STATES.has(state);
}

export function canTransition(from: DeploymentState | undefined, to: DeploymentState): boolean {
  if (from === undefined) return true;
  return TRANSITIONS[from].includes(to);
}
