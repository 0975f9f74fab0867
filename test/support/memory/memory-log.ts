import type { LogPort } from '../../../src/core/ports/log.js';

type Fields = Readonly<Record<string, unknown>>;

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The line's own fields over those of the loggers it came through. */
  readonly fields: Fields;
}

export interface MemoryLog extends LogPort {
  readonly lines: LogLine[];
  /** The messages logged (at `level`, if given), in order. */
  messages(level?: LogLine['level']): string[];
}

/** A log in memory, for use-case tests: what was logged, at which level, with which fields. */
export function createMemoryLog(): MemoryLog {
  const lines: LogLine[] = [];
  function logger(bound: Fields): LogPort {
    const at = (level: LogLine['level']) => (fields: Fields, message: string) => {
      lines.push({ level, message, fields: { ...bound, ...fields } });
    };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (fields) => logger({ ...bound, ...fields }),
    };
  }
  return {
    ...logger({}),
    lines,
    messages: (level) => lines.filter((l) => level === undefined || l.level === level).map((l) => l.message),
  };
}
