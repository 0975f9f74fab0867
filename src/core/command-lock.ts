/** The lock commands of the grammar in command.ts. */

import { invalid, resolveEnvironment, resolveRepo } from './command-resolve.js';
import { parseLockDetails } from './command-text.js';
import type { InvalidCommand, ParsedCommand } from './command-types.js';
import type { Config } from './config.js';
import { findEnvironment, findRepo } from './config-lookup.js';

/** `lock ENV on REPO[: REASON] [for DURATION]` (also `… for DURATION: REASON`), `unlock ENV on REPO`. */
export function parseLock(
  word: 'lock' | 'lock!' | 'unlock',
  rest: readonly string[],
  config: Config,
): ParsedCommand {
  const unlock = word === 'unlock';
  const usage = unlock ? '`unlock ENV on REPO`' : '`lock ENV on REPO[: REASON] [for DURATION]`';
  const [envRaw, on, repoRaw, ...tail] = rest;
  if (envRaw === undefined || on === undefined || repoRaw === undefined || on.toLowerCase() !== 'on') {
    return invalid(
      `Say ${usage}, as in \`${unlock ? 'unlock' : 'lock'} production on web\`.`,
      swapped(word, rest, config),
    );
  }
  let steal = word === 'lock!';
  const colon = repoRaw.indexOf(':');
  let repoText = colon === -1 ? repoRaw : repoRaw.slice(0, colon);
  let envText = envRaw;
  if (!unlock) {
    if (envText.endsWith('!')) [envText, steal] = [envText.replace(/!+$/, ''), true];
    if (repoText.endsWith('!')) [repoText, steal] = [repoText.replace(/!+$/, ''), true];
  }
  const after = [colon === -1 ? '' : repoRaw.slice(colon), ...tail].join(' ').trim();

  const repo = resolveRepo(config, repoText, false);
  if (!repo.ok) return withSwap(repo.error, word, rest, config);
  const env = resolveEnvironment(repo.value, envText);
  if (!env.ok) return withSwap(env.error, word, rest, config);
  if (unlock) {
    if (after !== '') return invalid(`\`unlock\` takes no reason or duration; say ${usage}.`);
    return { kind: 'unlock', repo: repo.value, environment: env.value };
  }

  const details = parseLockDetails(after);
  if (!details.ok) return invalid(details.error);
  const { reason, durationMs } = details.value;
  return {
    kind: 'lock',
    repo: repo.value,
    environment: env.value,
    ...(reason === undefined || reason === '' ? {} : { reason }),
    ...(durationMs === undefined ? {} : { durationMs }),
    steal: steal || details.value.steal,
  };
}

/** `lock web on prod` for `lock prod on web`: the words are known, only in the wrong places. */
function swapped(word: string, rest: readonly string[], config: Config): string[] {
  const [first, middle, second] = rest;
  if (first === undefined || middle === undefined || second === undefined || rest.length > 3) return [];
  const repoText = first.replace(/!+$/, '');
  const envText = second.replace(/[!:]+$/, '');
  const repo = findRepo(config, repoText);
  if (repo === undefined || findEnvironment(repo, envText) === undefined) return [];
  return [`${word.replace('!', '')} ${envText} on ${repoText}`];
}

function withSwap(
  result: InvalidCommand,
  word: string,
  rest: readonly string[],
  config: Config,
): InvalidCommand {
  const swap = swapped(word, rest, config);
  if (swap.length === 0) return result;
  return invalid(`It's \`${word.replace('!', '')} ENV on REPO\`: the environment comes first.`, swap);
}
