import type { ProviderOutcome } from '../../../src/core/deploy-outcome.js';
import type { DeployProvider, DeployTarget, ProviderRun } from '../../../src/core/ports/deploy-provider.js';

/** What a deploy to an environment does in memory. */
export type MemoryBehaviour =
  /** Ends with this outcome at once. */
  | { readonly kind: 'end'; readonly outcome: ProviderOutcome }
  /** Runs until released (then succeeds) or aborted, like a script waiting on a gate. */
  | { readonly kind: 'gate' }
  /** Throws this from run, as a checkout that failed does. */
  | { readonly kind: 'throw'; readonly error: Error };

export interface MemoryProvider extends DeployProvider {
  /** Deployment ids whose provider began, in order; one entry per run. */
  readonly began: number[];
  /** Targets `prepare` was asked for, by environment name. */
  readonly prepared: string[];
  /** How deploys to `environment` behave from now on; `end` with success by default. */
  behave(environment: string, behaviour: MemoryBehaviour): void;
  /** Secrets `prepare` hands back, e.g. a fetched token. */
  setSecrets(secrets: readonly string[]): void;
  /** The next `prepare` waits until the returned function is called (with an error: throws it). */
  holdNextPrepare(): { reached: Promise<void>; release: (error?: Error) => void };
  /** Lets a gated deploy succeed. */
  release(deploymentId: number): void;
  /** Deployment ids running right now. */
  running(): number[];
  /** The most that ran at once. */
  readonly maxRunning: number;
}

/**
 * The provider port in memory, for use-case tests: no process, no socket. Each run writes a
 * line of output, reports a process and honours its abort signal as the real providers do.
 */
export function createMemoryProvider(): MemoryProvider {
  const behaviours = new Map<string, MemoryBehaviour>();
  const gates = new Map<number, () => void>();
  const active = new Set<number>();
  let secrets: readonly string[] = [];
  let hold: { reach: () => void; released: Promise<Error | undefined> } | undefined;
  let nextPid = 5000;
  const provider: MemoryProvider = {
    began: [],
    prepared: [],
    maxRunning: 0,
    behave: (environment, behaviour) => behaviours.set(environment, behaviour),
    setSecrets: (values) => {
      secrets = values;
    },
    holdNextPrepare() {
      let reach!: () => void;
      let release!: (error?: Error) => void;
      const reached = new Promise<void>((resolve) => {
        reach = resolve;
      });
      const released = new Promise<Error | undefined>((resolve) => {
        release = resolve;
      });
      hold = { reach, released };
      return { reached, release };
    },
    release(deploymentId) {
      gates.get(deploymentId)?.();
    },
    running: () => [...active],
    async prepare(target: DeployTarget) {
      provider.prepared.push(target.environment.name);
      const held = hold;
      hold = undefined;
      if (held) {
        held.reach();
        const error = await held.released;
        if (error) throw error;
      }
      const behaviour = behaviours.get(target.environment.name) ?? { kind: 'end', outcome: 'succeeded' };
      return { secrets: [...secrets], run: (run: ProviderRun) => carryOut(run, behaviour) };
    },
  };

  async function carryOut(
    run: ProviderRun,
    behaviour: MemoryBehaviour,
  ): Promise<ProviderOutcome | 'aborted'> {
    const id = run.facts.id;
    run.began();
    provider.began.push(id);
    active.add(id);
    (provider as { maxRunning: number }).maxRunning = Math.max(provider.maxRunning, active.size);
    run.spawned(nextPid++);
    try {
      run.log.write('stdout', new TextEncoder().encode(`deploying ${id} for ${run.facts.user}\n`));
      run.log.endOutput();
      if (behaviour.kind === 'throw') throw behaviour.error;
      if (behaviour.kind === 'end') return behaviour.outcome;
      if (run.signal.aborted) return 'aborted';
      return await new Promise<ProviderOutcome | 'aborted'>((resolve) => {
        const onAbort = () => resolve('aborted');
        run.signal.addEventListener('abort', onAbort, { once: true });
        gates.set(id, () => {
          run.signal.removeEventListener('abort', onAbort);
          resolve('succeeded');
        });
      });
    } finally {
      gates.delete(id);
      active.delete(id);
    }
  }

  return provider;
}
