import { resolve } from 'node:path';
import { redactUrl } from '../core/redact-url.js';
import { type DatabaseSetting, readDatabaseUrl } from './database-url.js';
import {
  createEnvReaders,
  type LogLevelSetting,
  type Report,
  readGitHubApiUrl,
  readServerSettings,
  type SettingsEnv,
} from './env-readers.js';
import { createConfigError } from './format-problems.js';
import { type GitHubAppSetting, readGitHubApp } from './github-app-settings.js';

export type { DatabaseSetting } from './database-url.js';
export { LOG_LEVELS, type LogLevelSetting, type SettingsEnv } from './env-readers.js';

export interface Settings {
  port: number;
  publicUrl: string;
  logLevel: LogLevelSetting;
  configPath: string;
  database: DatabaseSetting;
  slack: {
    botToken: string;
    signingSecret: string;
    appToken?: string;
    apiUrl?: string;
    /** Sign in with Slack for log pages: set only when both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are. */
    signIn?: { clientId: string; clientSecret: string };
  };
  github: {
    token?: string;
    app?: GitHubAppSetting;
    webhookSecret: string;
    apiUrl: string;
  };
  deployConcurrency: number;
  deployLogLimitBytes: number;
  webhookBodyLimitBytes: number;
  /** Finished deploy jobs, announcements and deploy logs older than this many days are deleted (RETENTION_DAYS). */
  retentionDays: number;
  /** How long a stop (SIGTERM) lets running deploys finish before ending them in `error`. */
  shutdownGraceSeconds: number;
  /** When set, GET /metrics needs `Authorization: Bearer <it>`. */
  metricsToken?: string;
  /**
   * GITHUB_WRITE_INTERVAL_MS: the pause between requests that create content on GitHub, in place
   * of timings.ts's (GitHub's second); 0 for a GitHub Enterprise Server or stand-in without that limit.
   */
  githubWriteIntervalMs?: number;
}

const MIB = 1024 * 1024;
const REDACTED = '[redacted]';

const FIX = {
  slackBotToken:
    'To get one, create the Slack app from manifest.yml, install it to your workspace, then copy OAuth & Permissions → Bot User OAuth Token (xoxb-…)',
  slackSigningSecret:
    'Copy it from the Slack app settings: Basic Information → App Credentials → Signing Secret',
  slackAppToken:
    'It is optional and turns on Socket Mode; create one under Basic Information → App-Level Tokens with the connections:write scope, or unset the variable',
  githubToken:
    'Run `npm run setup` to register deploybot as a GitHub App in one click (it gives GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_WEBHOOK_SECRET), or set it to a fine-grained personal access token or GitHub App installation token with Deployments: read and write, Contents: read, Commit statuses: read, Checks: read, Metadata: read on the repositories in deploybot.yml',
  githubWebhookSecret:
    'Set it to the secret you set on the repository or organization webhook (Settings → Webhooks) or the GitHub App (`npm run setup` gives it)',
  slackClient:
    'Copy both from the Slack app settings: Basic Information → App Credentials (Client ID and Client Secret), or unset both to protect log pages by their link alone',
} as const;

/**
 * Reads deploybot's settings from environment variables. Every problem is collected
 * first, so one start reports all of them. Values are never echoed back when they may
 * be secret.
 */
