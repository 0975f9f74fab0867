/**
 * The App Home board: for each repository and environment the viewer may see, what runs
 * there, what is deploying, what waits, locks, freezes and CI waits, with buttons for the
 * same flows as `/deploy`. Rendering is pure: the facts come from a use case.
 */
import { shortSha } from './announcement.js';
import { commitLink, lockLine } from './command-replies-status.js';
import { stateEmoji } from './deployment-look.js';
import type { DeploymentState } from './deployment-state.js';
import { formatAgo, formatDurationShort } from './duration.js';
import type { FreezePeriod } from './freeze.js';
import { formatWhen } from './freeze-text.js';
import type { Lock } from './lock-policy.js';
import { type Block, button, escapeMrkdwn, linkTo, mrkdwn } from './message.js';

/** Slack's limits for a Home tab: blocks per view, characters per section text. */
export const VIEW_MAX_BLOCKS = 100;
const SECTION_MAX_CHARS = 3000;
const BUTTON_MAX_CHARS = 75;
/** An actions block holds at most 25 elements. */
const ACTIONS_MAX_ELEMENTS = 25;

export const ACTION_HOME_DEPLOY = 'home_deploy';
export const ACTION_HOME_LOCK = 'home_lock';
export const ACTION_HOME_UNLOCK = 'home_unlock';
export const ACTION_HOME_ROLLBACK = 'home_rollback';

export type BoardAction = 'deploy' | 'lock' | 'unlock' | 'rollback';

export interface BoardEnvironment {
  readonly environment: string;
  /** What runs there now: the newest successful deployment. */
  readonly current?: {
    readonly ref: string;
    readonly sha: string;
    readonly deployer: string;
    readonly at: number;
    readonly environmentUrl?: string;
  };
  /** A deployment on its way (queued, pending, in progress). */
  readonly running?: {
    readonly ref: string;
    readonly sha: string;
    readonly state: DeploymentState;
    readonly since: number;
    readonly logUrl?: string;
  };
  /** Deploys waiting behind it in deploybot's queue. */
  readonly queued: number;
  readonly lock?: Lock;
  readonly freeze?: FreezePeriod;
  readonly nextFreeze?: FreezePeriod;
  /** Merged pull requests waiting for CI, with the checks they wait for. */
  readonly ciWaits: ReadonlyArray<{ readonly sha: string; readonly waitingFor: readonly string[] }>;
  /** The buttons the viewer may press here. */
  readonly actions: readonly BoardAction[];
}

export interface BoardRepository {
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly environments: readonly BoardEnvironment[];
}

export interface Board {
  readonly repositories: readonly BoardRepository[];
  readonly now: number;
  /** How times are written: the viewer's zone as Slack reports it, else UTC. */
  readonly timeZone: string;
}

export interface HomeView {
  readonly type: 'home';
  readonly blocks: readonly Block[];
}

/** What a board button carries: which flow, for which repository and environment. */
export interface BoardTarget {
  readonly repository: string;
  readonly environment: string;
}

export function boardButtonValue(target: BoardTarget): string {
  return JSON.stringify([target.repository, target.environment]);
}

/** The target a board button carried; undefined for anything deploybot did not render. */
export function readBoardButtonValue(value: string): BoardTarget | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      return { repository: parsed[0] as string, environment: parsed[1] as string };
    }
  } catch {
    // Not ours.
  }
  return undefined;
}

const BUTTONS: Readonly<Record<BoardAction, { readonly label: string; readonly actionId: string }>> = {
  deploy: { label: 'Deploy…', actionId: ACTION_HOME_DEPLOY },
  lock: { label: 'Lock…', actionId: ACTION_HOME_LOCK },
  unlock: { label: 'Unlock', actionId: ACTION_HOME_UNLOCK },
  rollback: { label: 'Rollback', actionId: ACTION_HOME_ROLLBACK },
};

