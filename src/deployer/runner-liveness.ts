import { hostname } from 'node:os';
import type { RunnerLiveness } from '../core/ports/runner-liveness.js';
import { parseRunnerId } from '../core/runner-id.js';

/** Runner liveness by this machine's host name and its process table. */
export function createRunnerLiveness(host: string = hostname()): RunnerLiveness {
  const onThisHost = (runner: string) => parseRunnerId(runner)?.host === host;
  return {
    isOnThisHost: onThisHost,
    isGone(runner) {
      const name = parseRunnerId(runner);
      if (!name || name.host !== host) return false;
      try {
        // Signal 0 only asks whether the pid exists.
        process.kill(name.pid, 0);
        return false;
      } catch (error) {
        // EPERM: it exists, under another user.
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
      }
    },
  };
}
