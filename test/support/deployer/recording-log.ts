import type { LogPort } from '../../../src/core/ports/log.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface RecordingLog extends LogPort {
  readonly entries: LogEntry[];
  /** The messages logged at `level`, in order. */
  messages(level: LogEntry['level']): string[];
}

/** A LogPort that keeps every line, children's included, with the fields it was given. */
export function createRecordingLog(): RecordingLog {
  const entries: LogEntry[] = [];
  const make = (bound: Readonly<Record<string, unknown>>): LogPort => {
    const line =
      (level: LogEntry['level']) => (fields: Readonly<Record<string, unknown>>, message: string) => {
        entries.push({ level, message, fields: { ...bound, ...fields } });
      };
    return {
      debug: line('debug'),
      info: line('info'),
      warn: line('warn'),
      error: line('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return {
    ...make({}),
    entries,
    messages: (level) => entries.filter((e) => e.level === level).map((e) => e.message),
  };
}
