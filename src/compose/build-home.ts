import type { ChatUseCases } from '../bot/chat-use-cases.js';
import { registerHome } from '../bot/register-home.js';
import type { SlackRoutes } from '../bot/slack-routes.js';
import type { Config } from '../core/config.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { HomeViewPort } from '../core/ports/home-view.js';
import type { Scheduler } from '../core/scheduler.js';
import { createCheckModalDeploy } from '../deploys/check-modal-deploy.js';
import { createReadHomeBoard } from '../deploys/read-home-board.js';
import type { ReadRecentDeployments } from '../deploys/read-recent-deployments.js';
import { createRefreshHomeBoards } from '../deploys/refresh-home-boards.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Timings } from '../timings.js';

/**
 * The App Home board and the Deploy modal: the boards kept current (`changed` is told of every
 * deployment, lock, freeze, queue and CI wait change), and the Slack listeners, over chat's use cases.
 */
export function buildHome(deps: {
  readonly config: Config;
  readonly github: GitHubPort;
  readonly recentDeployments: ReadRecentDeployments;
  readonly chat: ChatPort;
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly githubWebUrl: string;
  readonly homeView: HomeViewPort;
  readonly logger: Logger;
  readonly timings: Timings;
}) {
  const { config, github, chat, store, scheduler, githubWebUrl, timings } = deps;
  const log = deps.logger.child({ component: 'home' });
  const homeBoards = createRefreshHomeBoards({
    viewers: store,
    board: createReadHomeBoard({
      config,
      recentDeployments: deps.recentDeployments,
      chat,
      store,
      clock: scheduler,
      githubWebUrl,
      log,
      deploymentsMaxAgeMs: timings.homeRefresh.deploymentsMaxAgeMs,
    }),
    home: deps.homeView,
    scheduler,
    log,
    timings: timings.homeRefresh,
  });
  return {
    homeBoards,
    register(routes: SlackRoutes, chatUseCases: ChatUseCases): void {
      registerHome(
        routes,
        chatUseCases,
        {
          homeBoards,
          checkModalDeploy: createCheckModalDeploy({ github, chat, store, clock: scheduler }),
          defaultBranchOf: (repo) => github.getDefaultBranch({ owner: repo.owner, repo: repo.name }),
        },
        { config, logger: log, scheduler, checkBudgetMs: timings.modalCheckBudgetMs },
      );
    },
  };
}
