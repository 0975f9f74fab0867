import { StringDecoder } from 'node:string_decoder';
import { createLogLimiter, describeLogCut, replaceNul } from '../core/deploy-log-limit.js';
import { createMasker, type Masker, maskText } from '../core/deploy-mask.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';

export type CaptureSource = 'stdout' | 'stderr' | 'body';

export interface LogCaptureOptions {
  readonly store: DeployLogStore;
  readonly deploymentId: number;
  /** The seq of the last chunk already stored for this deployment (0: none). */
  readonly lastSeq: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limitBytes: number;
  readonly secrets: readonly string[];
  /** Output is stored at most this long after it arrives. */
  readonly flushMs: number;
}

export interface LogCapture {
  /** Raw output of a process or HTTP response, in arrival order. */
  write(source: CaptureSource, chunk: Buffer): void;
  /** A line of deploybot's own, e.g. the git commands it runs. */
  note(line: string): void;
  /**
   * The output so far is complete (its process ended): what a stream held back, a character
   * or a possible secret's start, goes out now, ahead of the notes that follow.
   */
  endOutput(): void;
  /** Ends every stream and resolves once everything is stored. */
  close(): Promise<void>;
  /**
   * The log's closing line, masked and on a line of its own, for whoever ends the job to
   * store after `close()`. The cap does not apply: however long the output, the log says how
   * the deploy ended.
   */
  closingLine(line: string): string;
}

// A busy script's output is stored in pieces of about this size rather than one row per write.
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Stores a deploy's output as it comes: decoded per stream (a UTF-8 character may span two
 * chunks), secrets masked (a secret may too), capped at the size limit with a note where
 * it was cut, and written in order in small batches.
 */
export function createLogCapture(options: LogCaptureOptions): LogCapture {
  const { store, deploymentId, clock, logger } = options;
  const streams = new Map<CaptureSource, { decoder: StringDecoder; masker: Masker }>();
  const limiter = createLogLimiter(options.limitBytes);
  let seq = options.lastSeq;
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let cut = false;
  let lineOpen = false;

  function stream(source: CaptureSource) {
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
    else timer ??= setTimeout(flush, options.flushMs);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    seq += 1;
    const chunkSeq = seq;
    writing = writing
      .then(() => store.appendDeployLog(deploymentId, chunkSeq, text, clock.now()))
      .catch((error: unknown) => {
        logger.error({ err: error, deployment: deploymentId }, 'could not store deploy output');
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

/** One line of deploybot's own in a deploy log, masked. */
export function formatNote(line: string, secrets: readonly string[]): string {
  return `[deploybot] ${maskText(line, secrets)}\n`;
}
