import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import type { RecordedRequest } from '../../src/stand-ins/github/request-log.js';
import type { ApiCall } from '../../src/stand-ins/slack/types.js';
import { findLeakedSecrets, listConfiguredSecrets, type ScannedRun } from './secret-scan.js';

const SECRET = 'sekrit-value-42';

describe('the secret scan every harness runs in stop()', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'deploybot-scan-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const run = (more: Partial<ScannedRun> = {}): ScannedRun => ({
    logs: ['{"msg":"deploybot is listening"}'],
    github: { requests: [] },
    slack: { calls: [], responses: [] },
    dataDir,
    ...more,
  });

  it('lists the providers env and header values with the given secrets, the too short ones left out', () => {
    const config = parseConfig(
      JSON.stringify({
        slack: { channel: 'C0DEPLOYS' },
        repos: {
          'octo-org/web': {
            environments: {
              staging: {
                provider: { type: 'script', command: ['./deploy'], env: { TOKEN: 'env-secret', N: 'eu' } },
              },
              production: {
                provider: {
                  type: 'http',
                  url: 'https://deploy.example.com',
                  headers: { authorization: 'Bearer hdr' },
                },
              },
            },
          },
        },
      }),
      'deploybot.yml',
    );
    expect(listConfiguredSecrets([SECRET, 'abc'], config)).toEqual([SECRET, 'env-secret', 'Bearer hdr']);
  });

  it('finds nothing in a clean run', () => {
    expect(findLeakedSecrets(run(), [SECRET])).toEqual([]);
  });

  it('finds a secret in a log line, a Slack call, a GitHub request body and a stored deploy log', () => {
    const db = new SQLite(join(dataDir, 'deploybot.sqlite'));
    db.exec(
      'create table deploy_log_chunks (deployment_id integer, seq integer, text text, created_at integer)',
    );
    db.prepare('insert into deploy_log_chunks values (?, ?, ?, ?)').run(7, 1, `the key is ${SECRET}\n`, 0);
    db.close();
    const leaks = findLeakedSecrets(
      run({
        logs: ['{"msg":"ok"}', `{"msg":"token ${SECRET}"}`],
        slack: {
          calls: [
            { method: 'chat.postMessage', args: { text: SECRET }, token: 'xoxb' } as unknown as ApiCall,
          ],
          responses: [],
        },
        github: {
          requests: [
            {
              method: 'POST',
              path: '/repos/o/r/deployments',
              query: {},
              rawBody: `{"x":"${SECRET}"}`,
            } as RecordedRequest,
          ],
        },
      }),
      [SECRET],
    );
    expect(leaks).toEqual([
      'log line 2 shows the secret starting sek…',
      'deploy log of 7 shows the secret starting sek…',
      'Slack chat.postMessage shows the secret starting sek…',
      'GitHub POST /repos/o/r/deployments shows the secret starting sek…',
    ]);
    expect(leaks.join('\n')).not.toContain(SECRET);
  });

  it('does not count the tokens a stand-in was authenticated with', () => {
    const request = {
      method: 'GET',
      path: '/user',
      query: {},
      headers: { authorization: `token ${SECRET}` },
      rawBody: '',
    } as unknown as RecordedRequest;
    const call = { method: 'auth.test', args: {}, token: SECRET } as unknown as ApiCall;
    expect(
      findLeakedSecrets(run({ github: { requests: [request] }, slack: { calls: [call], responses: [] } }), [
        SECRET,
      ]),
    ).toEqual([]);
  });
});
