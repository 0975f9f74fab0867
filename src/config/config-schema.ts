import { z } from 'zod';
import {
  ENV_VAR_NAME,
  ENVIRONMENT_NAME,
  GITHUB_LOGIN,
  GITHUB_OWNER,
  HTTP_HEADER_NAME,
  isCloneUrl,
  isHttpUrl,
  isRepoFullName,
  isReservedEnvVarName,
  isTrustedCreatorLogin,
  isValidBranchName,
  RESERVED_ENV_VAR_NAMES,
  SLACK_CHANNEL_ID,
  SLACK_USER_ID,
  SLACK_USERGROUP_ID,
} from '../core/names.js';
import { freezeSchema, freezeWindowSchema, stuckAfterSchema } from './freeze-schema.js';

/**
 * The deploybot.yml schema as written (snake_case). Shape checks live here; checks that
 * relate several fields live in config-checks.ts so they run even when a sibling is
 * malformed (zod skips an object's refinements once a field inside it fails).
 */

function shaped(check: (value: string) => boolean, message: (value: string) => string, fix?: string) {
  return z.string().refine(check, {
    error: (issue) => message(String(issue.input)),
    ...(fix === undefined ? {} : { params: { fix } }),
  });
}

const looksLikeName = (value: string): boolean => /^[#@]/.test(value) || /[a-z]/.test(value);

const channelId = shaped(
  (v) => SLACK_CHANNEL_ID.test(v),
  (v) =>
    looksLikeName(v) ? `"${v}" is a channel name, not a channel ID` : `"${v}" is not a Slack channel ID`,
  'Use the ID from the channel details: in Slack, click the channel name and copy the Channel ID at the bottom of the About tab (e.g. C0123ABCD)',
);
const userId = shaped(
  (v) => SLACK_USER_ID.test(v),
  (v) => (looksLikeName(v) ? `"${v}" is a user name, not a Slack user ID` : `"${v}" is not a Slack user ID`),
  "Use the member ID (U… or W…): open the person's Slack profile, then ⋮ → Copy member ID",
);
const userOrGroupId = shaped(
  (v) => SLACK_USER_ID.test(v) || SLACK_USERGROUP_ID.test(v),
  (v) =>
    looksLikeName(v) ? `"${v}" is a name, not a Slack ID` : `"${v}" is not a Slack user ID or user group ID`,
  "Use member IDs (U… or W…: profile → ⋮ → Copy member ID) or user group IDs (S…: the group's page → ⋮ → Copy group ID)",
);
const nameFix =
  'Use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters';
const environmentName = shaped(
  (v) => ENVIRONMENT_NAME.test(v),
  (v) => `"${v}" is not a valid environment name`,
  nameFix,
);
const repoAlias = shaped(
  (v) => ENVIRONMENT_NAME.test(v),
  (v) => `"${v}" is not a valid repository alias`,
  nameFix,
);
const repoFullName = shaped(
  isRepoFullName,
  (v) => `"${v}" is not a repository "owner/name"`,
  'Write the repository as it appears on GitHub, e.g. octo-org/web',
);
const branchName = shaped(
  isValidBranchName,
  (v) => `"${v}" is not a valid branch name`,
  'A branch name cannot contain spaces, "..", or any of ~^:?*[\\, and cannot start with "-" or end with "/", "." or ".lock"',
);
const httpUrl = shaped(isHttpUrl, (v) => `"${v}" is not an http:// or https:// URL`);
const cloneUrl = shaped(
  isCloneUrl,
  (v) => `"${v}" is not a clone URL deploybot accepts`,
  'Use an absolute or ./relative path, or a file://, https://, ssh:// or git@host:path URL',
);
const githubOwner = shaped(
  (v) => GITHUB_OWNER.test(v),
  (v) => `"${v}" is not a GitHub user or organization name`,
);
const githubLogin = shaped(
  (v) => GITHUB_LOGIN.test(v),
  (v) => `"${v}" is not a GitHub login`,
  'Use the GitHub username without "@"',
);
const trustedCreator = shaped(
  (v) => isTrustedCreatorLogin(v),
  (v) => `"${v}" is not a GitHub login or an app's "name[bot]"`,
  'Use the GitHub username without "@", or an app as "name[bot]" (github-actions[bot])',
);
const envVarName = shaped(
  (v) => ENV_VAR_NAME.test(v) && !isReservedEnvVarName(v),
  (v) =>
    ENV_VAR_NAME.test(v)
      ? `"${v}" is set by the deployer itself and cannot be overridden`
      : `"${v}" is not a valid environment variable name`,
  `Use letters, digits and "_", not starting with a digit; ${RESERVED_ENV_VAR_NAMES.join(', ')} are reserved`,
);
const headerName = shaped(
  (v) => HTTP_HEADER_NAME.test(v),
  (v) => `"${v}" is not a valid HTTP header name`,
);
const headerValue = shaped(
  (v) => !/[\r\n\0]/.test(v),
  () => 'a header value cannot contain line breaks',
);

const nonEmptyString = z.string().min(1, { error: 'must not be empty' });
const positiveSeconds = z
  .number({ error: (issue) => `expected a positive number${describeGot(issue.input)}` })
  .positive({ error: 'expected a positive number' });
// YAML reads `PORT: 8080` as a number; an env var value is a string either way.
const envValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'expected a string' })
  .transform((value) => String(value));

/** YAML reads a key with nothing after it (`staging:`) as null; treat that as an empty mapping. */
function mapping<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? {} : value), schema);
}

