import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import {
  fieldErrorText,
  readDeployModal,
  readLockModal,
  renderDeployModal,
  renderLockModal,
  type ViewStateValues,
} from '../../src/core/deploy-modal.js';
import { boardButtonValue } from '../../src/core/home-board.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      staging: { aliases: [stg] }
      production: {}
  octo-org/api:
    environments:
      production: {}
`,
  'deploybot.yml',
);

const select = (value: string) => ({ a: { selected_option: { value } } });
const text = (value: string | null) => ({ a: { value } });

interface Block {
  readonly block_id?: string;
  readonly element?: {
    readonly options?: ReadonlyArray<{ value: string }>;
    readonly initial_option?: { value: string };
    readonly placeholder?: { text: string };
  };
}
const blocks = (view: { blocks: ReadonlyArray<unknown> }) => view.blocks as Block[];

describe('the Deploy modal', () => {
  it.each([
    ['nothing chosen', {}, 'octo-org/web', 'staging'],
    [
      'the board’s environment',
      { repository: 'octo-org/web', environment: 'production' },
      'octo-org/web',
      'production',
    ],
    ['an alias', { repository: 'octo-org/web', environment: 'stg' }, 'octo-org/web', 'staging'],
    ['another repository', { repository: 'octo-org/api' }, 'octo-org/api', 'production'],
    ['an unknown repository', { repository: 'octo-org/nope' }, 'octo-org/web', 'staging'],
  ] as const)('%s', (_name, input, repository, environment) => {
    const view = renderDeployModal({ config, ...input });
    expect(view.callback_id).toBe('deploy_modal');
    const [repo, env] = blocks(view);
    expect(repo?.element?.initial_option?.value).toBe(repository);
    expect(env?.block_id).toBe(`environment:${repository}`);
    expect(env?.element?.initial_option?.value).toBe(environment);
  });

  it('has the default branch as the ref’s placeholder once known', () => {
    const ref = (defaultBranch?: string) =>
      blocks(renderDeployModal({ config, ...(defaultBranch ? { defaultBranch } : {}) })).find(
        (b) => b.block_id === 'ref',
      );
    expect(ref()?.element?.placeholder?.text).toBe('the default branch');
    expect(ref('trunk')?.element?.placeholder?.text).toBe('trunk');
  });

  it.each<[string, ViewStateValues, unknown]>([
    [
      'repository, environment and ref',
      {
        repository: select('octo-org/web'),
        'environment:octo-org/web': select('production'),
        ref: text(' v1.2 '),
      },
      { ok: true, ref: 'v1.2', environment: 'production' },
    ],
    [
      'no ref: the default branch',
      {
        repository: select('octo-org/api'),
        'environment:octo-org/api': select('production'),
        ref: text(null),
      },
      { ok: true, ref: undefined, environment: 'production' },
    ],
    [
      'no repository',
      { ref: text('main') },
      { ok: false, errors: { repository: 'Choose a repository from deploybot.yml.' } },
    ],
    [
      'the environment select of another repository',
      { repository: select('octo-org/api'), 'environment:octo-org/web': select('staging') },
      { ok: false, errors: { repository: 'Choose an environment of octo-org/api.' } },
    ],
    [
      'a ref with spaces',
      { repository: select('octo-org/web'), 'environment:octo-org/web': select('staging'), ref: text('a b') },
      { ok: false, errors: { ref: 'A ref has no spaces.' } },
    ],
  ])('reads %s', (_name, values, expected) => {
    const read = readDeployModal(config, values);
    const got = read.ok
      ? { ok: true, ref: read.value.ref, environment: read.value.environment.name }
      : { ok: false, errors: read.error };
    expect(got).toEqual(expected);
  });
});

describe('the Lock modal', () => {
  const metadata = renderLockModal({
    repository: 'octo-org/web',
    environment: 'production',
  }).private_metadata;

  it.each<[string, string, ViewStateValues, unknown]>([
    ['nothing filled in', metadata, { reason: text(null), duration: text(null) }, { ok: true }],
    [
      'a reason and a duration',
      metadata,
      { reason: text('release'), duration: text('2h') },
      { ok: true, reason: 'release', durationMs: 7_200_000 },
    ],
    ['an unreadable duration', metadata, { duration: text('forever') }, { ok: false, field: 'duration' }],
    ['too long', metadata, { duration: text('90d') }, { ok: false, field: 'duration' }],
    [
      'an environment gone from deploybot.yml',
      boardButtonValue({ repository: 'octo-org/web', environment: 'qa' }),
      {},
      { ok: false, field: 'reason' },
    ],
  ])('%s', (_name, meta, values, expected) => {
    const read = readLockModal(config, meta, values);
    const got = read.ok
      ? {
          ok: true,
          ...(read.value.reason ? { reason: read.value.reason } : {}),
          ...(read.value.durationMs ? { durationMs: read.value.durationMs } : {}),
        }
      : { ok: false, field: Object.keys(read.error)[0] };
    expect(got).toEqual(expected);
  });
});

describe('field error text', () => {
  it.each([
    [
      'You may not deploy to *production*. Ask <@U0ALICE> or <!subteam^S0OPS>.',
      'You may not deploy to production. Ask @U0ALICE or @S0OPS.',
    ],
    ['See <https://x/y|the log> for `ci/build`', 'See the log for ci/build'],
    ['&lt;b&gt; &amp; co', '<b> & co'],
  ])('%s', (input, expected) => {
    expect(fieldErrorText(input)).toBe(expected);
  });
});
