import { truncate } from './text.js';

/** GitHub refuses a deployment's or a deployment status's description longer than this. */
export const GITHUB_DESCRIPTION_MAX = 140;

/** A description GitHub takes: cut to its limit, with "…" where it was cut. */
export function fitGitHubDescription(text: string): string {
  return truncate(text, GITHUB_DESCRIPTION_MAX);
}
