import { z } from 'zod';
import { DEPLOYMENT_STATES } from '../../core/deployment-state.js';
import type { HandleReconciledDeployment } from '../../deploys/handle-reconciled-deployment.js';
import { parsePayload } from '../payloads.js';
import type { WebhookHandler } from './webhook-handler.js';

/** What reconcile-with-github.ts stores: a deployment as GitHub listed it, and its latest status. */
const reconciledDeploymentSchema = z.object({
  repository: z.string(),
  deployment: z.object({
    id: z.number().int(),
    sha: z.string(),
    ref: z.string(),
    environment: z.string(),
    createdAt: z.string(),
    task: z.string(),
    payload: z.unknown(),
    creator: z.string().optional(),
    description: z.string().optional(),
  }),
  status: z
    .object({
      id: z.number().int(),
      state: z.enum(DEPLOYMENT_STATES),
      createdAt: z.string(),
      description: z.string().optional(),
      logUrl: z.string().optional(),
      environmentUrl: z.string().optional(),
    })
    .optional(),
});

/** Not a GitHub event: a deployment reconciliation found, handled in its repository's turn. */
export function createReconciledDeploymentHandler(handle: HandleReconciledDeployment): WebhookHandler {
  return async (payload, { log }) => {
    const found = parsePayload(reconciledDeploymentSchema, payload, 'reconciled deployment');
    const { creator, description, ...deployment } = found.deployment;
    const { status } = found;
    await handle(
      {
        repository: found.repository,
        deployment: {
          ...deployment,
          ...(creator === undefined ? {} : { creator }),
          ...(description === undefined ? {} : { description }),
        },
        ...(status === undefined
          ? {}
          : {
              status: {
                id: status.id,
                state: status.state,
                createdAt: status.createdAt,
                ...(status.description === undefined ? {} : { description: status.description }),
                ...(status.logUrl === undefined ? {} : { logUrl: status.logUrl }),
                ...(status.environmentUrl === undefined ? {} : { environmentUrl: status.environmentUrl }),
              },
            }),
      },
      log,
    );
  };
}
