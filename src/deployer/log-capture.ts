import { StringDecoder } from 'node:string_decoder';
import { createLogLimiter, describeLogCut, replaceNul } from '../core/deploy-log-limit.js';
import { formatNote } from '../core/deploy-log-note.js';
import { createMasker, type Masker } from '../core/deploy-mask.js';
import type { DeployLog, DeployLogOpening, DeployOutputSource } from '../core/ports/deploy-log.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

export interface LogCaptureOptions extends DeployLogOpening {
  readonly store: Pick<DeployLogStore, 'appendDeployLog'>;
  readonly scheduler: Pick<Scheduler, 'now' | 'sleep'>;
  readonly log: LogPort;
  readonly limitBytes: number;
  /** Output is stored at most this long after it arrives. */
  readonly flushMs: number;
}

export type LogCapture = DeployLog;

// A busy script's output is stored in pieces of about this size rather than one row per write.
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Stores a deploy's output as it comes: decoded per stream (a UTF-8 character may span two
 * chunks), secrets masked (a secret may too), capped at the size limit with a note where
 * it was cut, and written in order in small batches.
 */
export function createLogCapture(options: LogCaptureOptions): LogCapture {
  const { store, deploymentId, scheduler, log } = options;
  const streams = new Map<DeployOutputSource, { decoder: StringDecoder; masker: Masker }>();
  const limiter = createLogLimiter(options.limitBytes);
  let seq = options.lastSeq;
  let pending = '';
  /** Aborted when the output waiting for its flush went out sooner. */
  let flushWait: AbortController | undefined;
  let writing: Promise<void> = Promise.resolve();
  let cut = false;
  let lineOpen = false;

  function stream(source: DeployOutputSource) {
    let found = streams.get(source);
    if (!found) {
      found = { decoder: new StringDecoder('utf8'), masker: createMasker(options.secrets) };
      streams.set(source, found);
    }
    return found;
  }

  function add(text: string): void {
    if (text === '' || cut) return;
    const taken = limiter.take(replaceNul(text));
    pending += taken.text;
    if (taken.text !== '') lineOpen = !taken.text.endsWith('\n');
    if (taken.cut) {
      cut = true;
      pending += describeLogCut(options.limitBytes);
    }
    if (pending.length >= FLUSH_AT_CHARS || cut) flush();
    else if (!flushWait) flushSoon();
  }

  function flushSoon(): void {
    const wait = new AbortController();
    flushWait = wait;
    void scheduler.sleep(options.flushMs, wait.signal).then((fired) => {
      if (fired && flushWait === wait) flush();
    });
  }

  function flush(): void {
    flushWait?.abort();
    flushWait = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    seq += 1;
    const chunkSeq = seq;
    writing = writing
      .then(() => store.appendDeployLog(deploymentId, chunkSeq, text, scheduler.now()))
      .catch((error: unknown) => {
        log.error({ err: error, deployment: deploymentId }, 'could not store deploy output');
      });
  }

  function endOutput(): void {
    for (const s of streams.values()) add(s.masker.push(s.decoder.end()) + s.masker.end());
    streams.clear();
  }

  return {
    write(source, chunk) {
      const s = stream(source);
      add(s.masker.push(s.decoder.write(chunk)));
    },
    note(line) {
      // Notes end the line a stream may have left open, so they always start on their own line.
      add(`${lineOpen ? '\n' : ''}${formatNote(line, options.secrets)}`);
    },
    endOutput,
    async close() {
      endOutput();
      flush();
      await writing;
    },
    closingLine(line) {
      // After a cut the log ends with the cut note, which ends its line.
      return `${lineOpen && !cut ? '\n' : ''}${formatNote(line, options.secrets)}`;
    },
  };
}
