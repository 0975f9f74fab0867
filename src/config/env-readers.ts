import { isHttpUrl } from '../core/names.js';
import type { Problem } from './format-problems.js';

export type SettingsEnv = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

export type Report = (where: string, message: string, fix?: string) => void;

/** Reads environment variables, collecting every problem so one start reports all of them. */
export interface EnvReaders {
  readonly problems: Problem[];
  readonly report: Report;
  read(name: string): string | undefined;
  readInteger(name: string, fallback: number, min: number, max: number, unit: string): number;
  readUrl(name: string, fallback: string | undefined, fix: string): string | undefined;
}

export function createEnvReaders(env: SettingsEnv): EnvReaders {
  const problems: Problem[] = [];
  const report: Report = (where, message, fix) => {
    problems.push(fix === undefined ? { where, message } : { where, message, fix });
  };
  // An empty value (`FOO=` in a .env file) means "not set", as it does for most tools.
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  return {
    problems,
    report,
    read,
    readInteger(name, fallback, min, max, unit) {
      const raw = read(name);
      if (raw === undefined) return fallback;
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      report(
        name,
        `is "${raw}", not a whole number ${range}`,
        `Set it to a number of ${unit}, or unset it for ${fallback}`,
      );
      return fallback;
    },
    readUrl(name, fallback, fix) {
      const raw = read(name);
      if (raw === undefined) return fallback;
      if (isHttpUrl(raw)) return raw;
      report(name, `is "${raw}", not an http:// or https:// URL`, fix);
      return fallback;
    },
  };
}

/** PORT, PUBLIC_URL and LOG_LEVEL: what both `npm start` and `npm run setup` listen and log by. */
export function readServerSettings(readers: EnvReaders): {
  port: number;
  publicUrl: string;
  logLevel: LogLevelSetting;
} {
  const { read, report } = readers;
  const port = readers.readInteger('PORT', 3000, 0, 65535, 'the TCP port to listen on (0 picks a free one)');
  const publicUrl = readers.readUrl(
    'PUBLIC_URL',
    `http://localhost:${port}`,
    'Set it to the address Slack and GitHub reach deploybot at, e.g. https://deploybot.example.com',
  );
  const logLevelRaw = read('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw) ?? 'info';
  if (logLevel !== logLevelRaw) {
    report('LOG_LEVEL', `is "${logLevelRaw}", not a log level`, `Use one of ${LOG_LEVELS.join(', ')}`);
  }
  return { port, publicUrl: stripTrailingSlashes(publicUrl ?? `http://localhost:${port}`), logLevel };
}

/** GITHUB_API_URL: github.com's API, or a GitHub Enterprise Server's. */
export function readGitHubApiUrl(readers: EnvReaders): string {
  const url = readers.readUrl(
    'GITHUB_API_URL',
    'https://api.github.com',
    'Unset it for github.com, or set it to your GitHub Enterprise Server API, e.g. https://ghe.example.com/api/v3',
  );
  return stripTrailingSlashes(url ?? 'https://api.github.com');
}

export function stripTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
