import type { Settings } from '../config/settings.js';
import type { Config } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import type { Scheduler } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import type { ProcessMemory } from '../process-memory.js';
import type { Timings } from '../timings.js';

/** What building deploybot takes: all of it required; main.ts gives production's. */
export interface AppOptions {
  readonly settings: Settings;
  readonly config: Config;
  readonly logger: Logger;
  /** Time for everything: the system scheduler in production. */
  readonly scheduler: Scheduler;
  readonly fetch: typeof globalThis.fetch;
  /** Gives freed memory back to the operating system: glibc's malloc_trim in production. */
  readonly memory: ProcessMemory;
  /** Every wait deploybot makes: DEFAULT_TIMINGS in production. */
  readonly timings: Timings;
  /** PATH and HOME of deploy scripts: deploybot's own, which main.ts reads from the environment. */
  readonly deployHost: HostEnv;
  /** Where relative clone_url paths and script commands are resolved: deploybot's working directory. */
  readonly workDir: string;
}
