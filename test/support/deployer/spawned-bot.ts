import { createServer } from 'node:net';
import { join } from 'node:path';
import type { GitHubStandIn } from '../../../src/stand-ins/github-stand-in.js';
import type { SlackStandIn } from '../../../src/stand-ins/slack-stand-in.js';
import { SECRETS } from '../harness.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The environment of `node dist/main.js` against the stand-ins, its store in `dir`. */
export function botEnv(options: {
  port: number;
  dir: string;
  github: GitHubStandIn;
  slack: SlackStandIn;
}): Record<string, string> {
  const url = `http://127.0.0.1:${options.port}`;
  return {
    PORT: String(options.port),
    PUBLIC_URL: url,
    SLACK_BOT_TOKEN: SECRETS.slackBotToken,
    SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
    SLACK_API_URL: options.slack.apiUrl,
    GITHUB_TOKEN: SECRETS.githubToken,
    GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
    GITHUB_API_URL: options.github.url,
    DATABASE_URL: `sqlite:${join(options.dir, 'deploybot.sqlite')}`,
    LOG_LEVEL: 'info',
  };
}
