/**
 * What the flows need of a logger: a structured line at a level, and a child that adds
 * fields to every line. The pino logger in src/logger.ts is one; so is a test's recorder.
 * Fields never carry a token or secret.
 */
export type LogLine = (fields: Readonly<Record<string, unknown>>, message: string) => void;

export interface LogPort {
  debug: LogLine;
  info: LogLine;
  warn: LogLine;
  error: LogLine;
  child(fields: Readonly<Record<string, unknown>>): LogPort;
}
