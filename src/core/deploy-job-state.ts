/**
 * A deploy job's life in deploybot's store: it waits (`queued`), runs (`running`) and ends
 * (`finished`). Which change may happen in which state is decided here, once; the stores
 * carry the decision out atomically, the deployer decides with it.
 */
export const DEPLOY_JOB_STATES = ['queued', 'running', 'finished'] as const;

export type DeployJobState = (typeof DEPLOY_JOB_STATES)[number];

/** What happens to a job: a process takes it, it ends, or it goes back to wait. */
export type DeployJobEvent = 'claim' | 'finish' | 'requeue';

/**
 * From which states each change may happen, and the state it leads to. A job may finish
 * before it ran (refused, cancelled while waiting); it goes back to the queue only from
 * running, when deploybot stopped before any of it ran. Nothing leaves `finished`.
 */
export const JOB_TRANSITIONS = {
  claim: { from: ['queued'], to: 'running' },
  finish: { from: ['queued', 'running'], to: 'finished' },
  requeue: { from: ['running'], to: 'queued' },
} as const satisfies Record<
  DeployJobEvent,
  { readonly from: readonly DeployJobState[]; readonly to: DeployJobState }
>;

/** The states `event` may happen in. */
export type JobStateBefore<E extends DeployJobEvent> = (typeof JOB_TRANSITIONS)[E]['from'][number];

/** A job not finished yet: it waits or runs, and still owes an outcome. */
export type UnfinishedJobState = JobStateBefore<'finish'>;

export function isDeployJobState(value: unknown): value is DeployJobState {
  return typeof value === 'string' && (DEPLOY_JOB_STATES as readonly string[]).includes(value);
}

export function canApplyJobEvent<E extends DeployJobEvent>(
  state: DeployJobState,
  event: E,
): state is JobStateBefore<E> {
  return (JOB_TRANSITIONS[event].from as readonly DeployJobState[]).includes(state);
}

/** The state after `event`, or undefined when `event` cannot happen in `state`. */
export function applyJobEvent(state: DeployJobState, event: DeployJobEvent): DeployJobState | undefined {
  return canApplyJobEvent(state, event) ? JOB_TRANSITIONS[event].to : undefined;
}

export function isUnfinished(state: DeployJobState): state is UnfinishedJobState {
  return canApplyJobEvent(state, 'finish');
}

/** Whether a job waits for a process to take it: only then can it be dropped from the queue. */
export function isWaiting(state: DeployJobState): state is JobStateBefore<'claim'> {
  return canApplyJobEvent(state, 'claim');
}
