/** Structured facts logged with a line; never a token or a secret. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface LogFn {
  (fields: LogFields, message: string): void;
  (message: string): void;
}

/**
 * What the flows need of a logger. pino's Logger (src/logger.ts) is one; use cases take this
 * port so they never depend on the adapter.
 */
export interface LogPort {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): LogPort;
}
