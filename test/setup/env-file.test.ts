import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/settings.js';
import { formatEnvLine, mergeEnvText, writeEnvFile } from '../../src/setup/env-file.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';

describe('the env file npm run setup writes', () => {
  it.each<[string, string, string]>([
    ['a plain value', '4242', 'GITHUB_APP_ID="4242"'],
    [
      'a PEM key',
      PEM,
      String.raw`GITHUB_APP_PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"`,
    ],
    ['quotes and backslashes', 'a"b\\c', String.raw`X="a\"b\\c"`],
  ])('writes %s on one line', (_name, value, line) => {
    const name = line.slice(0, line.indexOf('='));
    expect(formatEnvLine(name, value)).toBe(line);
  });

  it.each<[string, string, string]>([
    ['an empty file', '', 'A="1"\nB="2"\n'],
    ['other settings', 'PORT=8080\n# comment\n', 'PORT=8080\n# comment\nA="1"\nB="2"\n'],
    ['old values of its own', 'A=old\nexport B="old"\nC=3', 'A="1"\nB="2"\nC=3\n'],
  ])('keeps %s and sets its own', (_name, existing, merged) => {
    expect(mergeEnvText(existing, { A: '1', B: '2' })).toBe(merged);
  });

  it('is read back by dotenv-style parsers and by deploybot’s settings, key intact', () => {
    const text = mergeEnvText('', {
      GITHUB_APP_ID: '4242',
      GITHUB_APP_PRIVATE_KEY: PEM,
      GITHUB_WEBHOOK_SECRET: 's',
    });
    const parsed = parseEnv(text);
    expect(parsed.GITHUB_APP_PRIVATE_KEY).toBe(PEM);
    // A process manager that does not unescape hands deploybot the \n-escaped text; that works too.
    const raw = { GITHUB_APP_PRIVATE_KEY: PEM.replaceAll('\n', '\\n') };
    for (const key of [parsed.GITHUB_APP_PRIVATE_KEY, raw.GITHUB_APP_PRIVATE_KEY]) {
      const settings = parseSettings(
        {
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: 's',
          GITHUB_WEBHOOK_SECRET: 's',
          GITHUB_APP_ID: '4242',
          GITHUB_APP_PRIVATE_KEY: key,
        },
        '/srv',
      );
      expect(settings.github.app?.privateKey.trim()).toBe(PEM.trim());
    }
  });

  it('writes a file only its owner can read, also when it was there before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploybot-env-'));
    try {
      const fresh = join(dir, 'fresh.env');
      await writeEnvFile(fresh, { A: '1' });
      expect((await stat(fresh)).mode & 0o777).toBe(0o600);
      const existing = join(dir, '.env');
      await writeFile(existing, 'PORT=1\nA=0\n', { mode: 0o644 });
      await writeEnvFile(existing, { A: '1' });
      expect(await readFile(existing, 'utf8')).toBe('PORT=1\nA="1"\n');
      expect((await stat(existing)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
