import type { FreezeWindow } from './freeze.js';

/** deploybot.yml as the domain sees it: src/config reads and checks the file and produces these. */

export type ProviderConfig =
  | {
      type: 'script';
      command: readonly string[];
      checkout: boolean;
      timeoutSeconds: number;
      env: Readonly<Record<string, string>>;
    }
  | { type: 'http'; url: string; headers: Readonly<Record<string, string>>; timeoutSeconds: number }
  | { type: 'external' };

export interface EnvironmentConfig {
  name: string;
  aliases: readonly string[];
  deployOnMerge?: string;
  url?: string;
  /** Omitted: every commit status must pass. Empty: checks are skipped. */
  requiredContexts?: readonly string[];
  /**
   * GitHub logins (apps as `name[bot]`) whose deployments the deployer runs, besides the ones
   * deploybot created itself. Compared without case.
   */
  trustedCreators: readonly string[];
  production: boolean;
  confirm: boolean;
  /** Omitted: anyone may deploy. */
  deployers?: readonly string[];
  admins: readonly string[];
  approvals: number;
  provider: ProviderConfig;
  /** When deploys to it wait: recurring and fixed windows. */
  freeze: readonly FreezeWindow[];
  /** How long a deployment may go without a new status before its thread is told; absent: never. */
  stuckAfterMs?: number;
}

export interface RepoConfig {
  fullName: string;
  owner: string;
  name: string;
  aliases: readonly string[];
  channel?: string;
  cloneUrl?: string;
  /** The canonical environment name, even when deploybot.yml names it by an alias. */
  defaultEnvironment: string;
  environments: readonly EnvironmentConfig[];
}

export interface Config {
  slack: { channel: string };
  github: { owner?: string };
  /** Slack user ID → GitHub login. */
  users: Readonly<Record<string, string>>;
  repos: readonly RepoConfig[];
}
