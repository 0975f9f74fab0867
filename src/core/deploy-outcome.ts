import { formatDurationWords } from './duration.js';
import type { DeploybotError } from './errors.js';
import { fitGitHubDescription } from './github-limits.js';

/** How one run of a deployment ended, as the deployer saw it. */
export type DeployOutcome =
  | { readonly kind: 'succeeded'; readonly durationMs: number }
  // failure: the deploy ran and said no
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'killed_by_signal'; readonly signal: string }
  | { readonly kind: 'http_status'; readonly status: number; readonly statusText: string }
  // error: it could not run to the end
  | { readonly kind: 'timed_out'; readonly seconds: number }
  | { readonly kind: 'cancelled'; readonly by: string }
  // the process running it stopped (died) and another took it over
  | { readonly kind: 'orphaned' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'checkout_failed'; readonly sha: string; readonly reason: string }
  | { readonly kind: 'could_not_start'; readonly command: string; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly host: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string }
  // deploybot's rules did not let it run: an untrusted creator, an old deployment
  | { readonly kind: 'not_run'; readonly reason: string }
  | { readonly kind: 'crashed'; readonly reason: string };

/** What a provider reports: the runner times a success itself, the checkout included. */
export type ProviderOutcome = Exclude<DeployOutcome, { readonly kind: 'succeeded' }> | 'succeeded';

export type FinalDeployState = 'success' | 'failure' | 'error';

export interface DescribedOutcome {
  readonly state: FinalDeployState;
  /** Fits GitHub's limit on status descriptions (GITHUB_DESCRIPTION_MAX). */
  readonly description: string;
}

/** The final GitHub status of a run and the words a person reads in Slack and on GitHub. */
export function describeOutcome(outcome: DeployOutcome): DescribedOutcome {
  const [state, text] = wordOutcome(outcome);
  return { state, description: fitGitHubDescription(text) };
}

function wordOutcome(o: DeployOutcome): [FinalDeployState, string] {
  switch (o.kind) {
    case 'succeeded':
      return ['success', `deployed in ${formatDurationWords(o.durationMs)}`];
    case 'exited':
      return ['failure', `script exited with code ${o.code}`];
    case 'killed_by_signal':
      return ['failure', `script was killed by ${o.signal}`];
    case 'http_status':
      return [
        'failure',
        `deploy endpoint answered HTTP ${o.status}${o.statusText ? ` ${o.statusText}` : ''}`,
      ];
    case 'timed_out':
      return ['error', `timed out after ${formatDurationWords(o.seconds * 1000)}`];
    case 'cancelled':
      return ['error', `cancelled by ${o.by.startsWith('@') ? o.by : `@${o.by}`}`];
    case 'orphaned':
      return ['error', 'the deploybot process running it stopped'];
    case 'stopped':
      return ['error', 'deploybot stopped during the deploy'];
    case 'checkout_failed':
      return ['error', `could not check out ${o.sha.slice(0, 7)}: ${o.reason}`];
    case 'could_not_start':
      return ['error', `could not start ${o.command}: ${o.reason}`];
    case 'unreachable':
      return ['error', `could not reach ${o.host}: ${o.reason}`];
    case 'refused':
      return ['error', `refused: ${o.reason}`];
    case 'not_run':
      return ['error', `not run: ${o.reason}`];
    case 'crashed':
      return ['error', `deploybot could not run the deploy: ${o.reason}`];
  }
}

/** The outcome of a run that stopped on a DeploybotError, decided by its code. */
export function outcomeFromError(error: DeploybotError): DeployOutcome {
  const d = error.details;
  switch (error.code) {
    case 'invalid_ref':
    case 'invalid_name':
    case 'unknown_repository':
    case 'unknown_environment':
      return { kind: 'refused', reason: error.message };
    case 'checkout_failed':
      return { kind: 'checkout_failed', sha: String(d.sha ?? ''), reason: error.message };
    case 'deploy_timed_out':
      return { kind: 'timed_out', seconds: Number(d.seconds ?? 0) };
    case 'deploy_cancelled':
      return { kind: 'cancelled', by: String(d.by ?? 'someone') };
    case 'provider_crashed':
      return typeof d.command === 'string'
        ? { kind: 'could_not_start', command: d.command, reason: error.message }
        : { kind: 'crashed', reason: error.message };
    default:
      if (error.code.startsWith('github_')) {
        return { kind: 'crashed', reason: `GitHub could not be asked about the deployment (${error.code})` };
      }
      return { kind: 'crashed', reason: `internal error (${error.code})` };
  }
}
