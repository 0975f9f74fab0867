/**
 * How many GitHub and Slack calls one thing costs: a chat deploy, `where`, `history`, a
 * confirmation prompt, an announced status. Counted on the stand-ins, with ten deployments
 * (each with a status) in every environment so per-deployment calls would show.
 */

import { buildDeploymentStatusPayload, deriveSha } from '../src/stand-ins/github-payloads.js';
import { CHAT_CONFIG, nextResponse, slash } from '../test/support/chat.js';
import { type Harness, startHarness } from '../test/support/harness.js';

export interface CallCount {
  readonly what: string;
  readonly github: number;
  readonly slack: number;
}

function counter(h: Harness) {
  const before = { github: h.github.requests.length, slack: h.slack.calls.length + h.slack.responses.length };
  return () => ({
    github: h.github.requests.length - before.github,
    slack: h.slack.calls.length + h.slack.responses.length - before.slack,
  });
}

async function settle(h: Harness): Promise<void> {
  await h.github.flushWebhooks();
  await h.app.idle();
  // Work that follows an answer (a status the deployer posts, a thread reply) lands within this.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await h.app.idle();
}

export async function countCalls(): Promise<CallCount[]> {
  const h = await startHarness({ config: CHAT_CONFIG, env: { LOG_LEVEL: 'warn' } });
  try {
    const repo = 'octo-org/web';
    h.github.addRepository(repo, { defaultBranch: 'main' });
    const shas = Array.from({ length: 10 }, (_, i) => deriveSha(`bench-${i}`));
    for (const sha of shas)
      h.github.addCommit(repo, sha, { message: `Release ${sha.slice(0, 7)}`, author: 'octocat' });
    h.github.setRef(repo, 'main', shas.at(-1)!);
    for (const environment of ['staging', 'production', 'qa']) {
      for (const sha of shas) {
        const d = h.github.createDeploymentDirectly(repo, { ref: sha, sha, environment, creator: 'octocat' });
        h.github.createStatusDirectly(d.id, { state: 'success' });
      }
    }
    await settle(h);

    const results: CallCount[] = [];
    const measure = async (what: string, act: () => Promise<void>) => {
      const count = counter(h);
      await act();
      await settle(h);
      results.push({ what, ...count() });
    };
    await measure('where (3 environments)', async () => {
      const sent = await slash(h, 'where web');
      await nextResponse(h, sent.responseUrl);
    });
    await measure('history (one environment)', async () => {
      const sent = await slash(h, 'history web in staging');
      await nextResponse(h, sent.responseUrl);
    });
    await measure('confirmation prompt (production)', async () => {
      const sent = await slash(h, 'web@main to production', { user: 'U0ALICE' });
      await nextResponse(h, sent.responseUrl);
    });
    await measure('chat deploy (staging, no confirmation)', async () => {
      const sent = await slash(h, 'web@main to staging');
      await nextResponse(h, sent.responseUrl);
    });
    await measure('announced status (a new deployment)', async () => {
      const payload = buildDeploymentStatusPayload({
        repo,
        deployment: { id: 990_001, ref: 'main', environment: 'staging', creator: 'octocat' },
        status: { id: 990_002, state: 'success' },
      });
      await h.sendWebhook('deployment_status', payload);
    });
    return results;
  } finally {
    await h.stop();
  }
}
