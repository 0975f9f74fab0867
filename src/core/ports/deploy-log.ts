/** Where a deploy's output comes from. */
export type DeployOutputSource = 'stdout' | 'stderr' | 'body';

/** What a provider writes a deploy's log with: its output as it comes, and deploybot's notes. */
export interface DeployLogSink {
  /** Raw output of a process or HTTP response, in arrival order. */
  write(source: DeployOutputSource, chunk: Uint8Array): void;
  /** A line of deploybot's own, e.g. the git commands it runs. */
  note(line: string): void;
  /**
   * The output so far is complete (its process ended): what a stream held back, a character
   * or a possible secret's start, goes out now, ahead of the notes that follow.
   */
  endOutput(): void;
}

/** One deploy's log while it runs: masked, capped, stored as it comes. */
export interface DeployLog extends DeployLogSink {
  /** Ends every stream and resolves once everything is stored. */
  close(): Promise<void>;
  /**
   * The log's closing line, masked and on a line of its own, for whoever ends the job to
   * store after `close()`. The cap does not apply: however long the output, the log says how
   * the deploy ended.
   */
  closingLine(line: string): string;
}

export interface DeployLogOpening {
  readonly deploymentId: number;
  /** The seq of the last chunk already stored for this deployment (0: none). */
  readonly lastSeq: number;
  /** Every value the log must never show, as selectSecrets gives them. */
  readonly secrets: readonly string[];
}

/** Opens a deploy's log; no I/O until something is written. */
export type OpenDeployLog = (opening: DeployLogOpening) => DeployLog;
