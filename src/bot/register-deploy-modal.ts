import type { StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeRefusal, renderRefusal } from '../core/command-replies.js';
import type { Config, RepoConfig } from '../core/config.js';
import { findRepo } from '../core/config-lookup.js';
import {
  ACTION_MODAL_REPOSITORY,
  BLOCK_REPOSITORY,
  chosenRepository,
  DEPLOY_MODAL_CALLBACK_ID,
  fieldErrorText,
  type ModalView,
  readDeployModal,
  renderDeployModal,
  type ViewStateValues,
} from '../core/deploy-modal.js';
import type { Replier } from '../core/ports/chat.js';
import type { Scheduler } from '../core/scheduler.js';
import type { CheckModalDeploy } from '../deploys/check-modal-deploy.js';
import type { Logger } from '../logger.js';
import type { ChatUseCases } from './chat-use-cases.js';
import type { HomeSurface } from './home-surface.js';
import { mapSlackError } from './slack-errors.js';
import type { SlackRoutes } from './slack-routes.js';

export interface DeployModalUseCases {
  readonly checkModalDeploy: CheckModalDeploy;
  /** The ref's placeholder in the Deploy modal. */
  readonly defaultBranchOf: (repo: RepoConfig) => Promise<string>;
}

export interface DeployModalContext {
  readonly config: Config;
  readonly logger: Logger;
  /** For the Deploy modal's check: what does not finish in time is left to the deploy's own answer. */
  readonly scheduler: Scheduler;
  /** How long the checks before closing the modal may take: Slack wants the answer within 3 s. */
  readonly checkBudgetMs: number;
}

/** Opens the Deploy modal on a trigger, with a repository and environment chosen if given. */
export type OpenDeployModal = (
  client: WebClient,
  triggerId: string,
  target: { readonly repository?: string; readonly environment?: string },
) => Promise<void>;

/**
 * The Deploy… shortcut and the Deploy modal: the environments follow the repository chosen
 * (`views.update`), and submitting it runs `/deploy repo@ref to env`; what `/deploy` would
 * refuse at once comes back as field errors within Slack's 3 seconds.
 */
export function registerDeployModal(
  routes: SlackRoutes,
  chat: ChatUseCases,
  home: DeployModalUseCases,
  context: DeployModalContext,
  surface: HomeSurface,
): OpenDeployModal {
  const { config, logger } = context;
  const { replierFor, answering, admitted } = surface;

  async function openDeployModal(
    client: WebClient,
    triggerId: string,
    target: { readonly repository?: string; readonly environment?: string },
  ): Promise<void> {
    const view = renderDeployModal({ config, ...target });
    let opened: { id?: string; hash?: string } | undefined;
    try {
      // First, inside the trigger's 3 seconds; the default branch is filled in after.
      opened = (await client.views.open({ trigger_id: triggerId, view: view as never })).view;
    } catch (error) {
      throw mapSlackError(error, {});
    }
    const repository = chosenRepositoryOf(view);
    await fillDefaultBranch(client, opened, { ...target, ...(repository ? { repository } : {}) });
  }

  async function fillDefaultBranch(
    client: WebClient,
    opened: { id?: string; hash?: string } | undefined,
    target: { readonly repository?: string; readonly environment?: string },
  ): Promise<void> {
    const repo = target.repository === undefined ? undefined : findRepo(config, target.repository);
    if (!repo || opened?.id === undefined) return;
    try {
      const defaultBranch = await home.defaultBranchOf(repo);
      const view: ModalView = renderDeployModal({ config, ...target, defaultBranch });
      await client.views.update({
        view_id: opened.id,
        ...(opened.hash === undefined ? {} : { hash: opened.hash }),
        view: view as never,
      });
    } catch (error) {
      // The modal works without it: "the default branch" stays the placeholder.
      logger.debug({ err: error, repository: repo.fullName }, 'could not show the default branch');
    }
  }

  routes.bolt.shortcut('deploy', async ({ ack, shortcut, client }) => {
    await ack();
    const reply = replierFor(client, shortcut.user.id, undefined);
    await answering(reply, 'shortcut', async () => {
      if (!(await admitted(shortcut.user.id, reply))) return;
      await openDeployModal(client, shortcut.trigger_id, {});
    });
  });

  // The repository changed in the Deploy modal: its environments (and default branch) follow.
  routes.action<StaticSelectAction>(ACTION_MODAL_REPOSITORY, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const repository = chosenRepository((view.state?.values ?? {}) as ViewStateValues);
    const target = repository === undefined ? {} : { repository };
    try {
      const updated = await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: renderDeployModal({ config, ...target }) as never,
      });
      await fillDefaultBranch(client, updated.view, target);
    } catch (error) {
      // A newer change of the same modal won (hash_conflict): it shows the newer choice.
      logger.debug({ err: mapSlackError(error, {}) }, 'could not update the Deploy modal');
    }
  });

  routes.view(DEPLOY_MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const read = readDeployModal(config, view.state.values as ViewStateValues);
    if (!read.ok) return ack({ response_action: 'errors', errors: { ...read.error } });
    const request = read.value;
    const reply = replierFor(client, userId, request.repo.fullName);
    let errors: Readonly<Record<string, string>> | undefined;
    try {
      const admission = await withinBudget(chat.admitChatUser(userId));
      if (admission && !admission.allowed)
        return ack({
          response_action: 'errors',
          errors: { [BLOCK_REPOSITORY]: fieldErrorText(describeRefusal(admission)) },
        });
      errors = await withinBudget(home.checkModalDeploy(request, userId));
    } catch (error) {
      // Slack or GitHub could not answer in time to check: the deploy's own answer will say.
      logger.warn({ err: error }, 'could not check the Deploy modal');
    }
    if (errors) return ack({ response_action: 'errors', errors: { ...errors } });
    await ack();
    await answering(reply, DEPLOY_MODAL_CALLBACK_ID, () =>
      runTheDeploy(userId, body.user.name, request, reply),
    );
  });

  async function runTheDeploy(
    userId: string,
    userName: string,
    request: Extract<ReturnType<typeof readDeployModal>, { ok: true }>['value'],
    reply: Replier,
  ): Promise<void> {
    const admission = await chat.admitChatUser(userId);
    if (!admission.allowed) return reply.private(renderRefusal(admission));
    // Exactly `/deploy repo@ref to env`, asked from a direct message: announced in the repository's channel.
    await chat.requestChatDeploy(
      {
        repo: request.repo,
        environment: request.environment,
        ...(request.ref === undefined ? {} : { ref: request.ref }),
        force: false,
        rollback: false,
      },
      { userId, userName, channel: userId },
      reply,
    );
  }

  /** The answer if it comes within the budget; undefined if it does not. */
  async function withinBudget<T>(work: Promise<T>): Promise<T | undefined> {
    const timer = new AbortController();
    try {
      return await Promise.race([
        work,
        context.scheduler.sleep(context.checkBudgetMs, timer.signal).then(() => undefined),
      ]);
    } finally {
      timer.abort();
    }
  }

  return openDeployModal;
}

function chosenRepositoryOf(view: ModalView): string | undefined {
  const select = view.blocks.find((b) => b.block_id === BLOCK_REPOSITORY)?.element as
    | { initial_option?: { value: string } }
    | undefined;
  return select?.initial_option?.value;
}
