import type { ButtonAction } from '@slack/bolt';
import { findEnvironment, findRepo } from '../core/config-lookup.js';
import {
  LOCK_MODAL_CALLBACK_ID,
  readLockModal,
  renderLockModal,
  type ViewStateValues,
} from '../core/deploy-modal.js';
import {
  ACTION_HOME_DEPLOY,
  ACTION_HOME_LOCK,
  ACTION_HOME_ROLLBACK,
  ACTION_HOME_UNLOCK,
  readBoardButtonValue,
} from '../core/home-board.js';
import type { HomeBoards } from '../deploys/refresh-home-boards.js';
import type { ChatUseCases } from './chat-use-cases.js';
import { createHomeSurface } from './home-surface.js';
import {
  type DeployModalContext,
  type DeployModalUseCases,
  registerDeployModal,
} from './register-deploy-modal.js';
import { mapSlackError } from './slack-errors.js';
import type { SlackRoutes } from './slack-routes.js';

export interface HomeUseCases extends DeployModalUseCases {
  readonly homeBoards: HomeBoards;
}

export type HomeListenerContext = DeployModalContext;

const startsWith = (id: string) => new RegExp(`^${id}:`);

/**
 * The App Home board, its buttons, the Lock… modal, and the Deploy modal (see
 * register-deploy-modal.ts). Each calls the
 * use cases `/deploy` calls, with the same permission and confirmation rules; answers come
 * privately as a direct message, public ones in the repository's channel.
 */
export function registerHome(
  routes: SlackRoutes,
  chat: ChatUseCases,
  home: HomeUseCases,
  context: HomeListenerContext,
): void {
  const { config, logger } = context;
  const surface = createHomeSurface(chat, context);
  const { replierFor, answering, admitted } = surface;
  const openDeployModal = registerDeployModal(routes, chat, home, context, surface);

  routes.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    try {
      await home.homeBoards.opened(event.user);
    } catch (error) {
      logger.warn({ err: error, user: event.user }, 'could not show the Home board');
    }
  });

  routes.action<ButtonAction>(startsWith(ACTION_HOME_DEPLOY), async ({ ack, body, action, client }) => {
    await ack();
    const target = readBoardButtonValue(action.value ?? '');
    const reply = replierFor(client, body.user.id, target?.repository);
    await answering(reply, ACTION_HOME_DEPLOY, async () => {
      if (!target || !(await admitted(body.user.id, reply))) return;
      await openDeployModal(client, body.trigger_id, target);
    });
  });

  routes.action<ButtonAction>(startsWith(ACTION_HOME_LOCK), async ({ ack, body, action, client }) => {
    await ack();
    const target = readBoardButtonValue(action.value ?? '');
    const reply = replierFor(client, body.user.id, target?.repository);
    await answering(reply, ACTION_HOME_LOCK, async () => {
      if (!target || !(await admitted(body.user.id, reply))) return;
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: renderLockModal(target) as never });
      } catch (error) {
        throw mapSlackError(error, {});
      }
    });
  });

  for (const actionId of [ACTION_HOME_UNLOCK, ACTION_HOME_ROLLBACK]) {
    routes.action<ButtonAction>(startsWith(actionId), async ({ ack, body, action, client }) => {
      await ack();
      const userId = body.user.id;
      const target = readBoardButtonValue(action.value ?? '');
      const reply = replierFor(client, userId, target?.repository);
      await answering(reply, actionId, async () => {
        const repo = target && findRepo(config, target.repository);
        const environment = target && repo && findEnvironment(repo, target.environment);
        if (!repo || !environment || !(await admitted(userId, reply))) return;
        if (actionId === ACTION_HOME_UNLOCK)
          return chat.unlockEnvironment({ repo, environment }, { userId }, reply);
        return chat.requestRollback({ repo, environment }, { userId, channel: userId }, reply);
      });
    });
  }

  routes.view(LOCK_MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const read = readLockModal(config, view.private_metadata, view.state.values as ViewStateValues);
    if (!read.ok) return ack({ response_action: 'errors', errors: { ...read.error } });
    await ack();
    const { repo, environment, reason, durationMs } = read.value;
    const reply = replierFor(client, userId, repo.fullName);
    await answering(reply, LOCK_MODAL_CALLBACK_ID, async () => {
      if (!(await admitted(userId, reply))) return;
      await chat.lockEnvironment(
        {
          repo,
          environment,
          steal: false,
          ...(reason === undefined ? {} : { reason }),
          ...(durationMs === undefined ? {} : { durationMs }),
        },
        { userId },
        reply,
      );
    });
  });
}
