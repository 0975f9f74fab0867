import { homedir, tmpdir } from 'node:os';
import { createLogger } from '../../src/logger.js';
import { type RunningPlayground, startPlayground } from '../../src/playground/start-playground.js';
import { createProcessMemory } from '../../src/process-memory.js';
import { createSystemScheduler } from '../../src/system-scheduler.js';
import { TEST_TIMINGS } from '../support/harness.js';

export interface PlaygroundRig {
  readonly playground: RunningPlayground;
  /** Every line deploybot logged (warnings and worse). */
  readonly logs: string[];
  /** POSTs JSON to /playground/api/PATH. */
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  state(user?: string): Promise<PlaygroundStateView>;
}

export interface PlaygroundStateView {
  me: string;
  items: Array<{ key: string; channel: string; text: string; visibleTo?: string; blocks: unknown[] }>;
  github: {
    pulls: Array<{ number: number; state: string; mergeSha?: string }>;
    commits: Array<{ sha: string; statuses: Record<string, string> }>;
    deployments: Array<{
      id: number;
      environment: string;
      creator: string;
      state: string;
      statuses: Array<{ logUrl: string }>;
    }>;
  };
}

/** The playground on a random port, as `npm run playground` starts it, with the tests' short waits. */
export async function startPlaygroundRig(config?: { text: string; source: string }): Promise<PlaygroundRig> {
  const logs: string[] = [];
  const playground = await startPlayground({
    port: 0,
    ...(config ? { config } : {}),
    tempDir: tmpdir(),
    logger: createLogger({ level: 'warn', destination: { write: (line: string) => logs.push(line) } }),
    scheduler: createSystemScheduler(),
    fetch: globalThis.fetch,
    memory: createProcessMemory(),
    timings: TEST_TIMINGS,
    deployHost: { path: process.env.PATH ?? '/usr/bin:/bin', home: homedir() },
  });
  const api = (path: string) => `${playground.pageUrl}/api/${path}`;
  return {
    playground,
    logs,
    async post(path, body) {
      const response = await fetch(api(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async state(user) {
      const response = await fetch(`${api('state')}${user ? `?user=${user}` : ''}`);
      return (await response.json()) as PlaygroundStateView;
    },
  };
}

/** Polls until `check` returns something, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
