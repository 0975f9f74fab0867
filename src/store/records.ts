import { z } from 'zod';
import type { ChatDeployPlan } from '../core/chat-deploy.js';
import type { Lock } from '../core/lock.js';
import type { LockTakeover } from '../core/lock-policy.js';
import type { DeploymentRequest, LockWaitRequest } from '../core/merge-deploy.js';
import type { DeployPayload } from '../core/payload.js';
import { jsonColumn, UNCHANGED } from './json-column.js';

/**
 * The schema and version of every JSON column: what only deploybot knows, typed at the store
 * boundary. A change to one of these shapes bumps its version and adds an upgrade from the
 * previous one, so rows written by an older release keep being read correctly.
 */

const deployPayload: z.ZodType<DeployPayload> = z.object({
  deploy_user: z.string(),
  pull_request: z.number().int().exactOptional(),
  forced: z.boolean().exactOptional(),
  rollback: z.boolean().exactOptional(),
  approved_by: z.array(z.string()).exactOptional(),
  notify: z.object({
    adapter: z.literal('slack'),
    channel: z.string(),
    user: z.string().exactOptional(),
    thread_ts: z.string().exactOptional(),
  }),
});

const deploymentRequest: z.ZodType<DeploymentRequest> = z.object({
  owner: z.string(),
  repo: z.string(),
  ref: z.string(),
  environment: z.string(),
  task: z.literal('deploy'),
  auto_merge: z.literal(false),
  required_contexts: z.array(z.string()).exactOptional(),
  description: z.string(),
  production_environment: z.boolean(),
  payload: deployPayload,
});

const chatDeployPlan: z.ZodType<ChatDeployPlan> = z.object({
  repository: z.string(),
  owner: z.string(),
  repo: z.string(),
  environment: z.string(),
  ref: z.string(),
  sha: z.string(),
  force: z.boolean(),
  rollback: z.boolean(),
  userId: z.string(),
  deployUser: z.string(),
  channel: z.string(),
  threadTs: z.string().exactOptional(),
  announceThreadTs: z.string().exactOptional(),
  confirmed: z.boolean(),
  approvedBy: z.array(z.string()),
  // Optional, so rows of earlier releases read unchanged.
  merge: z
    .object({
      request: deploymentRequest,
      repositoryUrl: z.string(),
      pullRequest: z.number().int(),
      author: z.string(),
    })
    .exactOptional(),
});

const lock: z.ZodType<Lock> = z.object({
  repository: z.string(),
  environment: z.string(),
  holder: z.string(),
  reason: z.string().exactOptional(),
  lockedAt: z.number(),
  expiresAt: z.number().exactOptional(),
});

const lockTakeover: z.ZodType<LockTakeover> = z.object({ lock, previous: lock });

/** `confirmations.request` of deploy, force and approval buttons. */
export const chatDeployPlanColumn = jsonColumn({
  name: 'confirmations.request (deploy)',
  version: 1,
  schema: chatDeployPlan,
  upgrades: { 0: UNCHANGED },
});

/** `confirmations.request` of lock take-over buttons. */
export const lockTakeoverColumn = jsonColumn({
  name: 'confirmations.request (steal)',
  version: 1,
  schema: lockTakeover,
  upgrades: { 0: UNCHANGED },
});

export const lockWaitRequestColumn = jsonColumn<LockWaitRequest>({
  name: 'lock_waits.request',
  version: 1,
  schema: z.object({ request: deploymentRequest, repositoryUrl: z.string() }),
  upgrades: { 0: UNCHANGED },
});

export const pendingDeployRequestColumn = jsonColumn({
  name: 'pending_deploys.request',
  version: 1,
  schema: deploymentRequest,
  upgrades: { 0: UNCHANGED },
});

export const waitingForColumn = jsonColumn<readonly string[]>({
  name: 'pending_deploys.waiting_for',
  version: 1,
  schema: z.array(z.string()),
  upgrades: { 0: UNCHANGED },
});

/** A webhook's payload as GitHub sent it (a JSON object), or null for a delivery kept by id only. */
export const deliveryPayloadColumn = jsonColumn<unknown>({
  name: 'webhook_deliveries.payload',
  version: 1,
  schema: z.union([z.record(z.string(), z.unknown()), z.null()]),
  upgrades: { 0: UNCHANGED },
});

/** A deployment's payload as GitHub keeps it: whatever its creator sent (an object, a string). */
export const deployJobPayloadColumn = jsonColumn<unknown>({
  name: 'deploy_jobs.payload',
  version: 1,
  schema: z.json(),
  upgrades: { 0: UNCHANGED },
});
