import { describe, expect, it } from 'vitest';
import { type Problem, problemsOf } from '../../src/config/format-problems.js';
import {
  describeSettingsForLog,
  parseSettings,
  parseSetupSettings,
  type SettingsEnv,
} from '../../src/config/settings.js';
import { isDeploybotError } from '../../src/core/errors.js';

const CWD = '/srv/deploybot';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtest\n-----END RSA PRIVATE KEY-----';

const REQUIRED: SettingsEnv = {
  SLACK_BOT_TOKEN: 'xoxb-111-222-botsecretvalue',
  SLACK_SIGNING_SECRET: 'signingsecretvalue',
  GITHUB_TOKEN: 'github_pat_tokensecretvalue',
  GITHUB_WEBHOOK_SECRET: 'webhooksecretvalue',
};

function problemsFor(env: SettingsEnv): readonly Problem[] {
  try {
    parseSettings(env, CWD);
  } catch (error) {
    if (isDeploybotError(error) && error.code === 'config_invalid') return problemsOf(error);
    throw error;
  }
  throw new Error('expected parseSettings to throw');
}

function messageFor(env: SettingsEnv): string {
  try {
    parseSettings(env, CWD);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseSettings to throw');
}

describe('parseSettings', () => {
  it('applies every default when only the required variables are set', () => {
    expect(parseSettings(REQUIRED, CWD)).toEqual({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      configPath: '/srv/deploybot/deploybot.yml',
      database: { kind: 'sqlite', path: '/srv/deploybot/data/deploybot.sqlite' },
      slack: { botToken: 'xoxb-111-222-botsecretvalue', signingSecret: 'signingsecretvalue' },
      github: {
        token: 'github_pat_tokensecretvalue',
        webhookSecret: 'webhooksecretvalue',
        apiUrl: 'https://api.github.com',
      },
      deployConcurrency: 4,
      deployLogLimitBytes: 5 * 1024 * 1024,
      webhookBodyLimitBytes: 25_000_000,
      retentionDays: 90,
      shutdownGraceSeconds: 25,
    });
  });

  it.each<[string, SettingsEnv, Record<string, unknown>]>([
    ['PORT', { PORT: '8080' }, { port: 8080, publicUrl: 'http://localhost:8080' }],
    ['PORT 0 for tests', { PORT: '0' }, { port: 0 }],
    [
      'PUBLIC_URL loses its trailing slash',
      { PUBLIC_URL: 'https://deploy.example.com/' },
      { publicUrl: 'https://deploy.example.com' },
    ],
    ['LOG_LEVEL in any case', { LOG_LEVEL: 'DEBUG' }, { logLevel: 'debug' }],
    ['LOG_LEVEL silent', { LOG_LEVEL: 'silent' }, { logLevel: 'silent' }],
    [
      'DEPLOYBOT_CONFIG relative',
      { DEPLOYBOT_CONFIG: 'conf/bot.yml' },
      { configPath: '/srv/deploybot/conf/bot.yml' },
    ],
    [
      'DEPLOYBOT_CONFIG absolute',
      { DEPLOYBOT_CONFIG: '/etc/deploybot.yml' },
      { configPath: '/etc/deploybot.yml' },
    ],
    [
      'sqlite:PATH relative',
      { DATABASE_URL: 'sqlite:db/bot.sqlite' },
      { database: { kind: 'sqlite', path: '/srv/deploybot/db/bot.sqlite' } },
    ],
    [
      'sqlite:///absolute',
      { DATABASE_URL: 'sqlite:///var/lib/bot.sqlite' },
      { database: { kind: 'sqlite', path: '/var/lib/bot.sqlite' } },
    ],
    [
      'sqlite::memory:',
      { DATABASE_URL: 'sqlite::memory:' },
      { database: { kind: 'sqlite', path: ':memory:' } },
    ],
    [
      'postgres://',
      { DATABASE_URL: 'postgres://bot:pw@db:5432/bot' },
      { database: { kind: 'postgres', url: 'postgres://bot:pw@db:5432/bot' } },
    ],
    [
      'postgresql://',
      { DATABASE_URL: 'postgresql://db/bot' },
      { database: { kind: 'postgres', url: 'postgresql://db/bot' } },
    ],
    ['SLACK_APP_TOKEN', { SLACK_APP_TOKEN: 'xapp-1-abc' }, { slack: { appToken: 'xapp-1-abc' } }],
    [
      'SLACK_API_URL gains a trailing slash',
      { SLACK_API_URL: 'http://127.0.0.1:9000/api' },
      { slack: { apiUrl: 'http://127.0.0.1:9000/api/' } },
    ],
    [
      'GITHUB_API_URL for GHES',
      { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' },
      { github: { apiUrl: 'https://ghe.example.com/api/v3' } },
    ],
    ['DEPLOY_CONCURRENCY', { DEPLOY_CONCURRENCY: '1' }, { deployConcurrency: 1 }],
    ['RETENTION_DAYS', { RETENTION_DAYS: '30' }, { retentionDays: 30 }],
    ['SHUTDOWN_GRACE_SECONDS', { SHUTDOWN_GRACE_SECONDS: '0' }, { shutdownGraceSeconds: 0 }],
    [
      'byte limits',
      { DEPLOY_LOG_LIMIT_BYTES: '1024', WEBHOOK_BODY_LIMIT_BYTES: '2048' },
      { deployLogLimitBytes: 1024, webhookBodyLimitBytes: 2048 },
    ],
    ['GITHUB_WRITE_INTERVAL_MS', { GITHUB_WRITE_INTERVAL_MS: '0' }, { githubWriteIntervalMs: 0 }],
    [
      'empty values mean unset',
      { PORT: '', LOG_LEVEL: ' ', SLACK_APP_TOKEN: '' },
      { port: 3000, logLevel: 'info', slack: expect.not.objectContaining({ appToken: expect.anything() }) },
    ],
    [
      'GitHub App credentials, with a \\n-escaped key',
      {
        GITHUB_APP_ID: '12345',
        GITHUB_APP_PRIVATE_KEY: PEM.replaceAll('\n', '\\n'),
        GITHUB_APP_INSTALLATION_ID: '678',
      },
      { github: { app: { appId: '12345', privateKey: PEM, installationId: 678 } } },
    ],
  ])('reads %s', (_name, env, expected) => {
    expect(parseSettings({ ...REQUIRED, ...env }, CWD)).toMatchObject(expected);
  });

  it('needs no GITHUB_TOKEN when GitHub App credentials are given', () => {
    const env = {
      ...REQUIRED,
      GITHUB_TOKEN: undefined,
      GITHUB_APP_ID: '1',
      GITHUB_APP_PRIVATE_KEY: PEM,
      GITHUB_APP_INSTALLATION_ID: '42',
    };
    const settings = parseSettings(env, CWD);
    expect(settings.github.token).toBeUndefined();
    expect(settings.github.app).toEqual({ appId: '1', privateKey: PEM, installationId: 42 });
  });

  it('turns on Sign in with Slack only when both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set', () => {
    const settings = parseSettings({ ...REQUIRED, SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs' }, CWD);
    expect(settings.slack.signIn).toEqual({ clientId: '1.2', clientSecret: 'cs' });
    expect(parseSettings(REQUIRED, CWD).slack.signIn).toBeUndefined();
    const fix = problemsFor({ ...REQUIRED, SLACK_CLIENT_ID: '1.2' })[0]?.fix;
    expect(fix).toContain('Basic Information → App Credentials');
  });

  it('takes a GitHub App without GITHUB_APP_INSTALLATION_ID: the installation is found per repository', () => {
    const env = { ...REQUIRED, GITHUB_TOKEN: undefined, GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM };
    expect(parseSettings(env, CWD).github).toEqual({
      app: { appId: '1', privateKey: PEM },
      webhookSecret: 'webhooksecretvalue',
      apiUrl: 'https://api.github.com',
    });
  });

  it.each<[SettingsEnv, string, string]>([
    [{ PORT: 'http' }, 'PORT', 'not a whole number from 0 to 65535'],
    [{ PORT: '65536' }, 'PORT', 'not a whole number'],
    [{ PORT: '-1' }, 'PORT', 'not a whole number'],
    [{ PUBLIC_URL: 'deploy.example.com' }, 'PUBLIC_URL', 'not an http:// or https:// URL'],
    [{ PUBLIC_URL: 'ftp://deploy.example.com' }, 'PUBLIC_URL', 'not an http:// or https:// URL'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'not a log level'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, 'SLACK_BOT_TOKEN', 'a user token'],
    [{ SLACK_BOT_TOKEN: 'xapp-1-app' }, 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'],
    [{ SLACK_SIGNING_SECRET: '' }, 'SLACK_SIGNING_SECRET', 'is not set'],
    [{ SLACK_APP_TOKEN: 'xoxb-1-bot' }, 'SLACK_APP_TOKEN', 'does not start with "xapp-"'],
    [{ SLACK_API_URL: 'slack' }, 'SLACK_API_URL', 'not an http:// or https:// URL'],
    [{ GITHUB_TOKEN: undefined }, 'GITHUB_TOKEN', 'is not set'],
    [{ GITHUB_WEBHOOK_SECRET: undefined }, 'GITHUB_WEBHOOK_SECRET', 'is not set'],
    [{ GITHUB_API_URL: 'api.github.com' }, 'GITHUB_API_URL', 'not an http:// or https:// URL'],
    [{ SLACK_CLIENT_ID: '1.2' }, 'SLACK_CLIENT_SECRET', 'is not set, but SLACK_CLIENT_ID is'],
    [{ SLACK_CLIENT_SECRET: 'cs' }, 'SLACK_CLIENT_ID', 'is not set, but SLACK_CLIENT_SECRET is'],
    [{ GITHUB_APP_ID: '1' }, 'GITHUB_APP_PRIVATE_KEY', 'is not set, but GITHUB_APP_ID is'],
    [{ GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID', 'is not set, but GITHUB_APP_PRIVATE_KEY is'],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not a key' },
      'GITHUB_APP_PRIVATE_KEY',
      'not a PEM private key',
    ],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: '/keys/app.pem' },
      'GITHUB_APP_PRIVATE_KEY',
      'looks like a file path',
    ],
    [{ GITHUB_APP_ID: 'my app', GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID', 'not an App ID'],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM, GITHUB_APP_INSTALLATION_ID: 'x' },
      'GITHUB_APP_INSTALLATION_ID',
      'not a positive whole number',
    ],
    [{ GITHUB_APP_INSTALLATION_ID: '5' }, 'GITHUB_APP_INSTALLATION_ID', 'without GITHUB_APP_ID'],
    [{ DATABASE_URL: 'mysql://u:p@db/bot' }, 'DATABASE_URL', '"mysql:", which deploybot does not support'],
    [{ DATABASE_URL: 'bot.sqlite' }, 'DATABASE_URL', 'neither a sqlite: nor a postgres:// URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL', 'without a file path'],
    [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL', 'not a valid postgres:// URL'],
    [{ DEPLOY_CONCURRENCY: '0' }, 'DEPLOY_CONCURRENCY', 'not a whole number at least 1'],
    [{ DEPLOY_CONCURRENCY: '2.5' }, 'DEPLOY_CONCURRENCY', 'not a whole number'],
    [{ SHUTDOWN_GRACE_SECONDS: '-5' }, 'SHUTDOWN_GRACE_SECONDS', 'not a whole number from 0 to 3600'],
    [{ SHUTDOWN_GRACE_SECONDS: '3601' }, 'SHUTDOWN_GRACE_SECONDS', 'not a whole number from 0 to 3600'],
    [{ DEPLOY_LOG_LIMIT_BYTES: '5MB' }, 'DEPLOY_LOG_LIMIT_BYTES', 'not a whole number'],
    [{ WEBHOOK_BODY_LIMIT_BYTES: '0' }, 'WEBHOOK_BODY_LIMIT_BYTES', 'not a whole number'],
    [{ GITHUB_WRITE_INTERVAL_MS: '-1' }, 'GITHUB_WRITE_INTERVAL_MS', 'not a whole number from 0 to 60000'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS', 'not a whole number from 1 to 36500'],
    [{ RETENTION_DAYS: '90d' }, 'RETENTION_DAYS', 'not a whole number'],
  ])('rejects %o, naming %s', (env, where, message) => {
    const problems = problemsFor({ ...REQUIRED, ...env });
    expect(problems).toEqual([expect.objectContaining({ where, message: expect.stringContaining(message) })]);
    expect(problems[0]?.fix).toBeTruthy();
  });

  it('names every missing variable, with how to get it, in one message', () => {
    const message = messageFor({});
    expect(message.split('\n')[0]).toBe('deploybot cannot start: 4 problems with its settings and config:');
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET']) {
      expect(message).toContain(`- ${name}: is not set`);
    }
    expect(message).toContain('create the Slack app from manifest.yml');
    expect(message).toContain('Basic Information → App Credentials → Signing Secret');
    expect(message).toContain('Deployments: read and write, Contents: read, Commit statuses: read');
    expect(message).toContain('Settings → Webhooks');
    expect(message).toContain('Run `npm run setup` to register deploybot as a GitHub App in one click');
  });

  it('reports problems of different variables together', () => {
    const problems = problemsFor({ ...REQUIRED, PORT: 'x', LOG_LEVEL: 'loud', SLACK_BOT_TOKEN: undefined });
    expect(problems.map((problem) => problem.where)).toEqual(['PORT', 'LOG_LEVEL', 'SLACK_BOT_TOKEN']);
  });

  it('never puts a secret value in its message', () => {
    const message = messageFor({
      ...REQUIRED,
      SLACK_BOT_TOKEN: 'xoxp-usersecretvalue',
      SLACK_APP_TOKEN: 'wrong-appsecretvalue',
      GITHUB_APP_ID: '1',
      GITHUB_APP_PRIVATE_KEY: 'privatekeysecretvalue',
      DATABASE_URL: 'mysql://bot:dbpasswordvalue@db/bot',
    });
    for (const secret of ['usersecretvalue', 'appsecretvalue', 'privatekeysecretvalue', 'dbpasswordvalue']) {
      expect(message).not.toContain(secret);
    }
  });
});

describe('describeSettingsForLog', () => {
  const secrets = {
    SLACK_BOT_TOKEN: 'xoxb-botsecretvalue',
    SLACK_SIGNING_SECRET: 'signingsecretvalue',
    SLACK_APP_TOKEN: 'xapp-appsecretvalue',
    GITHUB_TOKEN: 'ghp_tokensecretvalue',
    GITHUB_WEBHOOK_SECRET: 'webhooksecretvalue',
    GITHUB_APP_PRIVATE_KEY: PEM,
    SLACK_CLIENT_SECRET: 'clientsecretvalue',
  };
  const settings = parseSettings(
    {
      ...secrets,
      GITHUB_APP_ID: '42',
      SLACK_CLIENT_ID: '1.2',
      SLACK_API_URL: 'https://slack.example.com/api/',
      DATABASE_URL:
        'postgres://bot:dbpasswordvalue@db:5432/bot?sslpassword=sslsecretvalue&application_name=bot',
    },
    CWD,
  );
  const logged = describeSettingsForLog(settings);
  const line = JSON.stringify(logged);

  it.each([...Object.values(secrets), 'MIIEpAIBAAKCAQEAtest', 'dbpasswordvalue', 'sslsecretvalue'])(
    'leaves %s out of the log line',
    (secret) => {
      expect(line).not.toContain(secret);
    },
  );

  it('keeps everything that is not secret, and does not touch the settings', () => {
    expect(logged).toMatchObject({
      port: 3000,
      slack: {
        botToken: '[redacted]',
        signingSecret: '[redacted]',
        appToken: '[redacted]',
        apiUrl: 'https://slack.example.com/api/',
        signIn: { clientId: '1.2', clientSecret: '[redacted]' },
      },
      github: {
        token: '[redacted]',
        app: { appId: '42', privateKey: '[redacted]' },
        apiUrl: 'https://api.github.com',
      },
      database: { kind: 'postgres', url: expect.stringContaining('postgres://bot:[redacted]@db:5432/bot') },
    });
    expect(logged.database).toMatchObject({ url: expect.stringContaining('application_name=bot') });
    expect(settings.slack.botToken).toBe('xoxb-botsecretvalue');
  });

  it('omits secrets that are not set instead of inventing them', () => {
    const plain = describeSettingsForLog(parseSettings(REQUIRED, CWD));
    expect(plain.slack).toEqual({ botToken: '[redacted]', signingSecret: '[redacted]' });
    expect(plain.github.app).toBeUndefined();
    expect(plain.database).toEqual({ kind: 'sqlite', path: '/srv/deploybot/data/deploybot.sqlite' });
  });
});

describe('parseSetupSettings', () => {
  it('needs no credentials: only where the setup page listens and where GitHub is', () => {
    expect(parseSetupSettings({})).toEqual({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      github: { apiUrl: 'https://api.github.com' },
    });
  });

  it('reads PORT, PUBLIC_URL and GITHUB_API_URL as start does', () => {
    const env = {
      PORT: '8080',
      PUBLIC_URL: 'https://deploy.example.com/',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      SLACK_BOT_TOKEN: 'ignored',
    };
    expect(parseSetupSettings(env)).toEqual({
      port: 8080,
      publicUrl: 'https://deploy.example.com',
      logLevel: 'info',
      github: { apiUrl: 'https://ghe.example.com/api/v3' },
    });
  });

  it('names every problem at once', () => {
    try {
      parseSetupSettings({ PORT: 'x', PUBLIC_URL: 'deploy', GITHUB_API_URL: 'ghe' });
      expect.unreachable();
    } catch (error) {
      expect(problemsOf(error).map((problem) => problem.where)).toEqual([
        'PORT',
        'PUBLIC_URL',
        'GITHUB_API_URL',
      ]);
    }
  });
});
