import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Harness, type HarnessOptions, startHarness } from '../harness.js';
import { FIXTURE_SCRIPT } from './files.js';

export const REPO = 'octo-org/web';

export type TestProvider =
  | {
      type: 'script';
      command: string[];
      checkout?: boolean;
      timeout?: number;
      env?: Record<string, string>;
    }
  | { type: 'http'; url: string; headers?: Record<string, string>; timeout?: number }
  | { type: 'external' };

export interface TestEnvironment {
  provider: TestProvider;
  aliases?: string[];
  url?: string;
  deploy_on_merge?: string;
  required_contexts?: string[];
  trusted_creators?: string[];
}

/** Who creates the stand-in's deployments when a test does so directly (createDeploymentDirectly). */
export const DIRECT_CREATOR = 'octocat';

/**
 * deploybot.yml for octo-org/web with the given environments; JSON is YAML too. The
 * environments deploybot carries out trust DIRECT_CREATOR unless they say whom they trust,
 * so the deployments a test creates directly run.
 */
export function deployConfig(environments: Record<string, TestEnvironment>, cloneUrl?: string): string {
  const trusting = Object.fromEntries(
    Object.entries(environments).map(([name, environment]) => [
      name,
      environment.provider.type === 'external' || environment.trusted_creators !== undefined
        ? environment
        : { ...environment, trusted_creators: [DIRECT_CREATOR] },
    ]),
  );
  return JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    github: { owner: 'octo-org' },
    repos: {
      [REPO]: { ...(cloneUrl ? { clone_url: cloneUrl } : {}), environments: trusting },
    },
  });
}

/** The fixture script as a provider that needs no checkout; `env` adds to RESULT_DIR. */
export function fixtureProvider(
  resultDir: string,
  args: string[],
  options: { timeout?: number; env?: Record<string, string> } = {},
): TestProvider {
  return {
    type: 'script',
    command: [process.execPath, FIXTURE_SCRIPT, ...args],
    checkout: false,
    timeout: options.timeout ?? 60,
    env: { RESULT_DIR: resultDir, ...options.env },
  };
}

export interface DeployHarness extends Harness {
  /** Where the fixture script writes what it saw. */
  readonly resultDir: string;
}

/** The whole app against the stand-ins, with octo-org/web known to GitHub and a result directory. */
export async function startDeployHarness(
  makeConfig: (resultDir: string) => string,
  options: Omit<HarnessOptions, 'config'> = {},
): Promise<DeployHarness> {
  const resultDir = await mkdtemp(join(tmpdir(), 'deploybot-results-'));
  const harness = await startHarness({
    ...options,
    config: makeConfig(resultDir),
    timings: {
      ...options.timings,
      deployer: {
        killGraceMs: 2_000,
        logFlushMs: 20,
        statusRetryDelayMs: () => 50,
        storeRetryDelayMs: () => 50,
        ...options.timings?.deployer,
      },
    },
  });
  harness.github.addRepository(REPO);
  return {
    ...harness,
    resultDir,
    async stop() {
      await harness.stop();
      await rm(resultDir, { recursive: true, force: true });
    },
  };
}

export interface LogView {
  state: string;
  description: string;
  final: boolean;
  text: string;
}

/** Reads a deployment's whole log through the log page's JSON endpoint, as the page does. */
export async function readLogPage(appUrl: string, logUrl: string): Promise<LogView> {
  const path = new URL(logUrl).pathname;
  let after = 0;
  let text = '';
  for (;;) {
    const response = await fetch(`${appUrl}${path}/log.json?after=${after}`);
    if (response.status !== 200) throw new Error(`log page answered ${response.status}`);
    const data = (await response.json()) as {
      state: string;
      description: string;
      final: boolean;
      more: boolean;
      chunks: Array<{ seq: number; text: string }>;
    };
    for (const chunk of data.chunks) {
      text += chunk.text;
      after = chunk.seq;
    }
    if (!data.more) return { state: data.state, description: data.description, final: data.final, text };
  }
}
