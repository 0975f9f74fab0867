import type { LogFields, LogPort } from '../../../src/core/ports/log.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The line's own fields over those of the loggers it came through. */
  readonly fields: LogFields;
}

export interface MemoryLog extends LogPort {
  readonly lines: LogLine[];
  /** The messages logged, in order. */
  messages(): string[];
}

/** A log in memory, for use-case tests: what was logged, at which level, with which fields. */
export function createMemoryLog(): MemoryLog {
  const lines: LogLine[] = [];
  function logger(bound: LogFields): LogPort {
    const at =
      (level: LogLine['level']) =>
      (fieldsOrMessage: LogFields | string, message?: string): void => {
        if (typeof fieldsOrMessage === 'string')
          lines.push({ level, message: fieldsOrMessage, fields: bound });
        else lines.push({ level, message: message ?? '', fields: { ...bound, ...fieldsOrMessage } });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (fields) => logger({ ...bound, ...fields }),
    };
  }
  return { ...logger({}), lines, messages: () => lines.map((l) => l.message) };
}
