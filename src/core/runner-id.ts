/**
 * A runner id names one deploybot process: its host, its pid, and a random part so two lives of
 * one pid differ (`host:pid:uuid`). Another process reads the host and pid back to tell whether
 * a runner that stopped renewing its leases was on its machine, and whether it is still there.
 */
export interface RunnerName {
  readonly host: string;
  readonly pid: number;
}

export function formatRunnerId(host: string, pid: number, nonce: string): string {
  return `${host}:${pid}:${nonce}`;
}

/** The host and pid of a runner id; undefined for an id of another form (one written before them). */
export function parseRunnerId(runner: string): RunnerName | undefined {
  const match = /^(.+):(\d+):[^:]+$/.exec(runner);
  if (!match) return undefined;
  const pid = Number(match[2]);
  return Number.isSafeInteger(pid) && pid > 0 ? { host: match[1] as string, pid } : undefined;
}

/** "host deploy-1, pid 4242", or the id itself when it names neither. */
export function describeRunner(runner: string): string {
  const name = parseRunnerId(runner);
  return name ? `host ${name.host}, pid ${name.pid}` : runner;
}
