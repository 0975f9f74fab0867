/**
 * The Deploy… modal and the Lock… modal as data, and what their submissions say. Submitting
 * the Deploy modal runs the same flow as `/deploy repo@ref to env`; this file only reads the
 * fields and names the ones that are wrong.
 */
import type { Config, EnvironmentConfig, RepoConfig } from './config.js';
import { findEnvironment, findRepo } from './config-lookup.js';
import { checkDuration } from './duration.js';
import { type BoardTarget, boardButtonValue, readBoardButtonValue } from './home-board.js';
import { fail, ok, type Result } from './result.js';

export const DEPLOY_MODAL_CALLBACK_ID = 'deploy_modal';
export const LOCK_MODAL_CALLBACK_ID = 'lock_modal';
/** The repository select: choosing one sends a block_action, and the environments follow. */
export const ACTION_MODAL_REPOSITORY = 'deploy_modal_repository';
const ACTION_MODAL_ENVIRONMENT = 'deploy_modal_environment';
const ACTION_MODAL_REF = 'deploy_modal_ref';
const ACTION_LOCK_REASON = 'lock_modal_reason';
const ACTION_LOCK_DURATION = 'lock_modal_duration';
export const BLOCK_REPOSITORY = 'repository';
export const BLOCK_REF = 'ref';
const BLOCK_ENVIRONMENT = 'environment';
const BLOCK_REASON = 'reason';
const BLOCK_DURATION = 'duration';
/** A static select holds at most 100 options. */
const SELECT_MAX_OPTIONS = 100;
const TEXT_MAX = 75;

interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
}

interface SelectOption {
  readonly text: PlainText;
  readonly value: string;
}

