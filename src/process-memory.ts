import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTrimMemory, GLIBC_MALLOC_TRIM } from './trim-memory.js';

/** The process's memory as deploybot looks after it between bursts (src/compose/schedule-memory-trims.ts). */
export interface ProcessMemory {
  /** Gives the C library's freed memory back to the operating system; ~0.1 ms. */
  trim(): void;
  /** A full garbage collection, after which V8 gives back the pages it emptied; tens of ms. */
  collectGarbage(): void;
  /** The share of time the event loop was busy since the previous call, from 0 to 1. */
  busyness(): number;
}

/**
 * Node's own. V8 collects only when it allocates, so a process that went quiet after a burst
 * keeps the burst's heap, garbage and all, until its next burst: a collection once the loop is
 * quiet gives it back. Node exposes `gc` only behind `--expose-gc`; set as a V8 flag now, it is a
 * global of each context created after, so one is made to fetch it (on the first collection only).
 */
export function createProcessMemory(): ProcessMemory {
  let collect: (() => void) | undefined;
  let last = performance.eventLoopUtilization();
  return {
    trim: createTrimMemory(GLIBC_MALLOC_TRIM),
    collectGarbage() {
      if (collect === undefined) {
        setFlagsFromString('--expose-gc');
        collect = runInNewContext('gc') as () => void;
      }
      collect();
    },
    busyness() {
      const now = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(now, last);
      last = now;
      return utilization;
    },
  };
}
