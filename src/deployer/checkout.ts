import { isAbsolute, resolve } from 'node:path';
import type { RepoConfig } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import { DeploybotError } from '../core/errors.js';
import { isCloneUrl, isFullSha } from '../core/names.js';
import { redactUrl } from '../core/redact-url.js';
import type { LogCapture } from './log-capture.js';
import { type ProcessResult, runProcess } from './run-process.js';

/** How the deployer reaches repositories that have no clone_url: on GitHub, with the bot's token. */
export interface GitAccess {
  /** e.g. https://github.com, or https://ghe.example.com for GitHub Enterprise Server. */
  readonly githubWebUrl: string;
  /** The token git sends to GitHub for `repository`: the bot's own, or a fresh one of its App's installation there. */
  readonly token: (repository: string) => Promise<string>;
}

/** The header git sends to GitHub; GitHub takes a token as the password of Basic auth. */
export function gitAuthorizationHeader(token: string): string {
  return `Authorization: Basic ${gitBasicCredentials(token)}`;
}

export function gitBasicCredentials(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

/**
 * The environment of every git command: PATH and HOME only, plus configuration through
 * GIT_CONFIG_* so the token is in neither argv (visible to every user in `ps`) nor the
 * working copy's .git/config (readable by the deploy script).
 */
export function buildGitEnv(
  host: HostEnv,
  githubWebUrl: string,
  token: string | undefined,
): Record<string, string> {
  const config: Array<[string, string]> = [
    ['protocol.ext.allow', 'never'],
    ['advice.detachedHead', 'false'],
  ];
  if (token !== undefined) {
    // Scoped to GitHub's URL: a clone_url elsewhere never sees the token.
    config.push([`http.${githubWebUrl}/.extraHeader`, gitAuthorizationHeader(token)]);
  }
  const env: Record<string, string> = {
    PATH: host.path,
    HOME: host.home,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Where to fetch a repository from; relative clone_url paths are relative to `baseDir`. */
export function resolveFetchUrl(repo: RepoConfig, access: GitAccess, baseDir: string): string {
  const configured = repo.cloneUrl;
  if (configured === undefined) return `${access.githubWebUrl}/${repo.owner}/${repo.name}.git`;
  if (!isCloneUrl(configured)) {
    throw new DeploybotError('invalid_name', `clone_url of ${repo.fullName} is not a URL deploybot accepts`);
  }
  if (configured.startsWith('./') || configured.startsWith('../')) return resolve(baseDir, configured);
  return configured;
}

/**
 * Whether git would send the bot's token when fetching from `url`: only to GitHub itself
 * (the extraHeader is scoped to its URL), so only then is the token worth fetching.
 */
export function sendsGitHubToken(url: string, githubWebUrl: string): boolean {
  try {
    const target = new URL(url);
    const github = new URL(`${githubWebUrl.replace(/\/+$/, '')}/`);
    return target.origin === github.origin && target.pathname.startsWith(github.pathname);
  } catch {
    // A local path: no token.
    return false;
  }
}

export interface CheckoutOptions {
  readonly url: string;
  readonly sha: string;
  /** An empty directory that becomes the working copy. */
  readonly dir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly capture: LogCapture;
  readonly signal: AbortSignal;
  readonly graceMs: number;
  readonly onSpawn: (pid: number) => void;
}

/**
 * Makes `dir` a working copy of exactly `sha`: `git init`, fetch that one commit, check it
 * out detached. Servers that refuse to hand out a commit by sha get a full fetch instead.
 * Resolves 'aborted' when the signal fired; throws checkout_failed otherwise.
 */
export async function checkOutCommit(options: CheckoutOptions): Promise<'done' | 'aborted'> {
  const { url, sha, capture } = options;
  // Callers validate too; this is the last line before git sees the value.
  if (!isFullSha(sha) || (!isAbsolute(url) && !isCloneUrl(url))) {
    throw new DeploybotError('invalid_ref', `refusing to fetch ${JSON.stringify(sha)}`, { details: { sha } });
  }
  const shown = isAbsolute(url) ? url : redactUrl(url);
  const git = async (args: string[]) => {
    capture.note(`$ git ${args.map((a) => (a === url ? shown : a)).join(' ')}`);
    const result = await runProcess({
      command: 'git',
      args,
      cwd: options.dir,
      env: options.env,
      onOutput: (source, chunk) => capture.write(source, chunk),
      signal: options.signal,
      graceMs: options.graceMs,
      onSpawn: options.onSpawn,
    });
    capture.endOutput();
    return result;
  };
  const fail = (step: string, result: ProcessResult, reason?: string): never => {
    const why =
      reason ??
      (result.kind === 'exited'
        ? `git ${step} exited with code ${result.code}`
        : result.kind === 'spawn_failed'
          ? `git could not be started (${result.code})`
          : `git ${step} was killed`);
    throw new DeploybotError('checkout_failed', why, { details: { sha } });
  };
  const succeeded = (result: ProcessResult) => result.kind === 'exited' && result.code === 0;

  const init = await git(['init', '--quiet']);
  if (init.kind === 'aborted') return 'aborted';
  if (!succeeded(init)) fail('init', init);

  let fetch = await git(['fetch', '--quiet', '--no-tags', '--depth=1', '--', url, sha]);
  if (fetch.kind === 'aborted') return 'aborted';
  if (!succeeded(fetch)) {
    capture.note('fetching the commit by its sha failed; fetching every branch and tag instead');
    fetch = await git([
      'fetch',
      '--quiet',
      '--no-tags',
      '--',
      url,
      '+refs/heads/*:refs/remotes/origin/*',
      '+refs/tags/*:refs/tags/*',
    ]);
    if (fetch.kind === 'aborted') return 'aborted';
    if (!succeeded(fetch)) fail('fetch', fetch);
    const present = await git(['cat-file', '-e', `${sha}^{commit}`]);
    if (present.kind === 'aborted') return 'aborted';
    if (!succeeded(present)) fail('cat-file', present, 'the commit is not in the repository');
  }
  const checkout = await git(['checkout', '--quiet', '--detach', sha]);
  if (checkout.kind === 'aborted') return 'aborted';
  if (!succeeded(checkout)) fail('checkout', checkout);
  return 'done';
}
