import { describeRefusal, renderGitHubError } from '../core/command-replies.js';
import {
  BLOCK_REF,
  type DeployModalRequest,
  type FieldErrors,
  fieldErrorText,
} from '../core/deploy-modal.js';
import { toDeploybotError } from '../core/errors.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { Clock } from '../core/scheduler.js';
import { refuseChatDeploy } from './refuse-chat-deploy.js';

export interface CheckModalDeployOptions {
  readonly github: Pick<GitHubPort, 'resolveCommit'>;
  readonly chat: ChatPort;
  readonly store: LockStore;
  readonly clock: Clock;
}

/** Field errors of a submitted Deploy modal, or undefined when the deploy may be asked for. */
export type CheckModalDeploy = (
  request: DeployModalRequest,
  userId: string,
) => Promise<FieldErrors | undefined>;

/**
 * Before the modal closes, the checks `/deploy` would answer first: the same refusal
 * (permission, lock, freeze) and whether the ref exists. The deploy itself then runs the
 * whole chat flow, which asks them again; nothing here decides anything of its own.
 */
export function createCheckModalDeploy(options: CheckModalDeployOptions): CheckModalDeploy {
  return async (request, userId) => {
    const { repo, environment } = request;
    const refused = await refuseChatDeploy(
      options,
      { repository: repo.fullName, environment: environment.name, userId, force: false },
      environment,
    );
    if (refused !== undefined)
      return { [request.environmentBlock]: fieldErrorText(describeRefusal(refused)) };
    if (request.ref === undefined) return undefined;
    try {
      await options.github.resolveCommit({ owner: repo.owner, repo: repo.name }, request.ref);
      return undefined;
    } catch (error) {
      const shown = renderGitHubError(toDeploybotError(error), {
        repository: repo.fullName,
        environment: environment.name,
        ref: request.ref,
      });
      const context = shown.blocks?.find((b) => b.type === 'context');
      const text = context?.type === 'context' ? (context.elements[0]?.text ?? shown.text) : shown.text;
      return { [BLOCK_REF]: fieldErrorText(text) };
    }
  };
}
