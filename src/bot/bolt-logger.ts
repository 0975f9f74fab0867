import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../logger.js';

/** Bolt and the Slack clients log through pino, under one name. */
export function createBoltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => log.debug(text(msg)),
    info: (...msg) => log.info(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