function environmentLines(repo: BoardRepository, env: BoardEnvironment, board: Board): string[] {
  const { now, timeZone } = board;
  const name = `*${escapeMrkdwn(env.environment)}*`;
  const current = env.current;
  const lines = [
    current
      ? `${name} ${stateEmoji('success')} \`${escapeMrkdwn(current.ref)}\` (${commitLink(repo.repositoryUrl, current.sha)}) by ${escapeMrkdwn(current.deployer)} ${formatAgo(current.at, now)}${current.environmentUrl ? ` · ${linkTo(current.environmentUrl, 'open')}` : ''}`
      : `${name} nothing deployed yet`,
  ];
  const running = env.running;
  if (running) {
    const log = running.logUrl ? ` · ${linkTo(running.logUrl, 'Log')}` : '';
    lines.push(
      `      ${stateEmoji(running.state)} \`${running.state}\` ${escapeMrkdwn(running.ref)} (${shortSha(running.sha)}) for ${formatDurationShort(now - running.since)}${log}`,
    );
  }
  if (env.queued > 0) lines.push(`      :hourglass_flowing_sand: ${env.queued} waiting in the queue`);
  if (env.lock) {
    const until =
      env.lock.expiresAt === undefined ? '' : ` until ${formatWhen(env.lock.expiresAt, timeZone)}`;
    lines.push(`      ${lockLine(env.lock, now)}${until}`);
  }
  if (env.freeze) {
    lines.push(
      `      :snowflake: frozen${env.freeze.reason ? ` (${escapeMrkdwn(env.freeze.reason)})` : ''} until ${formatWhen(env.freeze.end, timeZone)}`,
    );
  } else if (env.nextFreeze) {
    lines.push(
      `      :snowflake: freeze${env.nextFreeze.reason ? ` (${escapeMrkdwn(env.nextFreeze.reason)})` : ''} from ${formatWhen(env.nextFreeze.start, timeZone)} to ${formatWhen(env.nextFreeze.end, timeZone)}`,
    );
  }
  for (const wait of env.ciWaits) {
    lines.push(
      `      :hourglass: ${shortSha(wait.sha)} waits for CI: ${wait.waitingFor.map((c) => `\`${escapeMrkdwn(c)}\``).join(', ')}`,
    );
  }
  return lines;
}

/** "Deploy staging…": a button's text holds at most 75 characters, so a long name is cut. */
function buttonLabel(label: string, environment: string): string {
  const verb = label.replace('…', '');
  const ellipsis = label.endsWith('…') ? '…' : '';
  const room = BUTTON_MAX_CHARS - verb.length - 1 - ellipsis.length;
  const name = environment.length > room ? `${environment.slice(0, room - 1)}…` : environment;
  return `${verb} ${name}${ellipsis}`;
}

function repositoryBlocks(repo: BoardRepository, board: Board): Block[] {
  const head = `*${linkTo(repo.repositoryUrl, repo.repository)}*`;
  let text = [head, ...repo.environments.flatMap((env) => environmentLines(repo, env, board))].join('\n');
  if (text.length > SECTION_MAX_CHARS) text = `${text.slice(0, SECTION_MAX_CHARS - 1)}…`;
  const buttons = repo.environments.flatMap((env) =>
    env.actions.map((action) => {
      const { label, actionId } = BUTTONS[action];
      const many = repo.environments.length > 1;
      return button(
        many ? buttonLabel(label, env.environment) : label,
        // action_id must be unique within a view; the value says what the button is for.
        `${actionId}:${repo.repository}:${env.environment}`,
        boardButtonValue({ repository: repo.repository, environment: env.environment }),
      );
    }),
  );
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(text) }];
  for (let i = 0; i < buttons.length; i += ACTIONS_MAX_ELEMENTS) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + ACTIONS_MAX_ELEMENTS) });
  }
  return blocks;
}

/** The Home tab, within Slack's limits: repositories that do not fit are named in a last line. */
export function renderHomeBoard(board: Board): HomeView {
  const blocks: Block[] = [
    {
      type: 'context',
      elements: [mrkdwn(`*deploybot* · what runs where · updated ${formatWhen(board.now, board.timeZone)}`)],
    },
  ];
  if (board.repositories.length === 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn('No repository in deploybot.yml has an environment you may deploy to.'),
    });
    return { type: 'home', blocks };
  }
  // One block is kept for the "more" line.
  const room = VIEW_MAX_BLOCKS - 1;
  let shown = 0;
  for (const repo of board.repositories) {
    const next = repositoryBlocks(repo, board);
    // No dividers: two blocks a repository let a config of 50 repositories show nearly all of them.
    if (blocks.length + next.length > room) break;
    blocks.push(...next);
    shown += 1;
  }
  const hidden = board.repositories.slice(shown);
  if (hidden.length > 0) {
    const names = hidden.map((r) => escapeMrkdwn(r.repository));
    const list =
      names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`…more: ${list} do not fit here; ask \`/deploy where REPO\`.`)],
    });
  }
  return { type: 'home', blocks };
}
