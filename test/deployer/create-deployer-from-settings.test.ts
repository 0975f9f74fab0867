import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/settings.js';
import { listBotSecrets } from '../../src/deployer/create-deployer-from-settings.js';
import { githubWebUrlFromApi } from '../../src/github/urls.js';

describe('git access', () => {
  it.each([
    ['https://api.github.com', 'https://github.com'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['https://ghe.example.com/api/v3/', 'https://ghe.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('the web URL of %s is %s', (api, web) => {
    expect(githubWebUrlFromApi(api)).toBe(web);
  });

  it('masks every secret deploybot holds, and the token as git sends it', () => {
    const settings = parseSettings(
      {
        SLACK_BOT_TOKEN: 'xoxb-bot-token',
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_APP_TOKEN: 'xapp-app-token',
        GITHUB_TOKEN: 'ghp_token',
        GITHUB_WEBHOOK_SECRET: 'webhook-secret',
        DATABASE_URL: 'postgres://deploybot:db-p%40ss@db.example.com/deploybot',
      },
      '/srv',
    );
    expect(listBotSecrets(settings)).toEqual([
      'xoxb-bot-token',
      'signing-secret',
      'xapp-app-token',
      'ghp_token',
      'webhook-secret',
      Buffer.from('x-access-token:ghp_token').toString('base64'),
      'db-p@ss',
    ]);
  });
});