export interface ModalView {
  readonly type: 'modal';
  readonly callback_id: string;
  readonly title: PlainText;
  readonly submit: PlainText;
  readonly close: PlainText;
  readonly private_metadata: string;
  readonly blocks: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

const plain = (text: string): PlainText => ({
  type: 'plain_text',
  text: text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text,
});
const option = (value: string): SelectOption => ({ text: plain(value), value });

export interface DeployModalInput {
  readonly config: Config;
  /** The repository shown selected: the board's, else the first configured. */
  readonly repository?: string;
  readonly environment?: string;
  /** The repository's default branch, the ref's placeholder; unknown until GitHub says. */
  readonly defaultBranch?: string;
}

/** The Deploy… modal: repository, then its environments, then the ref (the default branch if left empty). */
export function renderDeployModal(input: DeployModalInput): ModalView {
  const repos = input.config.repos.slice(0, SELECT_MAX_OPTIONS);
  const repo = (input.repository && findRepo(input.config, input.repository)) || repos[0];
  const environments = (repo?.environments ?? []).slice(0, SELECT_MAX_OPTIONS);
  const environment =
    (input.environment !== undefined && repo && findEnvironment(repo, input.environment)) ||
    environments.find((e) => e.name === repo?.defaultEnvironment);
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'input',
      block_id: BLOCK_REPOSITORY,
      // Choosing a repository sends a block_action, so the environments can follow it.
      dispatch_action: true,
      label: plain('Repository'),
      element: {
        type: 'static_select',
        action_id: ACTION_MODAL_REPOSITORY,
        placeholder: plain('Choose a repository'),
        options: repos.map((r) => option(r.fullName)),
        ...(repo ? { initial_option: option(repo.fullName) } : {}),
      },
    },
  ];
  if (repo && environments.length > 0) {
    blocks.push({
      type: 'input',
      // A block of its own per repository: Slack keeps a choice made for another one otherwise.
      block_id: `${BLOCK_ENVIRONMENT}:${repo.fullName}`,
      label: plain('Environment'),
      element: {
        type: 'static_select',
        action_id: ACTION_MODAL_ENVIRONMENT,
        placeholder: plain('Choose an environment'),
        options: environments.map((e) => option(e.name)),
        ...(environment ? { initial_option: option(environment.name) } : {}),
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: BLOCK_REF,
    optional: true,
    label: plain('Branch, tag or commit'),
    element: {
      type: 'plain_text_input',
      action_id: ACTION_MODAL_REF,
      placeholder: plain(input.defaultBranch ?? 'the default branch'),
    },
    hint: plain('Left empty: the default branch.'),
  });
  return {
    type: 'modal',
    callback_id: DEPLOY_MODAL_CALLBACK_ID,
    title: plain('Deploy'),
    submit: plain('Deploy'),
    close: plain('Cancel'),
    private_metadata: repo ? boardButtonValue({ repository: repo.fullName, environment: '' }) : '',
    blocks,
  };
}

/** What Slack sends as `view.state.values`: block_id → action_id → the element's value. */
export type ViewStateValues = Readonly<
  Record<
    string,
    Readonly<
      Record<
        string,
        {
          readonly value?: string | null;
          readonly selected_option?: { readonly value: string } | null;
        }
      >
    >
  >
>;

function valueIn(values: ViewStateValues, blockId: string): string | undefined {
  const element = Object.values(values[blockId] ?? {})[0];
  const text = element?.selected_option?.value ?? element?.value ?? undefined;
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The repository chosen in the modal now, as its select says. */
export function chosenRepository(values: ViewStateValues): string | undefined {
  return valueIn(values, BLOCK_REPOSITORY);
}

/** Field errors as `response_action: errors` takes them: block_id → what is wrong. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface DeployModalRequest {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  readonly ref?: string;
  /** The environment field's block, where errors about the environment (permission, lock, freeze) go. */
  readonly environmentBlock: string;
}

/** The submitted Deploy modal as a request, or the fields deploybot.yml does not know. */
export function readDeployModal(
  config: Config,
  values: ViewStateValues,
): Result<DeployModalRequest, FieldErrors> {
  const repoName = chosenRepository(values);
  const repo = repoName === undefined ? undefined : findRepo(config, repoName);
  if (!repo) return fail({ [BLOCK_REPOSITORY]: 'Choose a repository from deploybot.yml.' });
  const environmentBlock = `${BLOCK_ENVIRONMENT}:${repo.fullName}`;
  const envName = valueIn(values, environmentBlock);
  const environment = envName === undefined ? undefined : findEnvironment(repo, envName);
  if (!environment) {
    // The select of another repository, or none: the modal changed under the person submitting it.
    const where = values[environmentBlock] ? environmentBlock : BLOCK_REPOSITORY;
    return fail({ [where]: `Choose an environment of ${repo.fullName}.` });
  }
  const ref = valueIn(values, BLOCK_REF);
  if (ref !== undefined && /\s/.test(ref)) return fail({ [BLOCK_REF]: 'A ref has no spaces.' });
  return ok({ repo, environment, environmentBlock, ...(ref === undefined ? {} : { ref }) });
}

/** The Lock… modal for one environment: an optional reason and an optional duration. */
export function renderLockModal(target: BoardTarget): ModalView {
  return {
    type: 'modal',
    callback_id: LOCK_MODAL_CALLBACK_ID,
    title: plain('Lock'),
    submit: plain('Lock'),
    close: plain('Cancel'),
    private_metadata: boardButtonValue(target),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `Lock *${target.environment}* of *${target.repository}*` },
      },
      {
        type: 'input',
        block_id: BLOCK_REASON,
        optional: true,
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: ACTION_LOCK_REASON, max_length: 200 },
      },
      {
        type: 'input',
        block_id: BLOCK_DURATION,
        optional: true,
        label: plain('For how long'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_LOCK_DURATION,
          placeholder: plain('until unlocked; or 30m, 2h, 1d'),
        },
      },
    ],
  };
}

export interface LockModalRequest {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  readonly reason?: string;
  readonly durationMs?: number;
}

/** The submitted Lock modal as a lock request, or what is wrong with it. */
export function readLockModal(
  config: Config,
  privateMetadata: string,
  values: ViewStateValues,
): Result<LockModalRequest, FieldErrors> {
  const target = readBoardButtonValue(privateMetadata);
  const repo = target && findRepo(config, target.repository);
  const environment = target && repo && findEnvironment(repo, target.environment);
  if (!repo || !environment) return fail({ [BLOCK_REASON]: 'deploybot.yml no longer has this environment.' });
  const reason = valueIn(values, BLOCK_REASON);
  const durationText = valueIn(values, BLOCK_DURATION);
  let durationMs: number | undefined;
  if (durationText !== undefined) {
    const checked = checkDuration(durationText);
    if (!checked.ok) return fail({ [BLOCK_DURATION]: `That ${checked.error.reason}.` });
    durationMs = checked.value;
  }
  return ok({
    repo,
    environment,
    ...(reason === undefined ? {} : { reason }),
    ...(durationMs === undefined ? {} : { durationMs }),
  });
}

/** Field errors are plain text: mentions and links are written out, mrkdwn marks dropped. */
export function fieldErrorText(mrkdwnText: string): string {
  const text = mrkdwnText
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '@$1')
    .replace(/<[^|>]+\|([^>]+)>/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
