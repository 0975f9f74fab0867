import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GITHUB_APP_EVENTS, REQUIRED_GITHUB_PERMISSIONS } from '../../src/core/github-permissions.js';
import { buildAppManifest } from '../../src/setup/app-manifest.js';

// Each event an App subscribes to needs a permission; GitHub refuses a manifest without it.
const EVENT_PERMISSION: Record<string, string> = {
  pull_request: 'pull_requests',
  deployment: 'deployments',
  deployment_status: 'deployments',
  status: 'statuses',
  check_suite: 'checks',
};

describe('the GitHub App manifest', () => {
  const manifest = buildAppManifest({ publicUrl: 'https://deploy.example.com', name: 'deploybot' });

  it('points GitHub at deploybot: webhooks and the setup callback below PUBLIC_URL', () => {
    expect(manifest).toMatchObject({
      name: 'deploybot',
      url: 'https://deploy.example.com',
      hook_attributes: { url: 'https://deploy.example.com/github/webhooks', active: true },
      redirect_url: 'https://deploy.example.com/setup/github/callback',
      public: false,
    });
  });

  it('asks for exactly the permissions and events deploybot needs', () => {
    expect(manifest.default_permissions).toEqual({
      deployments: 'write',
      contents: 'read',
      statuses: 'read',
      checks: 'read',
      metadata: 'read',
      pull_requests: 'read',
    });
    expect(manifest.default_events).toEqual([
      'pull_request',
      'deployment',
      'deployment_status',
      'status',
      'check_suite',
    ]);
    for (const event of GITHUB_APP_EVENTS) {
      expect(REQUIRED_GITHUB_PERMISSIONS[EVENT_PERMISSION[event] ?? 'none']).toBeDefined();
    }
  });

  it('ships as app.yml, the same manifest', async () => {
    const shipped = parse(await readFile(new URL('../../app.yml', import.meta.url), 'utf8'));
    expect(shipped).toEqual(buildAppManifest({ publicUrl: 'https://YOUR-HOST', name: 'deploybot' }));
  });
});
