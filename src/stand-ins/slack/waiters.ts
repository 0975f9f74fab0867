import type { PollOptions, WaitOptions } from './types.js';

const DEFAULT_TIMEOUT_MS = 5_000;

interface Waiter<T> {
  matches(item: T): boolean;
  resolve(item: T): void;
  reject(error: Error): void;
}

/** An append-only log that tests can await entries of, already recorded or still to come. */
export interface Recorder<T> {
  readonly items: T[];
  record(item: T): void;
  waitFor(predicate: (item: T) => boolean, description: string, opts?: WaitOptions): Promise<T>;
  clear(): void;
  rejectPending(reason: string): void;
}

function safelyMatches<T>(predicate: (item: T) => boolean, item: T): boolean {
  try {
    return predicate(item);
  } catch {
    // An assertion-style predicate that throws simply has not matched yet.
    return false;
  }
}

export function createRecorder<T>(summarize: (item: T) => string): Recorder<T> {
  const items: T[] = [];
  const waiters = new Set<Waiter<T>>();

  return {
    items,
    record(item) {
      items.push(item);
      for (const waiter of [...waiters]) {
        if (waiter.matches(item)) waiter.resolve(item);
      }
    },
    waitFor(predicate, description, opts = {}) {
      const existing = items.find((item) => safelyMatches(predicate, item));
      if (existing !== undefined) return Promise.resolve(existing);
      const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const label = opts.description ?? description;
      // Created now so the stack points at the test that waited, not at a timer.
      const timeoutError = new Error(`Timed out waiting for ${label}`);
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter<T> = {
          matches: (item) => safelyMatches(predicate, item),
          resolve(item) {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(item);
          },
          reject(error) {
            clearTimeout(timer);
            waiters.delete(waiter);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          const seen = items.length === 0 ? ' (none)' : `\n  - ${items.map(summarize).join('\n  - ')}`;
          timeoutError.message = `Timed out after ${timeoutMs}ms waiting for ${label}. Seen ${items.length}:${seen}`;
          waiter.reject(timeoutError);
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    clear() {
      items.length = 0;
    },
    rejectPending(reason) {
      for (const waiter of [...waiters]) waiter.reject(new Error(reason));
    },
  };
}

/** Polls `check` until it returns something other than undefined/null/false. */
export async function pollUntil<T>(
  check: () => T | undefined | null | false,
  opts: PollOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  const timeoutError = new Error(`Timed out waiting for ${opts.description ?? 'condition'}`);
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  timeoutError.message = `Timed out after ${timeoutMs}ms waiting for ${opts.description ?? 'condition'}${cause}`;
  throw timeoutError;
}
