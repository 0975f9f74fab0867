/**
 * Hides secrets in deploy output. Output arrives in chunks, so a secret may be split
 * across two of them; the masker holds back the end of a chunk while it could still be the
 * start of a secret, and lets it go once the next chunk shows it is not.
 */

import type { ProviderConfig } from './config.js';

export const MASK = '[masked]';

/**
 * Shorter values are not masked: hiding "eu" or "1" would mangle every word containing
 * them while protecting nothing a reader could not guess.
 */
export const MIN_MASKED_LENGTH = 4;

export interface Masker {
  /** Returns the text that is safe to show now; may hold back a possible secret's start. */
  push(text: string): string;
  /** Returns whatever was held back: the stream ended. */
  end(): string;
}

/**
 * The distinct values worth masking, longest first so a secret containing another is masked
 * whole. Multi-line values (private keys) are masked line by line, as tools print them.
 */
export function selectSecrets(values: Iterable<string | undefined>): string[] {
  const found = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_MASKED_LENGTH) found.add(trimmed);
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
  }
  return masked;
}

export function createMasker(secrets: readonly string[]): Masker {
  const longest = secrets.reduce((max, s) => Math.max(max, s.length), 0);
  let held = '';
  return {
    push(text) {
      const masked = maskText(held + text, secrets);
      const keep = heldSuffixStart(masked, secrets, longest);
      held = masked.slice(keep);
      return masked.slice(0, keep);
    },
    end() {
      const rest = held;
      held = '';
      return rest;
    },
  };
}

/** Where the longest suffix of `text` that is the start of some secret begins (text.length: none). */
function heldSuffixStart(text: string, secrets: readonly string[], longest: number): number {
  for (let start = Math.max(0, text.length - longest + 1); start < text.length; start++) {
    const tail = text.slice(start);
    if (secrets.some((secret) => secret.length > tail.length && secret.startsWith(tail))) return start;
  }
  return text.length;
}

/** The values of a provider's configuration that may be secret: a script's env, an endpoint's headers. */
export function providerSecrets(provider: ProviderConfig | undefined): string[] {
  if (provider?.type === 'script') return Object.values(provider.env);
  if (provider?.type === 'http') return Object.values(provider.headers);
  return [];
}
