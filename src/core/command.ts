/**
 * The grammar of `/deploy …` and of `@deploybot deploy …` (the caller strips the mention):
 *
 *   REPO[@REF] [to|in|on ENV][!]         deploy (`!` forces past failing checks)
 *   where REPO
 *   history REPO [in ENV]
 *   lock ENV on REPO[: REASON] [for DURATION]   (`lock …!` steals)
 *   unlock ENV on REPO
 *   rollback REPO [in ENV]
 *   cancel REPO [in ENV]
 *   help
 *
 * Keywords ignore case; extra spaces are ignored. A leading `deploy` is optional. The
 * command keywords always win over a repository of the same name (deploy such a
 * repository as `owner/name` or with a ref). Parsing is pure: unknown names, bad refs and
 * anything else come back as `invalid` with a mrkdwn-safe reason, never as an exception.
 */

import { parseLock } from './command-lock.js';
import { defaultEnvironment, invalid, resolveEnvironment, resolveRepo } from './command-resolve.js';
import { checkRef, normalizeCommandText, quote } from './command-text.js';
import type { ParsedCommand } from './command-types.js';
import type { Config, EnvironmentConfig, RepoConfig } from './config.js';
import { findEnvironment, findRepo } from './config-lookup.js';

export { COMMAND_KEYWORDS } from './command-resolve.js';

export type {
  CancelCommand,
  DeployCommand,
  HelpCommand,
  HistoryCommand,
  InvalidCommand,
  LockCommand,
  ParsedCommand,
  RollbackCommand,
  UnlockCommand,
  WhereCommand,
} from './command-types.js';

export type CommandKind = ParsedCommand['kind'];

export interface CommandContext {
  readonly config: Config;
}

const PREPOSITIONS: ReadonlySet<string> = new Set(['to', 'in', 'on']);

export function parseCommand(text: string, ctx: CommandContext): ParsedCommand {
  const normalized = normalizeCommandText(text);
  if (!normalized.ok) return invalid(normalized.error);
  const tokens = normalized.value.split(/\s+/).filter((token) => token !== '');
  return parseTokens(tokens, ctx.config, true);
}

function parseTokens(tokens: readonly string[], config: Config, deployWordAllowed: boolean): ParsedCommand {
  const [first, ...rest] = tokens;
  if (first === undefined) return { kind: 'help' };
  const word = first.toLowerCase();
  if (word === 'deploy' && deployWordAllowed) {
    // `deploy to prod`, `deploy !`: no other reading works, so it is the repository `deploy`.
    const next = rest[0]?.toLowerCase();
    const namesRepo = next !== undefined && (PREPOSITIONS.has(next) || /^!+$/.test(next));
    if (!(namesRepo && findRepo(config, first) !== undefined)) return parseTokens(rest, config, false);
  }
  switch (word) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'where':
      return parseWhere(rest, config);
    case 'history':
    case 'rollback':
    case 'cancel':
      return parseRepoInEnv(word, rest, config);
    case 'lock':
    case 'lock!':
    case 'unlock':
      return parseLock(word, rest, config);
    default:
      return parseDeploy(tokens, config);
  }
}

function parseDeploy(tokens: readonly string[], config: Config): ParsedCommand {
  const words = [...tokens];
  let force = false;
  const last = words.length - 1;
  if (/^!+$/.test(words[last] ?? '')) {
    force = true;
    words.pop();
  } else if (words[last]?.endsWith('!')) {
    force = true;
    words[last] = words[last]!.replace(/!+$/, '');
  }
  const [targetRaw = '', ...after] = words;
  let target = targetRaw;
  if (target.endsWith('!')) {
    force = true;
    target = target.replace(/!+$/, '');
  }
  const at = target.indexOf('@');
  const repoText = at === -1 ? target : target.slice(0, at);
  let ref: string | undefined;
  if (at !== -1) {
    const checked = checkRef(target.slice(at + 1));
    if (!checked.ok) return invalid(checked.error);
    ref = checked.value;
  }
  if (repoText === '') {
    return invalid(
      at === -1
        ? 'Which repository? Say `REPO[@REF] [to ENV]`, as in `web@main to staging`.'
        : 'Name the repository before the `@`, as in `web@main`.',
    );
  }
  const repo = resolveRepo(config, repoText, ref === undefined);
  if (!repo.ok) return repo.error;

  let environment = defaultEnvironment(repo.value);
  const [preposition, envText, ...extra] = after;
  if (preposition !== undefined) {
    if (!PREPOSITIONS.has(preposition.toLowerCase())) {
      return invalid(
        `I don't understand ${quote(after.join(' '))} after the repository.`,
        guessMeant(repo.value, targetRaw, after),
      );
    }
    if (envText === undefined) {
      return invalid(
        `Which environment? Say \`${preposition.toLowerCase()} ENV\`, as in \`web to staging\`.`,
      );
    }
    const env = resolveEnvironment(repo.value, envText);
    if (!env.ok) return env.error;
    environment = env.value;
    if (extra.length > 0) return invalid(`I don't understand ${quote(extra.join(' '))} at the end.`);
  }
  return {
    kind: 'deploy',
    repo: repo.value,
    ...(ref === undefined ? {} : { ref }),
    environment,
    force,
  };
}

/** `web main` probably meant `web@main`; `web prod` probably meant `web to prod`. */
function guessMeant(repo: RepoConfig, target: string, after: readonly string[]): string[] {
  const [word] = after;
  if (word === undefined || after.length > 1) return [];
  if (findEnvironment(repo, word) !== undefined) return [`${target} to ${word}`];
  if (!target.includes('@') && checkRef(word).ok) return [`${target}@${word}`];
  return [];
}

function parseWhere(rest: readonly string[], config: Config): ParsedCommand {
  const [repoText, ...extra] = rest;
  if (repoText === undefined) return invalid('Which repository? Say `where REPO`.');
  const repo = resolveRepo(config, repoText, false);
  if (!repo.ok) return repo.error;
  if (extra.length > 0) {
    return invalid(`\`where\` takes only a repository; I don't understand ${quote(extra.join(' '))}.`, [
      `where ${repoText}`,
    ]);
  }
  return { kind: 'where', repo: repo.value };
}

/** `history REPO [in ENV]`, `rollback REPO [in ENV]`, `cancel REPO [in ENV]`. */
function parseRepoInEnv(
  word: 'history' | 'rollback' | 'cancel',
  rest: readonly string[],
  config: Config,
): ParsedCommand {
  const [repoText, preposition, envText, ...extra] = rest;
  const usage = `\`${word} REPO [in ENV]\``;
  if (repoText === undefined) return invalid(`Which repository? Say ${usage}.`);
  const repo = resolveRepo(config, repoText, false);
  if (!repo.ok) return repo.error;
  let environment: EnvironmentConfig | undefined;
  if (preposition !== undefined) {
    if (!PREPOSITIONS.has(preposition.toLowerCase()) || envText === undefined || extra.length > 0) {
      return invalid(`I don't understand ${quote(rest.slice(1).join(' '))}; say ${usage}.`);
    }
    const env = resolveEnvironment(repo.value, envText);
    if (!env.ok) return env.error;
    environment = env.value;
  }
  if (word === 'history') {
    return environment === undefined
      ? { kind: 'history', repo: repo.value }
      : { kind: 'history', repo: repo.value, environment };
  }
  return { kind: word, repo: repo.value, environment: environment ?? defaultEnvironment(repo.value) };
}
