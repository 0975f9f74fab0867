import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createApp } from './app.js';
import { runCheck } from './check/run-check.js';
import { loadConfig } from './config/config-file.js';
import { formatConfigProblems, type Problem, problemsOf } from './config/format-problems.js';
import {
  describeSettingsForLog,
  parseSettings,
  parseSetupSettings,
  type Settings,
  type SettingsEnv,
} from './config/settings.js';
import type { Config } from './core/config.js';
import { presentError, toDeploybotError } from './core/errors.js';
import { createLogger, type Logger } from './logger.js';
import { createProcessMemory } from './process-memory.js';
import { createSystemScheduler } from './system-scheduler.js';
import { DEFAULT_TIMINGS } from './timings.js';

const USAGE = `Usage: node dist/main.js [setup [--write-env PATH] | check | playground [--config PATH]]
  (no command)  run deploybot (npm start)
  setup         register deploybot as a GitHub App, on a page served on PORT (npm run setup)
  check         check the settings, deploybot.yml, Slack and GitHub (npm run check)
  playground    try deploybot against stand-ins of Slack and GitHub, on a page served on PORT
                (default 3000); --config runs your deploybot.yml there (npm run playground)`;

/** The only place that reads the environment, handles signals and exits. */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) return start();
  if (command === 'setup') return setup(args);
  if (command === 'check') return check();
  if (command === 'playground') return playground(args);
  process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
  process.exit(1);
}

/** Settings and deploybot.yml as start reads them; every problem of both printed at once, then exit 1. */
async function loadOrExit(env: SettingsEnv, cwd: string): Promise<{ settings: Settings; config: Config }> {
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
  return { settings, config };
}

/**
 * V8 lets the old generation grow to several times what is live before collecting it again: under
 * a burst of 20,000 webhooks deploybot's RSS rose past 220 MB, most of it garbage waiting for a
 * collection. Growing by a fifth at a time keeps it under 200 MB, for more frequent (incremental,
 * mostly concurrent) major collections. The flag is read each time V8 sets the next limit, so it
 * takes effect set now. An operator's own, in NODE_OPTIONS or on node's command line, wins.
 */
const HEAP_GROWING_PERCENT = 20;

function boundHeapGrowth(env: NodeJS.ProcessEnv): void {
  const given = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  if (/--heap[-_]growing[-_]percent/.test(given)) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

async function start(): Promise<void> {
  const env = process.env;
  const cwd = process.cwd();
  boundHeapGrowth(env);
  const { settings, config } = await loadOrExit(env, cwd);
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
    memory: createProcessMemory(),
    timings:
      settings.githubWriteIntervalMs === undefined
        ? DEFAULT_TIMINGS
        : { ...DEFAULT_TIMINGS, githubWriteIntervalMs: settings.githubWriteIntervalMs },
  });
  stopOnSignals(logger, () => app.stop());

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

async function setup(args: readonly string[]): Promise<void> {
  const envFile = readEnvFileArgument(args);
  let settings: ReturnType<typeof parseSetupSettings>;
  try {
    settings = parseSetupSettings(process.env);
  } catch (error) {
    process.stderr.write(`${formatConfigProblems(requireProblems(error))}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: settings.logLevel });
  // Loaded for its command only: `npm start` does not pay for what it never runs.
  const { startSetup } = await import('./setup/start-setup.js');
  const running = await startSetup({
    settings,
    envFile: envFile === undefined ? undefined : resolve(process.cwd(), envFile),
    fetch: globalThis.fetch,
    logger,
  }).catch((thrown: unknown) => {
    const error = toDeploybotError(thrown);
    process.stderr.write(`deploybot setup could not start: ${error.message}\n`);
    process.exit(1);
  });
  stopOnSignals(logger, () => running.stop());
  process.stdout.write(
    [
      'To register deploybot as a GitHub App, open this page (one-time code included) and press Create GitHub App:',
      `  ${running.pageUrl}`,
      `One-time code: ${running.oneTimeCode}`,
      envFile === undefined
        ? 'The settings it gets are shown on the page once; --write-env PATH writes them to a file instead.'
        : `The settings it gets are written to ${resolve(process.cwd(), envFile)}.`,
      'Stop this with Ctrl-C when done.',
      '',
    ].join('\n'),
  );
}

async function check(): Promise<void> {
  const { settings, config } = await loadOrExit(process.env, process.cwd());
  // Only what goes wrong inside the clients; the findings are the report.
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const result = await runCheck({
    settings,
    config,
    fetch: globalThis.fetch,
    clock: createSystemScheduler(),
    logger,
  });
  process.stdout.write(`${result.report}\n`, () => process.exit(result.ok ? 0 : 1));
}

async function playground(args: readonly string[]): Promise<void> {
  const configPath = readOptionArgument(args, '--config');
  const logger = createLogger({ level: process.env.LOG_LEVEL || 'warn', destination: process.stderr });
  let config: { text: string; source: string } | undefined;
  if (configPath !== undefined) {
    const source = resolve(process.cwd(), configPath);
    try {
      config = { text: await readFile(source, 'utf8'), source };
    } catch (error) {
      process.stderr.write(`deploybot playground: cannot read ${source} (${String(error)})\n`);
      process.exit(1);
    }
  }
  const port = Number.parseInt(process.env.PORT || '3000', 10);
  // Loaded for its command only: the stand-ins and GitHub's schemas would cost every start ~0.3 s.
  const { startPlayground } = await import('./playground/start-playground.js');
  const running = await startPlayground({
    port: Number.isInteger(port) && port >= 0 && port < 65536 ? port : 3000,
    ...(config ? { config } : {}),
    tempDir: tmpdir(),
    logger,
    scheduler: createSystemScheduler(),
    fetch: globalThis.fetch,
    memory: createProcessMemory(),
    timings: DEFAULT_TIMINGS,
    deployHost: { path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', home: homedir() },
  }).catch((thrown: unknown) => {
    const problems = problemsOf(thrown);
    const text =
      problems.length > 0 ? formatConfigProblems(problems) : presentError(toDeploybotError(thrown)).text;
    process.stderr.write(`deploybot playground could not start: ${text}\n`);
    process.exit(1);
  });
  stopOnSignals(logger, () => running.stop());
  process.stdout.write(
    [
      'deploybot playground: Slack and GitHub stand-ins, a local repository and deploybot, all on this machine.',
      `Open ${running.pageUrl}`,
      configPath === undefined
        ? 'Try "/deploy web to staging", or merge a pull request in the GitHub panel.'
        : `Playing ${configPath}: every repository is the local one, every deploy runs its script/deploy.`,
      'Stop it with Ctrl-C; it leaves nothing behind.',
      '',
    ].join('\n'),
  );
}

/** `--name VALUE` or `--name=VALUE`, the only argument allowed; usage and exit 1 otherwise. */
function readOptionArgument(args: readonly string[], name: string): string | undefined {
  const [first, second, ...rest] = args;
  if (first === undefined) return undefined;
  const inline = first.startsWith(`${name}=`) ? first.slice(name.length + 1) : undefined;
  const value = inline ?? (first === name ? second : undefined);
  const extra = inline === undefined ? rest : [second, ...rest].filter((arg) => arg !== undefined);
  if (!value || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(1);
  }
  return value;
}

// Not --env-file: Node 20 takes that one for itself wherever it stands on the command line.
function readEnvFileArgument(args: readonly string[]): string | undefined {
  return readOptionArgument(args, '--write-env');
}

function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function requireProblems(error: unknown): readonly Problem[] {
  const problems = problemsOf(error);
  if (problems.length === 0) throw error;
  return problems;
}

await main();
