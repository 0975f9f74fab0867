import { describe, expect, it } from 'vitest';
import { problemsOf } from '../../src/config/format-problems.js';
import { describeSettingsForLog, parseSettings, type SettingsEnv } from '../../src/config/settings.js';
import { isDeploybotError } from '../../src/core/errors.js';
import { listBotSecrets } from '../../src/deployer/create-deployer-from-settings.js';

const CWD = '/srv/deploybot';
const REQUIRED: SettingsEnv = {
  SLACK_BOT_TOKEN: 'xoxb-111-222-botsecretvalue',
  SLACK_SIGNING_SECRET: 'signingsecretvalue',
  GITHUB_TOKEN: 'github_pat_tokensecretvalue',
  GITHUB_WEBHOOK_SECRET: 'webhooksecretvalue',
};
const TOKEN = 'metricssecret-0123456789';

describe('METRICS_TOKEN', () => {
  it('is optional: /metrics is then open', () => {
    expect(parseSettings(REQUIRED, CWD)).not.toHaveProperty('metricsToken');
    expect(parseSettings({ ...REQUIRED, METRICS_TOKEN: '  ' }, CWD)).not.toHaveProperty('metricsToken');
  });

  it('is read when set', () => {
    expect(parseSettings({ ...REQUIRED, METRICS_TOKEN: TOKEN }, CWD).metricsToken).toBe(TOKEN);
  });

  it.each(['short-token', 'has a space in it 0123456789', 'ünïcödé-0123456789'])(
    'refuses %s, naming the setting and the fix without echoing the value',
    (value) => {
      let thrown: unknown;
      try {
        parseSettings({ ...REQUIRED, METRICS_TOKEN: value }, CWD);
      } catch (error) {
        thrown = error;
      }
      expect(isDeploybotError(thrown) && thrown.code === 'config_invalid').toBe(true);
      const problems = problemsOf(thrown as Parameters<typeof problemsOf>[0]);
      expect(problems).toEqual([
        expect.objectContaining({ where: 'METRICS_TOKEN', fix: expect.stringContaining('openssl rand') }),
      ]);
      expect((thrown as Error).message).not.toContain(value);
    },
  );

  it('is a secret: redacted in the log line and masked in deploy logs', () => {
    const settings = parseSettings({ ...REQUIRED, METRICS_TOKEN: TOKEN }, CWD);
    const logged = describeSettingsForLog(settings);
    expect(logged.metricsToken).toBe('[redacted]');
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    expect(listBotSecrets(settings)).toContain(TOKEN);
  });
});
