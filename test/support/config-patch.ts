import { stringify } from 'yaml';

export type Raw = Record<string, unknown>;

export interface Patch {
  root?: Raw;
  repo?: Raw;
  staging?: Raw;
  production?: Raw;
}

/** The smallest valid config (octo-org/web with staging and production), with a patch applied per level. */
export function configWith(patch: Patch = {}): string {
  const staging = { ...patch.staging };
  const production = { ...patch.production };
  const repo = { environments: { staging, production }, ...patch.repo };
  return stringify({ slack: { channel: 'C0DEPLOYS' }, repos: { 'octo-org/web': repo }, ...patch.root });
}
