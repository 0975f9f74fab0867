import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Config } from '../../src/core/config.js';
import type { GitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import type { SlackStandIn } from '../../src/stand-ins/slack-stand-in.js';

/** Shorter values are never masked (they would mangle logs and hide nothing), so never looked for. */
const MIN_SECRET_LENGTH = 4;

/** Every value deploybot must never show: its own secrets and the providers' env and header values. */
export function listConfiguredSecrets(secrets: readonly string[], config: Config): string[] {
  const provided = config.repos.flatMap((repo) =>
    repo.environments.flatMap((environment) => {
      const provider = environment.provider;
      if (provider.type === 'script') return Object.values(provider.env);
      if (provider.type === 'http') return Object.values(provider.headers);
      return [];
    }),
  );
  return [...new Set([...secrets, ...provided])].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

export interface ScannedRun {
  readonly logs: readonly string[];
  readonly github: Pick<GitHubStandIn, 'requests'>;
  readonly slack: Pick<SlackStandIn, 'calls' | 'responses'>;
  readonly dataDir: string;
}

/**
 * Where each secret shows in what an integration run produced: deploybot's log lines, the deploy
 * logs it stored, what it sent Slack and GitHub (their tokens in the auth header aside). Empty
 * when nothing leaked.
 */
export function findLeakedSecrets(run: ScannedRun, secrets: readonly string[]): string[] {
  const places: Array<[string, string]> = [
    ...run.logs.map((line, index): [string, string] => [`log line ${index + 1}`, line]),
    ...readDeployLogs(run.dataDir).map(({ id, text }): [string, string] => [`deploy log of ${id}`, text]),
    ...run.slack.calls.map((call): [string, string] => [`Slack ${call.method}`, JSON.stringify(call.args)]),
    ...run.slack.responses.map((post): [string, string] => [
      'a Slack response_url post',
      JSON.stringify(post),
    ]),
    ...run.github.requests.map((request): [string, string] => [
      `GitHub ${request.method} ${request.path}`,
      `${request.path} ${JSON.stringify(request.query)} ${request.rawBody}`,
    ]),
  ];
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const [place, text] of places) {
      // Names the secret by its start only, so the failure message does not leak it in turn.
      if (text.includes(secret)) leaks.push(`${place} shows the secret starting ${secret.slice(0, 3)}…`);
    }
  }
  return leaks;
}

/** The deploy logs a SQLite store holds; none when the run used another database. */
function readDeployLogs(dataDir: string): Array<{ id: number; text: string }> {
  const file = join(dataDir, 'deploybot.sqlite');
  if (!existsSync(file)) return [];
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("select name from sqlite_master where type = 'table' and name = 'deploy_log_chunks'")
      .get();
    if (!table) return [];
    return db
      .prepare('select deployment_id as id, text from deploy_log_chunks order by deployment_id, seq')
      .all() as Array<{ id: number; text: string }>;
  } finally {
    db.close();
  }
}