export function parseSettings(env: SettingsEnv, cwd: string): Settings {
  const readers = createEnvReaders(env);
  const { problems, report, read, readInteger, readUrl } = readers;
  const { port, publicUrl, logLevel } = readServerSettings(readers);

  const botToken = read('SLACK_BOT_TOKEN');
  if (botToken === undefined) report('SLACK_BOT_TOKEN', 'is not set', FIX.slackBotToken);
  else if (!botToken.startsWith('xoxb-')) {
    report(
      'SLACK_BOT_TOKEN',
      `does not start with "xoxb-"${describeSlackToken(botToken)}`,
      FIX.slackBotToken,
    );
  }
  const signingSecret = read('SLACK_SIGNING_SECRET');
  if (signingSecret === undefined) report('SLACK_SIGNING_SECRET', 'is not set', FIX.slackSigningSecret);
  const appToken = read('SLACK_APP_TOKEN');
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    report(
      'SLACK_APP_TOKEN',
      `does not start with "xapp-"${describeSlackToken(appToken)}`,
      FIX.slackAppToken,
    );
  }
  const signIn = readSlackSignIn(read, report);
  const slackApiUrl = readUrl(
    'SLACK_API_URL',
    undefined,
    'Set it to the base URL of a Slack-compatible Web API, e.g. https://slack.com/api/, or unset it',
  );

  const githubToken = read('GITHUB_TOKEN');
  const app = readGitHubApp(read, report);
  const appAttempted = read('GITHUB_APP_ID') !== undefined || read('GITHUB_APP_PRIVATE_KEY') !== undefined;
  // A half-configured App is reported by readGitHubApp; a missing token on top would mislead.
  if (githubToken === undefined && !appAttempted) {
    report('GITHUB_TOKEN', 'is not set (and no GitHub App credentials are set either)', FIX.githubToken);
  }
  const webhookSecret = read('GITHUB_WEBHOOK_SECRET');
  if (webhookSecret === undefined) report('GITHUB_WEBHOOK_SECRET', 'is not set', FIX.githubWebhookSecret);
  const githubApiUrl = readGitHubApiUrl(readers);

  const database = readDatabaseUrl(read('DATABASE_URL'), cwd, report);
  const configPath = resolve(cwd, read('DEPLOYBOT_CONFIG') ?? 'deploybot.yml');
  const max = Number.MAX_SAFE_INTEGER;
  const deployConcurrency = readInteger('DEPLOY_CONCURRENCY', 4, 1, max, 'deployments run at the same time');
  const deployLogLimitBytes = readInteger('DEPLOY_LOG_LIMIT_BYTES', 5 * MIB, 1, max, 'bytes');
  // GitHub caps webhook payloads at 25 MB, decimal.
  const webhookBodyLimitBytes = readInteger('WEBHOOK_BODY_LIMIT_BYTES', 25_000_000, 1, max, 'bytes');
  const retentionDays = readInteger('RETENTION_DAYS', 90, 1, 36_500, 'days');
  // 25 s fits inside Kubernetes' default 30 s between SIGTERM and SIGKILL.
  const shutdownGraceSeconds = readInteger('SHUTDOWN_GRACE_SECONDS', 25, 0, 3600, 'seconds');

  // Unset leaves the interval to DEFAULT_TIMINGS; 1000 below only words the fix.
  const githubWriteIntervalMs =
    read('GITHUB_WRITE_INTERVAL_MS') === undefined
      ? undefined
      : readInteger('GITHUB_WRITE_INTERVAL_MS', 1_000, 0, 60_000, 'milliseconds');

  const metricsToken = read('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) {
    report(
      'METRICS_TOKEN',
      'is not at least 16 printable characters without spaces',
      'Set it to a long random string, e.g. the output of `openssl rand -hex 32`, or unset it to leave /metrics open',
    );
  }

  if (problems.length > 0) throw createConfigError(problems);
  return {
    port,
    publicUrl,
    logLevel,
    configPath,
    database,
    slack: {
      botToken: botToken ?? '',
      signingSecret: signingSecret ?? '',
      ...(appToken === undefined ? {} : { appToken }),
      // Slack clients join method names onto the base URL, so it must end with '/'.
      ...(slackApiUrl === undefined ? {} : { apiUrl: slackApiUrl.replace(/\/*$/, '/') }),
      ...(signIn === undefined ? {} : { signIn }),
    },
    github: {
      ...(githubToken === undefined ? {} : { token: githubToken }),
      ...(app === undefined ? {} : { app }),
      webhookSecret: webhookSecret ?? '',
      apiUrl: githubApiUrl,
    },
    deployConcurrency,
    deployLogLimitBytes,
    webhookBodyLimitBytes,
    retentionDays,
    shutdownGraceSeconds,
    ...(metricsToken === undefined ? {} : { metricsToken }),
    ...(githubWriteIntervalMs === undefined ? {} : { githubWriteIntervalMs }),
  };
}

/** What `npm run setup` needs: where its page listens and where GitHub is. No credentials yet. */
export interface SetupSettings {
  port: number;
  publicUrl: string;
  logLevel: LogLevelSetting;
  github: { apiUrl: string };
}

/** Reads the settings of `npm run setup`, reporting every problem at once as parseSettings does. */
export function parseSetupSettings(env: SettingsEnv): SetupSettings {
  const readers = createEnvReaders(env);
  const { port, publicUrl, logLevel } = readServerSettings(readers);
  const apiUrl = readGitHubApiUrl(readers);
  if (readers.problems.length > 0) throw createConfigError(readers.problems);
  return { port, publicUrl, logLevel, github: { apiUrl } };
}

/** The settings with every secret replaced by '[redacted]', safe to log. */
export function describeSettingsForLog(settings: Settings): Settings {
  const { slack, github, database } = settings;
  return {
    ...settings,
    publicUrl: redactUrl(settings.publicUrl),
    database:
      database.kind === 'postgres' ? { kind: 'postgres', url: redactUrl(database.url) } : { ...database },
    slack: {
      botToken: REDACTED,
      signingSecret: REDACTED,
      ...(slack.appToken === undefined ? {} : { appToken: REDACTED }),
      ...(slack.apiUrl === undefined ? {} : { apiUrl: redactUrl(slack.apiUrl) }),
      ...(slack.signIn === undefined ? {} : { signIn: { ...slack.signIn, clientSecret: REDACTED } }),
    },
    github: {
      ...(github.token === undefined ? {} : { token: REDACTED }),
      ...(github.app === undefined ? {} : { app: { ...github.app, privateKey: REDACTED } }),
      webhookSecret: REDACTED,
      apiUrl: redactUrl(github.apiUrl),
    },
    ...(settings.metricsToken === undefined ? {} : { metricsToken: REDACTED }),
  };
}

/** Both or neither: a half-configured sign-in names the missing one. */
function readSlackSignIn(
  read: (name: string) => string | undefined,
  report: Report,
): Settings['slack']['signIn'] {
  const clientId = read('SLACK_CLIENT_ID');
  const clientSecret = read('SLACK_CLIENT_SECRET');
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined) {
    const missing = clientId === undefined ? 'SLACK_CLIENT_ID' : 'SLACK_CLIENT_SECRET';
    const present = clientId === undefined ? 'SLACK_CLIENT_SECRET' : 'SLACK_CLIENT_ID';
    report(missing, `is not set, but ${present} is`, FIX.slackClient);
    return undefined;
  }
  return { clientId, clientSecret };
}

/** Names the kind of a wrong Slack token by its prefix; the secret part is never shown. */
function describeSlackToken(token: string): string {
  const kinds: Record<string, string> = {
    'xoxb-': 'a bot token (it belongs in SLACK_BOT_TOKEN)',
    'xapp-': 'an app-level token (it belongs in SLACK_APP_TOKEN)',
    'xoxp-': 'a user token, which deploybot must not use',
  };
  const prefix = Object.keys(kinds).find((p) => token.startsWith(p));
  return prefix ? `: it is ${kinds[prefix]}` : '';
}
