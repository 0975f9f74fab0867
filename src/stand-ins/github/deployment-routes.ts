import type { Reply } from './http-exchange.js';
import type { DeploymentStatusState } from './payload-basics.js';
import { findFailingContexts, isBranch, normalizeRef, resolveRef } from './repository-state.js';
import {
  DOCS,
  defineRepositoryRoute,
  paginate,
  type Route,
  rejectInvalidBody,
  rejectUnparsableBody,
  replyError,
  replyNotFound,
} from './rest-kit.js';

const CREATE_DEPLOYMENT_DOCS = `${DOCS}/deployments/deployments#create-a-deployment`;
const GET_DEPLOYMENT_DOCS = `${DOCS}/deployments/deployments#get-a-deployment`;
const CREATE_STATUS_DOCS = `${DOCS}/deployments/statuses#create-a-deployment-status`;
const LIST_STATUSES_DOCS = `${DOCS}/deployments/statuses#list-deployment-statuses`;
const MAX_STATUS_DESCRIPTION = 140;

interface CreateDeploymentBody {
  ref: string;
  task?: string;
  auto_merge?: boolean;
  required_contexts?: string[];
  payload?: unknown;
  environment?: string;
  description?: string | null;
  transient_environment?: boolean;
  production_environment?: boolean;
}

interface CreateStatusBody {
  state: DeploymentStatusState;
  target_url?: string;
  log_url?: string;
  description?: string;
  environment?: string;
  environment_url?: string;
  auto_inactive?: boolean;
}

/** GitHub merges the default branch into a behind branch instead of deploying it (auto_merge). */
function replyToAutoMerge(ref: string, defaultBranch: string, behind: boolean | 'conflict' | undefined) {
  if (behind === 'conflict')
    return replyError(409, `Conflict merging ${defaultBranch} into ${ref}.`, CREATE_DEPLOYMENT_DOCS);
  if (behind === true)
    return { status: 202, body: { message: `Auto-merged ${defaultBranch} into ${ref} on deployment.` } };
  return undefined;
}

export const deploymentRoutes: Route[] = [
  defineRepositoryRoute('POST', '/deployments', (core, request, repository): Reply => {
    const rejected =
      rejectUnparsableBody(request, CREATE_DEPLOYMENT_DOCS) ??
      rejectInvalidBody(
        core,
        request,
        core.validators.checkCreateDeploymentRequest,
        'Deployment',
        CREATE_DEPLOYMENT_DOCS,
      );
    if (rejected) return rejected;
    const body = request.body as CreateDeploymentBody;
    const sha = resolveRef(repository, body.ref);
    if (!sha) return replyError(422, `No ref found for: ${body.ref}`, CREATE_DEPLOYMENT_DOCS);
    const branch = normalizeRef(body.ref);
    if (body.auto_merge !== false && isBranch(repository, body.ref) && branch !== repository.defaultBranch) {
      const merged = replyToAutoMerge(body.ref, repository.defaultBranch, repository.behind.get(branch));
      if (merged) return merged;
    }
    const contexts = findFailingContexts(repository, sha, body.required_contexts);
    if (contexts.length > 0) {
      return replyError(
        409,
        `Conflict: Commit status checks failed for ${body.ref}.`,
        CREATE_DEPLOYMENT_DOCS,
        {
          errors: [{ contexts, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }],
        },
      );
    }
    const deployment = core.store.createDeployment(repository, {
      sha,
      ref: body.ref,
      task: body.task,
      payload: body.payload,
      environment: body.environment,
      description: body.description,
      transient_environment: body.transient_environment,
      production_environment: body.production_environment,
      creator: core.login,
    });
    return {
      status: 201,
      body: deployment,
      headers: { location: deployment.url },
      afterResponse: () => core.announceDeployment(repository, deployment),
    };
  }),

  defineRepositoryRoute('GET', '/deployments', (core, request, repository): Reply => {
    const { sha, ref, task, environment } = request.query;
    const matching = core.store
      .listDeployments(repository)
      .filter(
        (deployment) =>
          (sha === undefined || deployment.sha === sha) &&
          (ref === undefined || deployment.ref === ref) &&
          (task === undefined || deployment.task === task) &&
          (environment === undefined || deployment.environment === environment),
      )
      .reverse();
    const page = paginate(core, request, matching);
    return { status: 200, body: page.items, headers: page.headers };
  }),

  defineRepositoryRoute('GET', '/deployments/(\\d+)', (core, _request, repository, [id]): Reply => {
    const deployment = core.store.findDeployment(repository, Number(id));
    return deployment ? { status: 200, body: deployment } : replyNotFound(GET_DEPLOYMENT_DOCS);
  }),

  defineRepositoryRoute('POST', '/deployments/(\\d+)/statuses', (core, request, repository, [id]): Reply => {
    const deployment = core.store.findDeployment(repository, Number(id));
    if (!deployment) return replyNotFound(CREATE_STATUS_DOCS);
    const rejected =
      rejectUnparsableBody(request, CREATE_STATUS_DOCS) ??
      rejectInvalidBody(
        core,
        request,
        core.validators.checkCreateDeploymentStatusRequest,
        'DeploymentStatus',
        CREATE_STATUS_DOCS,
      );
    if (rejected) return rejected;
    const body = request.body as CreateStatusBody;
    if ((body.description ?? '').length > MAX_STATUS_DESCRIPTION) {
      return replyError(422, 'Validation Failed', CREATE_STATUS_DOCS, {
        errors: [
          {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'description',
            message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
          },
        ],
      });
    }
    const status = core.store.createStatus(deployment.id, { ...body, creator: core.login });
    return {
      status: 201,
      body: status,
      headers: { location: status.url },
      afterResponse: () => core.announceStatus(repository, deployment, status),
    };
  }),

  defineRepositoryRoute('GET', '/deployments/(\\d+)/statuses', (core, request, repository, [id]): Reply => {
    const deployment = core.store.findDeployment(repository, Number(id));
    if (!deployment) return replyNotFound(LIST_STATUSES_DOCS);
    const page = paginate(core, request, [...core.store.listStatuses(deployment.id)].reverse());
    return { status: 200, body: page.items, headers: page.headers };
  }),

  defineRepositoryRoute(
    'GET',
    '/deployments/(\\d+)/statuses/(\\d+)',
    (core, _request, repository, [id, statusId]) => {
      const deployment = core.store.findDeployment(repository, Number(id));
      const status =
        deployment && core.store.listStatuses(deployment.id).find((s) => s.id === Number(statusId));
      return status ? { status: 200, body: status } : replyNotFound(LIST_STATUSES_DOCS);
    },
  ),
];
