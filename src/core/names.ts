/**
 * The shapes of names deploybot accepts in deploybot.yml and in chat commands. Kept in
 * one place so the config file, the Slack parser and the deployer agree on them.
 */

/** Public channels start with C, private ones (created before 2021) with G. */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
/** W is an Enterprise Grid user. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const SLACK_USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
export const GITHUB_OWNER = /^[A-Za-z0-9-]+$/;
// Some old accounts have logins GitHub no longer allows (trailing or doubled hyphens).
export const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
export const REPO_FULL_NAME = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP header field name (RFC 9110 token). */
export const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function isRepoFullName(value: string): boolean {
  if (!REPO_FULL_NAME.test(value)) return false;
  const name = value.slice(value.indexOf('/') + 1);
  return name !== '.' && name !== '..';
}

/**
 * The basics of `git check-ref-format` for a branch. Branch names end up on a command
 * line and in GitHub API paths, so anything git itself would refuse is refused here.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  if (name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/')) return false;
  if (name.endsWith('.') || name.includes('..') || name.includes('//') || name.includes('@{')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what git forbids
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** A login GitHub records as a deployment's creator: a user's, or an app's `name[bot]`. */
export function isTrustedCreatorLogin(value: string): boolean {
  const login = value.endsWith('[bot]') ? value.slice(0, -'[bot]'.length) : value;
  return GITHUB_LOGIN.test(login);
}

/**
 * Exactly the variables buildScriptEnv (deploy-env.ts) sets for every script; letting config
 * override them would make a script deploy something other than what GitHub recorded. Other
 * names, `DEPLOY_REGION` among them, are the operator's.
 */
export const RESERVED_ENV_VAR_NAMES: readonly string[] = [
  'DEPLOY_ID',
  'DEPLOY_REPO',
  'DEPLOY_REF',
  'DEPLOY_SHA',
  'DEPLOY_ENVIRONMENT',
  'DEPLOY_TASK',
  'DEPLOY_USER',
  'DEPLOY_PAYLOAD',
  'DEPLOY_LOG_URL',
  'DEPLOY_ENV',
  'BRANCH',
  'SHA',
  'PATH',
  'HOME',
];

export function isReservedEnvVarName(name: string): boolean {
  return RESERVED_ENV_VAR_NAMES.includes(name.toUpperCase());
}

/**
 * Where the deployer may fetch code from. Anything else is refused, in particular values
 * starting with '-' (read by git as an option) and `ext::` transports (run commands).
 */
export function isCloneUrl(value: string): boolean {
  if (value.startsWith('-') || /\s/.test(value)) return false;
  if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../')) return true;
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:./.test(value) && !value.includes('::')) return true;
  try {
    const url = new URL(value);
    return ['file:', 'https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) && !value.includes('::');
  } catch {
    return false;
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A full commit sha as GitHub records it: exactly 40 hex digits, so git can never read it as an option. */
export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/i.test(value);
}

/**
 * A ref as a deployment names it: a branch, a tag, `refs/…` or a sha. The rules of
 * `git check-ref-format` apply to each, and none may start with '-'.
 */
export function isValidGitRef(value: string): boolean {
  return isValidBranchName(value);
}
