import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import type { Config, EnvironmentConfig, ProviderConfig } from '../core/config.js';
import { parseDuration } from '../core/duration.js';
import type { FreezeWindow } from '../core/freeze.js';
import { editDistance } from '../core/suggest.js';
import { checkCrossFields, type PathProblem, resolveEnvironmentName } from './config-checks.js';
import {
  allowedKeysAt,
  configSchema,
  describeIssue,
  type RawConfig,
  type RawEnvironment,
  type RawProvider,
} from './config-schema.js';
import { createConfigError, type Problem } from './format-problems.js';
import type { RawFreezeWindow } from './freeze-schema.js';

export const DEFAULT_TIMEOUT_SECONDS = 1800;

const START_FROM_EXAMPLE =
  'To create it: cp deploybot.example.yml deploybot.yml, then edit it (DEPLOYBOT_CONFIG names another file)';

/** Reads and parses deploybot.yml; a missing file is a config problem, not a crash. */
export async function loadConfig(path: string, readFile: (p: string) => Promise<string>): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    const missing = (error as { code?: unknown } | null)?.code === 'ENOENT';
    const reason = error instanceof Error ? error.message : String(error);
    throw createConfigError(
      [
        missing
          ? { where: '', source: path, message: 'does not exist', fix: START_FROM_EXAMPLE }
          : {
              where: '',
              source: path,
              message: `cannot be read (${reason})`,
              fix: 'Check that DEPLOYBOT_CONFIG names a readable file',
            },
      ],
      error,
    );
  }
  return parseConfig(text, path);
}

/**
 * Parses deploybot.yml text. `source` names the file in problems. Throws one
 * config_invalid error listing every problem, in file order.
 */
export function parseConfig(text: string, source: string): Config {
  const lineCounter = new LineCounter();
  // merge: `<<: *staging` lets environments share settings without repeating them.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    throw createConfigError(doc.errors.map((error) => describeSyntaxError(error, source, lineCounter)));
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw createConfigError([{ where: '', source, message: `cannot be read as YAML (${reason})` }], error);
  }
  if (raw === null || raw === undefined) {
    throw createConfigError([{ where: '', source, message: 'is empty', fix: START_FROM_EXAMPLE }]);
  }

  const result = configSchema.safeParse(raw, { error: describeIssue });
  const found = [
    ...(result.success ? [] : result.error.issues.flatMap((issue) => fromIssue(issue, [], raw))),
    ...checkCrossFields(raw),
  ];
  if (found.length > 0 || !result.success) {
    const problems = found.map((problem) => locate(problem, source, doc, lineCounter));
    // Stable sort: problems without a line (whole-file ones) first, the rest in file order.
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw createConfigError(problems);
  }
  return normalizeConfig(result.data);
}

/** `repos."octo-org/web".environments.production.provider.timeout`, as a person would write it. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment);
      const written = /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? text : JSON.stringify(text);
      return index === 0 ? written : `.${written}`;
    })
    .join('');
}

function describeSyntaxError(error: YAMLError, source: string, lineCounter: LineCounter): Problem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  return { where: '', source, line, column: col, message: `YAML syntax error: ${error.message}` };
}

function fromIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], raw: unknown): PathProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => describeUnknownKey(path, key, raw));
  if (issue.code === 'invalid_key') return issue.issues.flatMap((inner) => fromIssue(inner, path, raw));
  const fix = issue.code === 'custom' ? issue.params?.fix : undefined;
  return [typeof fix === 'string' ? { path, message: issue.message, fix } : { path, message: issue.message }];
}

function describeUnknownKey(path: readonly PropertyKey[], key: string, raw: unknown): PathProblem {
  const parent = path.reduce<unknown>(
    (value, segment) => (value as Record<PropertyKey, unknown> | null | undefined)?.[segment],
    raw,
  );
  const allowed = allowedKeysAt(path, parent);
  const suggestion = suggestKey(key, allowed);
  const fix = suggestion
    ? `Did you mean "${suggestion}"?`
    : allowed.length > 0
      ? `Remove it; the keys allowed here are ${allowed.join(', ')}`
      : 'Remove it';
  return { path: [...path, key], message: 'is not a known key', fix };
}

/** The allowed key a typo most likely meant: same letters ignoring case and separators, or 1–2 edits away. */
function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const squash = (text: string) => text.toLowerCase().replace(/[_-]/g, '');
  const same = allowed.find((candidate) => squash(candidate) === squash(key));
  if (same !== undefined) return same;
  const limit = Math.min(2, Math.floor(key.length / 3));
  return allowed.find((candidate) => editDistance(candidate, key.toLowerCase()) <= limit);
}

