import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import {
  createDeployerFromSettings,
  type DeployerWiring,
} from '../deployer/create-deployer-from-settings.js';
import type { Deployer } from '../deploys/deployer.js';
import type { AppOptions } from './app-options.js';

/** What the deployer runs over, built by the composition root before it. */
export type DeployerParts = Pick<
  DeployerWiring,
  'store' | 'github' | 'chat' | 'identity' | 'githubWebUrl' | 'runnerId' | 'metrics'
>;

/** The deployer: deploy jobs run here (a script, an HTTP hook, or nothing) and walked through their statuses. */
export function buildDeployer(options: AppOptions, parts: DeployerParts): Deployer {
  return createDeployerFromSettings({
    ...parts,
    settings: options.settings,
    config: options.config,
    scheduler: options.scheduler,
    log: options.logger,
    fetch: options.fetch,
    // Scripts get deploybot's PATH and HOME and nothing else of its environment.
    host: options.deployHost,
    baseDir: options.workDir,
    tmpDir: tmpdir(),
    newToken: () => randomBytes(24).toString('base64url'),
    tuning: options.timings.deployer,
  });
}