const command = z
  .array(nonEmptyString, {
    // Returning undefined falls back to describeIssue, which words a missing key.
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : typeof issue.input === 'string'
          ? `expected a list such as ["./script/deploy", "staging"], got a string (deploybot runs the command without a shell)`
          : `expected a list of strings${describeGot(issue.input)}`,
  })
  .min(1, { error: 'must name the command to run' });

export const scriptProviderSchema = z.strictObject({
  type: z.literal('script'),
  command,
  checkout: z.boolean().optional(),
  timeout: positiveSeconds.optional(),
  env: mapping(z.record(envVarName, envValue)).optional(),
});
export const httpProviderSchema = z.strictObject({
  type: z.literal('http'),
  url: httpUrl,
  headers: mapping(z.record(headerName, headerValue)).optional(),
  timeout: positiveSeconds.optional(),
});
export const externalProviderSchema = z.strictObject({ type: z.literal('external') });

const providerSchema = z.discriminatedUnion('type', [
  scriptProviderSchema,
  httpProviderSchema,
  externalProviderSchema,
]);

export const environmentSchema = z.strictObject({
  aliases: z.array(environmentName).optional(),
  deploy_on_merge: branchName.optional(),
  url: httpUrl.optional(),
  required_contexts: z.array(nonEmptyString).optional(),
  trusted_creators: z.array(trustedCreator).optional(),
  production: z.boolean().optional(),
  confirm: z.boolean().optional(),
  deployers: z.array(userOrGroupId).optional(),
  admins: z.array(userOrGroupId).optional(),
  approvals: z
    .number({ error: (issue) => `expected a whole number from 0 to 5${describeGot(issue.input)}` })
    .int({ error: 'expected a whole number from 0 to 5' })
    .min(0, { error: 'expected a whole number from 0 to 5' })
    .max(5, { error: 'expected a whole number from 0 to 5' })
    .optional(),
  provider: mapping(providerSchema).optional(),
  freeze: freezeSchema.optional(),
  stuck_after: stuckAfterSchema.optional(),
});

export const repoSchema = z.strictObject({
  channel: channelId.optional(),
  aliases: z.array(repoAlias).optional(),
  clone_url: cloneUrl.optional(),
  default_environment: nonEmptyString.optional(),
  environments: mapping(z.record(environmentName, mapping(environmentSchema))).refine(
    (environments) => Object.keys(environments).length > 0,
    { error: 'must list at least one environment' },
  ),
});

export const slackSchema = z.strictObject({ channel: channelId });
export const githubSchema = z.strictObject({ owner: githubOwner.optional() });

export const configSchema = z.strictObject({
  slack: mapping(slackSchema),
  github: mapping(githubSchema).optional(),
  users: mapping(z.record(userId, githubLogin)).optional(),
  repos: mapping(z.record(repoFullName, mapping(repoSchema))).refine(
    (repos) => Object.keys(repos).length > 0,
    { error: 'must list at least one repository' },
  ),
});

export type RawConfig = z.output<typeof configSchema>;
export type RawEnvironment = z.output<typeof environmentSchema>;
export type RawProvider = z.output<typeof providerSchema>;

/** Fallback wording for issues the schema does not word itself. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const quote =
        issue.expected === 'string' && ['number', 'boolean'].includes(typeof issue.input)
          ? ' (put it in quotes)'
          : '';
      return `expected ${expected}${describeGot(issue.input)}${quote}`;
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator === undefined) return undefined;
      const options = (issue as { options?: unknown[] }).options ?? [];
      const list = options.map((option) => JSON.stringify(option)).join(', ');
      const input = issue.input;
      const got =
        input !== null && typeof input === 'object'
          ? (input as Record<string, unknown>)[discriminator]
          : undefined;
      return got === undefined ? `is required: one of ${list}` : `expected one of ${list}${describeGot(got)}`;
    }
    case 'too_small':
      if (issue.origin === 'array')
        return issue.minimum === 1 ? 'must not be empty' : `must list at least ${issue.minimum}`;
      if (issue.origin === 'string') return 'must not be empty';
      return undefined;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}${describeGot(issue.input)}`;
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function describeGot(input: unknown): string {
  if (input === undefined) return '';
  if (input === null) return ', got an empty value';
  if (Array.isArray(input)) return ', got a list';
  if (typeof input === 'object') return ', got a mapping';
  const text = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return `, got ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}

/** The keys allowed in the object at `path`, for "did you mean" hints on unknown keys. */
export function allowedKeysAt(path: readonly PropertyKey[], provider: unknown): readonly string[] {
  const shapes: Record<string, z.ZodObject> = {
    root: configSchema,
    slack: slackSchema,
    github: githubSchema,
    repo: repoSchema,
    environment: environmentSchema,
    script: scriptProviderSchema,
    http: httpProviderSchema,
    external: externalProviderSchema,
    freeze: freezeWindowSchema as unknown as z.ZodObject,
  };
  const type = (provider as { type?: unknown } | undefined)?.type;
  const kind =
    path.length === 0
      ? 'root'
      : path.length === 1
        ? String(path[0])
        : path.length === 2
          ? 'repo'
          : path.length === 4
            ? 'environment'
            : path[4] === 'freeze'
              ? 'freeze'
              : typeof type === 'string'
                ? type
                : '';
  const shape = shapes[kind];
  return shape ? Object.keys(shape.shape) : [];
}
