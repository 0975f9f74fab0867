import { createSlackCheck } from '../bot/slack-check.js';
import type { Settings } from '../config/settings.js';
import type { Config } from '../core/config.js';
import type { Clock } from '../core/scheduler.js';
import { createGitHubClient, githubAuthOf } from '../github/client.js';
import { createGitHubCheck } from '../github/github-check.js';
import type { Logger } from '../logger.js';
import { checkGitHub } from './check-github.js';
import { formatCheckReport } from './check-line.js';
import { checkSlack } from './check-slack.js';

export interface CheckOptions {
  readonly settings: Settings;
  readonly config: Config;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** `npm run check`: Slack and GitHub asked what deploybot needs of them; `ok` when all of it holds. */
export async function runCheck(options: CheckOptions): Promise<{ ok: boolean; report: string }> {
  const { settings, config, logger } = options;
  const auth = githubAuthOf(settings.github);
  const github = createGitHubClient({
    auth,
    baseUrl: settings.github.apiUrl,
    fetch: options.fetch,
    logger: logger.child({ component: 'github' }),
    userAgent: 'deploybot',
    retryBaseMs: 500,
    retries: 1,
    writeIntervalMs: 0,
    clock: options.clock,
  });
  const slack = createSlackCheck({
    botToken: settings.slack.botToken,
    apiUrl: settings.slack.apiUrl,
    fetch: options.fetch,
    logger,
  });
  const [slackLines, githubLines] = await Promise.all([
    checkSlack(slack, config),
    checkGitHub(createGitHubCheck(github, auth), config),
  ]);
  const lines = [...slackLines, ...githubLines];
  return {
    ok: lines.every((line) => line.ok),
    report: formatCheckReport([
      { title: 'Slack', lines: slackLines },
      { title: 'GitHub', lines: githubLines },
    ]),
  };
}
