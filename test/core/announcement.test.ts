import { describe, expect, it } from 'vitest';
import {
  type DeploymentFacts,
  renderAnnouncement,
  renderStatusReply,
  type StatusFacts,
} from '../../src/core/announcement.js';
import { DEPLOYMENT_STATES } from '../../src/core/deployment-state.js';

const deployment: DeploymentFacts = {
  id: 1001,
  repository: 'octo-org/web',
  repositoryUrl: 'https://github.com/octo-org/web',
  ref: 'main',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  environment: 'production',
  task: 'deploy',
  deployer: 'octocat',
  createdAt: '2026-11-28T10:00:00Z',
  pullRequest: 42,
};

function status(overrides: Partial<StatusFacts> = {}): StatusFacts {
  return { id: 5001, state: 'pending', createdAt: '2026-11-28T10:02:05Z', ...overrides };
}

function allText(content: { text: string; blocks?: readonly unknown[] }): string {
  return `${content.text}\n${JSON.stringify(content.blocks ?? [])}`;
}

describe('renderAnnouncement', () => {
  it.each(DEPLOYMENT_STATES)(
    'the fallback text names repository, environment and the state word %s',
    (state) => {
      const message = renderAnnouncement(deployment, status({ state }));
      expect(message.text).toContain('octo-org/web');
      expect(message.text).toContain('production');
      expect(message.text).toContain(state);
    },
  );

  it('shows ref, linked short sha, deployer, pull request, log and environment links', () => {
    const message = renderAnnouncement(
      deployment,
      status({
        state: 'success',
        logUrl: 'https://bot.example.com/log/1',
        environmentUrl: 'https://example.com',
      }),
    );
    const text = allText(message);
    expect(text).toContain('`main`');
    expect(text).toContain(
      '<https://github.com/octo-org/web/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678|a1b2c3d>',
    );
    expect(text).toContain('by octocat');
    expect(text).toContain('<https://github.com/octo-org/web/pull/42|#42>');
    expect(text).toContain('<https://bot.example.com/log/1|Log>');
    expect(text).toContain('<https://example.com|https://example.com>');
    expect(text).toContain(':white_check_mark:');
  });

  it.each([
    ['pending', undefined],
    ['in_progress', undefined],
    ['success', '2m 05s'],
    ['failure', '2m 05s'],
    ['error', '2m 05s'],
    ['inactive', undefined],
  ] as const)('duration for %s: %s', (state, duration) => {
    const text = allText(renderAnnouncement(deployment, status({ state })));
    if (duration === undefined) expect(text).not.toContain('took');
    else expect(text).toContain(`took ${duration}`);
  });

  it('each state has its own visual', () => {
    const headlineOf = (state: (typeof DEPLOYMENT_STATES)[number]) => {
      const block = renderAnnouncement(deployment, status({ state })).blocks?.[0];
      return block?.type === 'section' ? block.text.text : '';
    };
    const emojis = DEPLOYMENT_STATES.map((state) => /^(:[a-z_]+:)/.exec(headlineOf(state))?.[1]);
    expect(emojis.every((e) => e !== undefined)).toBe(true);
    expect(new Set(emojis).size).toBeGreaterThanOrEqual(6);
  });

  it('escapes Slack control characters from untrusted fields', () => {
    const hostile = { ...deployment, deployer: '<!channel> & co', ref: 'feature/<b>' };
    const text = allText(renderAnnouncement(hostile, status()));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).toContain('feature/&lt;b&gt;');
  });

  it('says when a deploy was forced and omits the ref when it is the sha', () => {
    const forced = { ...deployment, forced: true, ref: deployment.sha };
    const text = allText(renderAnnouncement(forced, status()));
    expect(text).toContain('forced');
    expect(text).not.toContain(`\`${deployment.sha}\``);
  });
});

describe('renderStatusReply', () => {
  it('records the state word, description and log link', () => {
    const reply = renderStatusReply(
      deployment,
      status({ state: 'failure', description: 'exit code 1', logUrl: 'https://bot.example.com/log/1' }),
    );
    const text = allText(reply);
    expect(reply.text).toContain('failure');
    expect(text).toContain('exit code 1');
    expect(text).toContain('after 2m 05s');
    expect(text).toContain('|Log>');
  });
});
