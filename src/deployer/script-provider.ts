import type { ProviderConfig } from '../core/config.js';
import { buildScriptEnv, type DeployFacts, type HostEnv } from '../core/deploy-env.js';
import type { ProviderOutcome } from '../core/deploy-outcome.js';
import type { DeployLogSink } from '../core/ports/deploy-log.js';
import type { ProcessTime } from './process-tree.js';
import { describeSpawnFailure, runProcess } from './run-process.js';

export type ScriptProvider = Extract<ProviderConfig, { type: 'script' }>;

export interface ScriptRun {
  readonly provider: ScriptProvider;
  readonly facts: DeployFacts;
  readonly host: HostEnv;
  /** The working copy, or deploybot's working directory when the provider does not check out. */
  readonly workDir: string;
  readonly capture: DeployLogSink;
  readonly signal: AbortSignal;
  readonly graceMs: number;
  readonly time: ProcessTime;
  readonly onSpawn: (pid: number) => void;
}

/** Runs the provider's command as argv, never through a shell; exit 0 is success. */
export async function runScript(run: ScriptRun): Promise<ProviderOutcome | 'aborted'> {
  const [command, ...args] = run.provider.command;
  if (command === undefined) return { kind: 'could_not_start', command: '(none)', reason: 'no command' };
  run.capture.note(`$ ${run.provider.command.join(' ')}`);
  const result = await runProcess({
    command,
    args,
    cwd: run.workDir,
    env: buildScriptEnv(run.facts, run.host, run.provider.env),
    onOutput: (source, chunk) => run.capture.write(source, chunk),
    signal: run.signal,
    graceMs: run.graceMs,
    time: run.time,
    onSpawn: run.onSpawn,
  });
  run.capture.endOutput();
  switch (result.kind) {
    case 'aborted':
      return 'aborted';
    case 'spawn_failed':
      return { kind: 'could_not_start', command, reason: describeSpawnFailure(result.code) };
    case 'exited':
    case 'signalled':
      if (result.leftovers) run.capture.note('stopped the processes the script left running');
      if (result.kind === 'signalled') return { kind: 'killed_by_signal', signal: result.signal };
      run.capture.note(`exit code ${result.code}`);
      return result.code === 0 ? 'succeeded' : { kind: 'exited', code: result.code };
  }
}
