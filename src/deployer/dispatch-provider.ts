import { DeploybotError } from '../core/errors.js';
import type { DeployProvider, PreparedDeploy } from '../core/ports/deploy-provider.js';
import { runHttp } from './http-provider.js';
import { type CheckoutSetup, prepareCheckout } from './prepare-checkout.js';
import { runScript } from './script-provider.js';

export interface ProviderSetup extends CheckoutSetup {
  readonly fetch: typeof globalThis.fetch;
}

/** The providers deploybot.yml can name, each behind the one provider port. */
export function createDispatchProvider(setup: ProviderSetup): DeployProvider {
  return {
    async prepare(target): Promise<PreparedDeploy> {
      const provider = target.environment.provider;
      if (provider.type === 'http') {
        return {
          secrets: [],
          run: ({ facts, log, signal, began }) => {
            began();
            return runHttp({ provider, facts, capture: log, signal, fetch: setup.fetch });
          },
        };
      }
      if (provider.type === 'script' && provider.checkout) return prepareCheckout(setup, target, provider);
      if (provider.type === 'script') {
        return {
          secrets: [],
          run: ({ facts, log, signal, began, spawned }) => {
            began();
            // Relative commands resolve against deploybot's working directory, as they would in a shell there.
            return runScript({
              provider,
              facts,
              host: setup.host,
              workDir: setup.baseDir,
              capture: log,
              signal,
              graceMs: setup.killGraceMs,
              time: setup.time,
              onSpawn: spawned,
            });
          },
        };
      }
      // The flows never hand over a target another system carries out.
      throw new DeploybotError(
        'unknown_environment',
        `${target.environment.name} is not deployed by deploybot`,
      );
    },
  };
}
