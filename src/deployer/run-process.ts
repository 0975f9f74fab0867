import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { isGroupAlive, killProcessGroup, type ProcessTime } from './process-tree.js';

export type OutputSource = 'stdout' | 'stderr';

export interface RunProcessOptions {
  /** argv[0]; never run through a shell. */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the process: nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly onOutput: (source: OutputSource, chunk: Buffer) => void;
  /** Aborting kills the process group: SIGTERM, then SIGKILL after `graceMs`. */
  readonly signal: AbortSignal;
  readonly graceMs: number;
  /** The clock and sleep the grace period and the output's drain are measured with. */
  readonly time: ProcessTime;
  /** Told the process group id as soon as the process exists. */
  readonly onSpawn: (pid: number) => void;
}

export type ProcessResult =
  | { readonly kind: 'exited'; readonly code: number; readonly leftovers: boolean }
  | { readonly kind: 'signalled'; readonly signal: string; readonly leftovers: boolean }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'spawn_failed'; readonly code: string };

// Output still in flight when the process exits gets this long to arrive.
const DRAIN_MS = 1_000;

/**
 * Runs one process in its own process group and waits until neither it nor anything it
 * started is left: a deploy never leaves processes behind, whether it ends, times out or
 * is cancelled.
 */
export async function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  let child: ChildProcess;
  try {
    child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
  } catch (error) {
    return { kind: 'spawn_failed', code: errorCode(error) };
  }
  const pid = child.pid;
  if (pid === undefined) {
    const [error] = (await once(child, 'error')) as [unknown];
    return { kind: 'spawn_failed', code: errorCode(error) };
  }
  // Later errors (a failed kill) change nothing here; without a listener they would crash the process.
  child.on('error', () => undefined);
  options.onSpawn(pid);
  child.stdout?.on('data', (chunk: Buffer) => options.onOutput('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => options.onOutput('stderr', chunk));

  let killing: Promise<void> | undefined;
  const kill = () => {
    killing ??= killProcessGroup(pid, options.graceMs, options.time);
  };
  if (options.signal.aborted) kill();
  else options.signal.addEventListener('abort', kill, { once: true });

  const closed = once(child, 'close').then(
    () => true,
    () => true,
  );
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  const drained = new AbortController();
  await Promise.race([closed, options.time.sleep(DRAIN_MS, drained.signal)]);
  drained.abort();
  // Anything still in the group (a background job, a daemon) goes with the deploy.
  const leftovers = killing === undefined && (await isGroupAlive(pid));
  if (leftovers) kill();
  await killing;
  options.signal.removeEventListener('abort', kill);
  child.stdout?.destroy();
  child.stderr?.destroy();

  if (options.signal.aborted) return { kind: 'aborted' };
  if (code !== null) return { kind: 'exited', code, leftovers };
  return { kind: 'signalled', signal: signal ?? 'an unknown signal', leftovers };
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** How a failed spawn reads in a status description. */
export function describeSpawnFailure(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied (is it executable?)';
    case 'ENOEXEC':
      return 'not an executable file';
    default:
      return `spawn failed (${code})`;
  }
}
