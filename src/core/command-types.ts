/** What a parsed `/deploy …` command is: one shape per command. */

import type { EnvironmentConfig, RepoConfig } from './config.js';

export interface DeployCommand {
  readonly kind: 'deploy';
  readonly repo: RepoConfig;
  /** Undefined: the repository's default branch, asked of GitHub later. */
  readonly ref?: string;
  readonly environment: EnvironmentConfig;
  readonly force: boolean;
}
export interface WhereCommand {
  readonly kind: 'where';
  readonly repo: RepoConfig;
}
export interface HistoryCommand {
  readonly kind: 'history';
  readonly repo: RepoConfig;
  /** Undefined: every environment. */
  readonly environment?: EnvironmentConfig;
}
export interface LockCommand {
  readonly kind: 'lock';
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  /** As typed (trimmed); escape it before showing it. */
  readonly reason?: string;
  readonly durationMs?: number;
  readonly steal: boolean;
}
export interface UnlockCommand {
  readonly kind: 'unlock';
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}
export interface RollbackCommand {
  readonly kind: 'rollback';
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}
export interface CancelCommand {
  readonly kind: 'cancel';
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}
export interface HelpCommand {
  readonly kind: 'help';
}
export interface InvalidCommand {
  readonly kind: 'invalid';
  /** One or two sentences for the asker, mrkdwn-safe: user text in it is quoted and escaped. */
  readonly reason: string;
  /** Plain names or commands the asker may have meant, closest first; escape when showing. */
  readonly suggestions: string[];
}

export type ParsedCommand =
  | DeployCommand
  | WhereCommand
  | HistoryCommand
  | LockCommand
  | UnlockCommand
  | RollbackCommand
  | CancelCommand
  | HelpCommand
  | InvalidCommand;
