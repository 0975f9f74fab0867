import type { EnvironmentConfig, RepoConfig } from '../config.js';
import type { DeployFacts } from '../deploy-env.js';
import type { ProviderOutcome } from '../deploy-outcome.js';
import type { DeployLogSink } from './deploy-log.js';

/** The repository and environment a deploy goes to, as deploybot.yml configures them now. */
export interface DeployTarget {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}

/**
 * What carries a deploy out: a script (with or without a checkout) or an HTTP endpoint. The
 * adapters in src/deployer implement it; the flows never see a process or a socket.
 */
export interface DeployProvider {
  /**
   * Gets what a deploy to `target` needs before its log opens, such as the token a checkout
   * fetches with, so the log masks it too. Throws a DeploybotError when that cannot be had.
   */
  prepare(target: DeployTarget): Promise<PreparedDeploy>;
}

export interface PreparedDeploy {
  /** Values the deploy's log must not show, beyond deploybot's own and the provider's config. */
  readonly secrets: readonly string[];
  /**
   * Carries the deploy out. Resolves 'aborted' when `signal` fired (nothing is left running
   * then); throws a DeploybotError (e.g. checkout_failed) when it could not run.
   */
  run(run: ProviderRun): Promise<ProviderOutcome | 'aborted'>;
}

export interface ProviderRun {
  readonly facts: DeployFacts;
  readonly log: DeployLogSink;
  readonly signal: AbortSignal;
  /** Told the moment the provider itself starts: from then on the deploy may have changed something. */
  began(): void;
  /** Told each process group the deploy starts, so a restarted deploybot can stop what it left. */
  spawned(pid: number): void;
  /** Told of the working copy before it is made; resolves once a restart would find and remove it. */
  madeWorkDir(dir: string): Promise<void>;
}
