import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../core/config.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { Announcer } from '../core/ports.js';
import type { Clock } from '../core/scheduler.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { registerActions } from './actions.js';
import { createChatDeploys } from './chat-deploys.js';
import { createChatLocks } from './chat-locks.js';
import { createConfirmationPresses } from './chat-presses.js';
import { createChatQueries } from './chat-queries.js';
import { registerCommands } from './commands.js';
import { createUserGroupResolver } from './user-groups.js';

export interface ChatWiring {
  readonly bolt: App;
  readonly client: WebClient;
  readonly config: Config;
  readonly github: GitHubClient;
  readonly githubWebUrl: string;
  readonly store: Store;
  readonly announcer: Announcer;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly onDeploymentCreated: (repository: string, deployment: CreatedDeployment) => Promise<void>;
  readonly onUnlocked: (repository: string, environment: string) => Promise<void>;
  readonly cancel: (
    target: { repository: string; environment: string },
    by: string,
  ) => Promise<readonly number[]>;
  /** How often lapsed locks are looked for. */
  readonly lockSweepIntervalMs: number;
}

/** Chat deploys: `/deploy`, mentions and buttons, plus the sweep that lets expired locks lapse. */
export function wireChat(w: ChatWiring): { start(): void; stop(): void; sweep(): Promise<void> } {
  const logger = w.logger.child({ component: 'chat' });
  const groups = createUserGroupResolver({ client: w.client, clock: w.clock, logger });
  const shared = {
    config: w.config,
    store: w.store,
    groups,
    announcer: w.announcer,
    clock: w.clock,
    newId: w.newId,
    logger,
  };
  const deploys = createChatDeploys({
    ...shared,
    github: w.github,
    githubWebUrl: w.githubWebUrl,
    onDeploymentCreated: w.onDeploymentCreated,
  });
  const locks = createChatLocks({ ...shared, onUnlocked: w.onUnlocked });
  const queries = createChatQueries({
    github: w.github,
    store: w.store,
    clock: w.clock,
    githubWebUrl: w.githubWebUrl,
  });
  registerCommands(w.bolt, { config: w.config, deploys, locks, queries, groups, cancel: w.cancel, logger });
  const presses = createConfirmationPresses({
    config: w.config,
    store: w.store,
    clock: w.clock,
    deploys,
    client: w.client,
  });
  registerActions(w.bolt, { presses, locks, logger });

  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    locks
      .expireLocks()
      .catch((error: unknown) => logger.error({ err: error }, 'could not expire locks'))
      .finally(() => {
        sweeping = false;
      });
  };
  return {
    sweep: () => locks.expireLocks(),
    start() {
      timer = setInterval(sweep, w.lockSweepIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
