import { z } from 'zod';
import { DEPLOYMENT_STATES } from '../core/deployment-state.js';
import { DeploybotError } from '../core/errors.js';

// Only the fields deploybot reads; GitHub sends many more, and zod drops the rest.
const user = z.object({ login: z.string() });

export const repositorySchema = z.object({
  full_name: z.string(),
  name: z.string(),
  owner: user,
  html_url: z.string(),
});

export const pullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int(),
  pull_request: z.object({
    number: z.number().int(),
    title: z.string(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().nullish(),
    user: user.nullish(),
    base: z.object({ ref: z.string(), repo: repositorySchema }),
  }),
  repository: repositorySchema,
});

export const deploymentSchema = z.object({
  id: z.number().int(),
  sha: z.string(),
  ref: z.string(),
  task: z.string(),
  environment: z.string(),
  payload: z.unknown(),
  description: z.string().nullish(),
  creator: user.nullish(),
  created_at: z.string(),
});

export const deploymentStatusEventSchema = z.object({
  deployment_status: z.object({
    id: z.number().int(),
    state: z.enum(DEPLOYMENT_STATES),
    description: z.string().nullish(),
    target_url: z.string().nullish(),
    log_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    created_at: z.string(),
  }),
  deployment: deploymentSchema,
  repository: repositorySchema,
});

export const deploymentEventSchema = z.object({
  action: z.string().optional(),
  deployment: deploymentSchema,
  repository: repositorySchema,
});

export const statusEventSchema = z.object({
  sha: z.string(),
  state: z.string(),
  context: z.string(),
  repository: repositorySchema,
});

export const checkSuiteEventSchema = z.object({
  action: z.string(),
  check_suite: z.object({
    head_sha: z.string(),
    status: z.string().nullish(),
    conclusion: z.string().nullish(),
  }),
  repository: repositorySchema,
});

/** The schema of each event a handler acts on: what of its payload deploybot reads. */
export const HANDLED_EVENT_SCHEMAS: Readonly<Record<string, z.ZodType<Record<string, unknown>>>> = {
  pull_request: pullRequestEventSchema,
  deployment: deploymentEventSchema,
  deployment_status: deploymentStatusEventSchema,
  status: statusEventSchema,
  check_suite: checkSuiteEventSchema,
};

/**
 * What of a delivery's payload is stored: the fields its handler reads (a deployment_status
 * payload is ~8 KB, of which deploybot reads ~1 KB). A payload its handler would refuse is kept
 * whole, so the refusal, when it is handled, names what was wrong.
 */
export function slimPayload(event: string, payload: Record<string, unknown>): Record<string, unknown> {
  const schema = HANDLED_EVENT_SCHEMAS[event];
  if (!schema) return payload;
  const parsed = schema.safeParse(payload);
  return parsed.success ? parsed.data : payload;
}

export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, event: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new DeploybotError('bad_request', `unexpected ${event} payload: ${where}`, { retryable: false });
  }
  return result.data;
}
