import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { createApp } from './app.js';
import { loadConfig } from './config/config-file.js';
import { formatConfigProblems, type Problem, problemsOf } from './config/format-problems.js';
import { describeSettingsForLog, parseSettings, type Settings } from './config/settings.js';
import type { Config } from './core/config.js';
import { presentError, toDeploybotError } from './core/errors.js';
import { createLogger } from './logger.js';
import { createSystemScheduler } from './system-scheduler.js';
import { DEFAULT_TIMINGS } from './timings.js';

/** The only place that reads the environment, handles signals and exits. */
async function main(): Promise<void> {
  const env = process.env;
  const cwd = process.cwd();
  const problems: Problem[] = [];
  let settings: Settings | undefined;
  try {
    settings = parseSettings(env, cwd);
  } catch (error) {
    problems.push(...requireProblems(error));
  }
  // The config file is checked even when settings are wrong, so one start names every problem.
  const configPath = settings?.configPath ?? resolve(cwd, env.DEPLOYBOT_CONFIG || './deploybot.yml');
  let config: Config | undefined;
  try {
    config = await loadConfig(configPath, (path) => readFile(path, 'utf8'));
  } catch (error) {
    problems.push(...requireProblems(error));
  }
  if (problems.length > 0 || !settings || !config) {
    process.stderr.write(`${formatConfigProblems(problems)}\n`);
    process.exit(1);
  }

  const logger = createLogger({ level: settings.logLevel });
  logger.debug({ settings: describeSettingsForLog(settings) }, 'settings');
  const app = createApp({
    settings,
    config,
    logger,
    // Deploy scripts get deploybot's PATH and HOME and nothing else of its environment.
    deployHost: { path: env.PATH ?? '/usr/local/bin:/usr/bin:/bin', home: homedir() },
    workDir: cwd,
    scheduler: createSystemScheduler(),
    fetch: globalThis.fetch,
    timings: DEFAULT_TIMINGS,
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await app.start();
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    const text = presentError(error).text;
    logger.fatal({ err: error, code: error.code }, `deploybot could not start: ${text}`);
    process.stderr.write(`deploybot could not start: ${text}\n`);
    await app.stop().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
}

function requireProblems(error: unknown): readonly Problem[] {
  const problems = problemsOf(error);
  if (problems.length === 0) throw error;
  return problems;
}

await main();
