import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { CHAT_CONFIG, nextResponse, slash, textOf } from '../support/chat.js';
import { createPostgresDatabase, skipWithoutPostgres } from '../support/databases.js';
import { type Harness, startHarness } from '../support/harness.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

/** The whole app on PostgreSQL, as several teams run it: the same code paths as on SQLite. */
describe('deploybot on PostgreSQL', () => {
  skipWithoutPostgres();
  let h: Harness;
  const sha = deriveSha('pg-merge');

  beforeEach(async () => {
    const database = await createPostgresDatabase();
    if (database.setting.kind !== 'postgres') throw new Error('expected PostgreSQL');
    h = await startHarness({ config: CHAT_CONFIG, env: { DATABASE_URL: database.setting.url } });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.addCommit('octo-org/web', sha, { message: 'Merge #7', author: 'octocat' });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('holds a merge behind a lock, sends it on unlock and announces its statuses', async () => {
    const locked = await slash(h, 'lock staging on web: demo');
    expect(textOf(await nextResponse(h, locked.responseUrl))).toContain('Locked');
    const merged = buildMergedPullRequestPayload({
      repo: 'octo-org/web',
      number: 7,
      baseRef: 'main',
      mergeCommitSha: sha,
      author: 'octocat',
    });
    expect((await h.sendWebhook('pull_request', merged)).status).toBe(200);
    await h.app.idle();
    expect(h.github.requests.filter(isCreate)).toEqual([]);

    const unlocked = await slash(h, 'unlock staging on web');
    await nextResponse(h, unlocked.responseUrl);
    await h.github.waitForRequest((r) => isCreate(r) && r.status === 201);
    const [deployment] = h.github.deployments('octo-org/web');
    h.github.createStatusDirectly(deployment!.id, { state: 'pending' });
    h.github.createStatusDirectly(deployment!.id, { state: 'success' });
    await h.slack.waitFor(() => h.slack.messagesIn('C0WEB').find((m) => m.text.includes('success')));
    // The redelivered merge finds GitHub's deployment rather than creating another.
    await h.sendWebhook('pull_request', merged);
    await h.app.idle();
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);
  });
});
