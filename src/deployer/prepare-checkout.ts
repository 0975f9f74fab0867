import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostEnv } from '../core/deploy-env.js';
import type { DeployTarget, PreparedDeploy } from '../core/ports/deploy-provider.js';
import type { LogPort } from '../core/ports/log.js';
import {
  buildGitEnv,
  checkOutCommit,
  type GitAccess,
  gitBasicCredentials,
  resolveFetchUrl,
  sendsGitHubToken,
} from './checkout.js';
import type { ProcessTime } from './process-tree.js';
import { runScript, type ScriptProvider } from './script-provider.js';

export interface CheckoutSetup {
  readonly gitAccess: GitAccess;
  readonly host: HostEnv;
  /** deploybot's working directory: relative clone_url paths are resolved against it. */
  readonly baseDir: string;
  /** Where working copies are made (and removed). */
  readonly tmpDir: string;
  readonly killGraceMs: number;
  readonly time: ProcessTime;
  readonly log: LogPort;
}

/**
 * Readies a script that runs in a checkout of the deployed commit: where git fetches from,
 * and the token it sends there. The token is asked for only when git would send it (to
 * GitHub), so a GitHub outage cannot fail a deploy from a clone_url elsewhere. The run makes
 * a fresh working copy, checks the commit out, runs the script in it and removes it.
 */
export async function prepareCheckout(
  setup: CheckoutSetup,
  target: DeployTarget,
  provider: ScriptProvider,
): Promise<PreparedDeploy> {
  const { gitAccess } = setup;
  const url = resolveFetchUrl(target.repo, gitAccess, setup.baseDir);
  const token = sendsGitHubToken(url, gitAccess.githubWebUrl)
    ? await gitAccess.token(target.repo.fullName)
    : undefined;
  return {
    secrets: token === undefined ? [] : [token, gitBasicCredentials(token)],
    async run({ facts, log, signal, began, spawned, madeWorkDir }) {
      const workDir = await mkdtemp(join(setup.tmpDir, `deploybot-${facts.id}-`));
      try {
        await madeWorkDir(workDir);
        const checkedOut = await checkOutCommit({
          url,
          sha: facts.sha,
          dir: workDir,
          // DEPLOY_ID and DEPLOY_LOG_URL let a restarted deploybot recognise a git it left running.
          env: {
            ...buildGitEnv(setup.host, gitAccess.githubWebUrl, token),
            DEPLOY_ID: String(facts.id),
            DEPLOY_LOG_URL: facts.logUrl,
          },
          capture: log,
          signal,
          graceMs: setup.killGraceMs,
          time: setup.time,
          onSpawn: spawned,
        });
        if (checkedOut === 'aborted') return 'aborted';
        began();
        return await runScript({
          provider,
          facts,
          host: setup.host,
          workDir,
          capture: log,
          signal,
          graceMs: setup.killGraceMs,
          time: setup.time,
          onSpawn: spawned,
        });
      } finally {
        await rm(workDir, { recursive: true, force: true }).catch((error: unknown) => {
          setup.log.warn({ err: error, deployment: facts.id }, 'could not remove the working copy');
        });
      }
    },
  };
}
