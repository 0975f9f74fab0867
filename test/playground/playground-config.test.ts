import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { problemsOf } from '../../src/config/format-problems.js';
import {
  branchesOf,
  channelsOf,
  contextsOf,
  mapConfigOntoRepository,
  PLAYGROUND_CONFIG,
  peopleOf,
} from '../../src/playground/playground-config.js';
import { eventually, startPlaygroundRig } from './playground-rig.js';

const USER_CONFIG = `
slack: { channel: C0OPS }
github: { owner: octo-org }
users: { U0CAROL: carol-gh }
repos:
  octo-org/shop:
    channel: C0SHOP
    clone_url: git@github.com:octo-org/shop.git
    environments:
      staging:
        deploy_on_merge: develop
        required_contexts: [lint, test]
        provider: { type: http, url: "http://127.0.0.1:9/deploy", headers: { Authorization: "Bearer real" } }
      production:
        provider: { type: script, command: [kubectl, apply, -f, prod.yml], timeout: 120 }
  octo-org/docs:
    environments:
      pages:
        provider: { type: external }
`;

describe('deploybot.yml in the playground', () => {
  const config = parseConfig(USER_CONFIG, 'deploybot.yml');
  const mapped = mapConfigOntoRepository(config);

  it('fetches every repository from GitHub (the stand-in), and runs its script/deploy instead of real systems', () => {
    expect(config.repos[0]?.cloneUrl).toBe('git@github.com:octo-org/shop.git');
    expect(mapped.repos.map((repo) => [repo.fullName, repo.cloneUrl])).toEqual([
      ['octo-org/shop', undefined],
      ['octo-org/docs', undefined],
    ]);
    const providers = mapped.repos.flatMap((repo) =>
      repo.environments.map((env) => [env.name, env.provider]),
    );
    expect(providers).toEqual([
      [
        'staging',
        {
          type: 'script',
          command: ['./script/deploy', 'staging'],
          checkout: true,
          timeoutSeconds: 1800,
          env: { STEP_SECONDS: '1' },
        },
      ],
      [
        'production',
        {
          type: 'script',
          command: ['./script/deploy', 'production'],
          checkout: true,
          timeoutSeconds: 120,
          env: { STEP_SECONDS: '1' },
        },
      ],
      ['pages', { type: 'external' }],
    ]);
    // The rules to try stay as written.
    expect(mapped.repos[0]?.environments[0]?.requiredContexts).toEqual(['lint', 'test']);
    expect(mapped.users).toEqual(config.users);
  });

  it.each([
    ['channels', () => channelsOf(mapped), ['C0OPS', 'C0SHOP']],
    ['branches', () => branchesOf(mapped), ['main', 'develop']],
    ['CI contexts', () => contextsOf(mapped), ['lint', 'test']],
    [
      'people',
      () => peopleOf(mapped),
      [
        { id: 'U0ALICE', name: 'alice' },
        { id: 'U0BOB', name: 'bob' },
        { id: 'U0CAROL', name: 'carol-gh' },
      ],
    ],
    [
      'CI contexts of the own config',
      () => contextsOf(parseConfig(PLAYGROUND_CONFIG, 'playground')),
      ['ci/build'],
    ],
  ])('derives the %s the stand-ins play', (_what, derive, expected) => {
    expect(derive()).toEqual(expected);
  });

  it('plays the given deploybot.yml: a deploy to an HTTP-provider environment runs script/deploy', async () => {
    const rig = await startPlaygroundRig({ text: USER_CONFIG, source: 'deploybot.yml' });
    try {
      const state = await rig.state();
      expect(state.me).toBe('U0ALICE');
      const sent = await rig.post('command', { user: 'U0ALICE', channel: 'C0SHOP', text: 'shop to staging' });
      expect(sent.status).toBe(200);
      const done = await eventually('the deployment to finish', async () => {
        const deployment = (await rig.state()).github.deployments[0];
        return deployment && ['success', 'failure', 'error'].includes(deployment.state)
          ? deployment
          : undefined;
      });
      expect(done.state).toBe('success');
      expect(done.environment).toBe('staging');
    } finally {
      await rig.playground.stop();
    }
  });

  it('refuses a deploybot.yml with problems before starting anything', async () => {
    const thrown = await startPlaygroundRig({ text: 'slack: {}\nrepos: {}\n', source: 'broken.yml' }).catch(
      (error: unknown) => error,
    );
    expect(problemsOf(thrown).length).toBeGreaterThan(0);
    expect(problemsOf(thrown).every((problem) => problem.source === 'broken.yml')).toBe(true);
  });
});
