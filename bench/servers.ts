/** Starts each server under test as its own process, so its RSS is its own. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/child-process.js';

export interface RunningServer {
  readonly name: string;
  readonly url: string;
  /** From spawn to answering. */
  readonly readyMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

function track(name: string, child: ChildProcess, url: string) {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => output,
    server: (readyMs: number): RunningServer => ({
      name,
      url,
      readyMs,
      rssMb: () => rssOf(child.pid),
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    }),
  };
}

/**
 * BENCH_PROFILE=DIR: each server, anchors too, writes a CPU profile there when it stops (node
 * --cpu-prof), named after its pid. BENCH_NODE_ARGS: more flags for deploybot's node alone,
 * space-separated (say, --require of a counter).
 */
function nodeFlags(deploybot = false): string[] {
  return [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
    ...(deploybot ? (process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []) : []),
  ];
}

/** An anchor from bench/servers/, run through tsx; it prints `listening PORT`. */
export async function startAnchor(
  name: string,
  file: string,
  env: Record<string, string>,
): Promise<RunningServer> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeFlags(), '--import', 'tsx', fileURLToPath(new URL(`servers/${file}`, import.meta.url))],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tracked = track(name, child, '');
  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const match = /listening (\d+)/.exec(tracked.output());
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${tracked.output()}`)));
  });
  const server = tracked.server(performance.now() - started);
  return { ...server, url: `http://127.0.0.1:${port}` };
}

/** deploybot as `npm start` runs it once built: `node dist/main.js`, ready when /healthz answers 200. */
export async function startDeploybot(
  name: string,
  env: Record<string, string>,
  cwd: string,
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags(true), `${ROOT}/dist/main.js`], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tracked = track(name, child, url);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}:\n${tracked.output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (performance.now() - started > 30_000)
      throw new Error(`${name} never became healthy:\n${tracked.output()}`);
  }
  return tracked.server(performance.now() - started);
}