/** Adds the file and the line of the nearest node that exists, so editors can jump there. */
function locate(problem: PathProblem, source: string, doc: Document, lineCounter: LineCounter): Problem {
  let line: number | undefined;
  for (let length = problem.path.length; length >= 0 && line === undefined; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(problem.path.slice(0, length), true);
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) line = lineCounter.linePos(offset).line;
  }
  return {
    where: formatConfigPath(problem.path),
    source,
    ...(line === undefined ? {} : { line }),
    message: problem.message,
    ...(problem.fix === undefined ? {} : { fix: problem.fix }),
  };
}

function normalizeConfig(raw: RawConfig): Config {
  return {
    slack: { channel: raw.slack.channel },
    github: raw.github?.owner === undefined ? {} : { owner: raw.github.owner },
    users: { ...raw.users },
    repos: Object.entries(raw.repos).map(([fullName, repo]) => {
      const environments = Object.entries(repo.environments).map(([name, env]) =>
        normalizeEnvironment(name, env),
      );
      const wanted = repo.default_environment;
      return {
        fullName,
        owner: fullName.slice(0, fullName.indexOf('/')),
        name: fullName.slice(fullName.indexOf('/') + 1),
        aliases: repo.aliases ?? [],
        ...(repo.channel === undefined ? {} : { channel: repo.channel }),
        ...(repo.clone_url === undefined ? {} : { cloneUrl: repo.clone_url }),
        // Both are guaranteed by the schema and checkCrossFields.
        defaultEnvironment:
          wanted === undefined ? environments[0]!.name : resolveEnvironmentName(repo.environments, wanted)!,
        environments,
      };
    }),
  };
}

function normalizeEnvironment(name: string, env: RawEnvironment): EnvironmentConfig {
  const production = env.production ?? name.toLowerCase() === 'production';
  return {
    name,
    aliases: env.aliases ?? [],
    ...(env.deploy_on_merge === undefined ? {} : { deployOnMerge: env.deploy_on_merge }),
    ...(env.url === undefined ? {} : { url: env.url }),
    ...(env.required_contexts === undefined ? {} : { requiredContexts: env.required_contexts }),
    trustedCreators: env.trusted_creators ?? [],
    production,
    // Asking before a production deploy is the safe default: an environment named production,
    // or marked production whatever it is called.
    confirm: env.confirm ?? (name.toLowerCase() === 'production' || production),
    ...(env.deployers === undefined ? {} : { deployers: env.deployers }),
    admins: env.admins ?? [],
    approvals: env.approvals ?? 0,
    provider: normalizeProvider(env.provider),
    freeze: (env.freeze ?? []).map(normalizeFreezeWindow),
    ...stuckAfter(env.stuck_after),
  };
}

function normalizeProvider(provider: RawProvider | undefined): ProviderConfig {
  switch (provider?.type) {
    case undefined:
    case 'external':
      return { type: 'external' };
    case 'script':
      return {
        type: 'script',
        command: provider.command,
        // Scripts almost always run from the repository, so checking it out is the default.
        checkout: provider.checkout ?? true,
        timeoutSeconds: provider.timeout ?? DEFAULT_TIMEOUT_SECONDS,
        env: provider.env ?? {},
      };
    case 'http':
      return {
        type: 'http',
        url: provider.url,
        headers: provider.headers ?? {},
        timeoutSeconds: provider.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      };
  }
}

const DEFAULT_STUCK_AFTER_MS = 30 * 60_000;

function stuckAfter(raw: string | undefined): { stuckAfterMs?: number } {
  if (raw === 'off') return {};
  return {
    stuckAfterMs: raw === undefined ? DEFAULT_STUCK_AFTER_MS : (parseDuration(raw) ?? DEFAULT_STUCK_AFTER_MS),
  };
}

function normalizeFreezeWindow(raw: RawFreezeWindow): FreezeWindow {
  const reason = raw.reason === undefined ? {} : { reason: raw.reason };
  // The schema guarantees either cron and duration, or from and to.
  if (raw.cron !== undefined) {
    return {
      kind: 'cron',
      cron: raw.cron,
      durationMs: parseDuration(raw.duration ?? '') ?? 0,
      timezone: raw.timezone ?? 'UTC',
      ...reason,
    };
  }
  return { kind: 'fixed', from: Date.parse(raw.from ?? ''), to: Date.parse(raw.to ?? ''), ...reason };
}
