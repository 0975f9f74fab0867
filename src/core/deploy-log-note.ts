import { maskText } from './deploy-mask.js';
import type { DescribedOutcome } from './deploy-outcome.js';

/** One line of deploybot's own in a deploy log, masked. */
export function formatNote(line: string, secrets: readonly string[]): string {
  return `[deploybot] ${maskText(line, secrets)}\n`;
}

/** The words of a log's closing line: how the deploy ended. */
export function describeEnd(described: DescribedOutcome): string {
  return `${described.state}: ${described.description}`;
}

/** A log's closing line for a job that ended without a log of its own open. */
export function formatClosingNote(described: DescribedOutcome, secrets: readonly string[]): string {
  return formatNote(describeEnd(described), secrets);
}
