import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { type ParsedCommand, parseCommand } from '../../src/core/command.js';
import { checkRef, decodeEntities, normalizeCommandText, quote } from '../../src/core/command-text.js';
import type { Config } from '../../src/core/config.js';

const config: Config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
repos:
  octo-org/web:
    aliases: [website]
    default_environment: staging
    environments:
      staging: { aliases: [stg] }
      production: { aliases: [prod, live] }
  octo-org/api:
    aliases: [backend]
    environments:
      production: {}
      preview: {}
  other-org/tools:
    aliases: [tooling]
    environments:
      qa: {}
  octo-org/deploy:
    environments:
      production: {}
  octo-org/where:
    environments:
      staging: {}
`,
  'test.yml',
);
const noOwner: Config = { ...config, github: {} };

/** The parse result with repository and environment reduced to their names. */
function summarize(parsed: ParsedCommand): Record<string, unknown> {
  const { repo, environment, ...rest } = parsed as ParsedCommand & {
    repo?: { fullName: string };
    environment?: { name: string };
  };
  return {
    ...rest,
    ...(repo === undefined ? {} : { repo: repo.fullName }),
    ...(environment === undefined ? {} : { environment: environment.name }),
  };
}

const parse = (text: string, cfg: Config = config) => summarize(parseCommand(text, { config: cfg }));

const deploy = (repo: string, environment: string, extra: { ref?: string; force?: boolean } = {}) => ({
  kind: 'deploy',
  repo,
  environment,
  force: extra.force ?? false,
  ...(extra.ref === undefined ? {} : { ref: extra.ref }),
});

describe('parseCommand: deploy', () => {
  it.each<[string, Record<string, unknown>]>([
    ['web', deploy('octo-org/web', 'staging')],
    ['web@main', deploy('octo-org/web', 'staging', { ref: 'main' })],
    ['web to production', deploy('octo-org/web', 'production')],
    ['web in production', deploy('octo-org/web', 'production')],
    ['web on production', deploy('octo-org/web', 'production')],
    ['web@feature/login to prod', deploy('octo-org/web', 'production', { ref: 'feature/login' })],
    ['web@v1.2.3 to live', deploy('octo-org/web', 'production', { ref: 'v1.2.3' })],
    ['web@abc1234', deploy('octo-org/web', 'staging', { ref: 'abc1234' })],
    [`web@${'a'.repeat(40)}`, deploy('octo-org/web', 'staging', { ref: 'a'.repeat(40) })],
    ['web@release+1', deploy('octo-org/web', 'staging', { ref: 'release+1' })],
    ['octo-org/web to stg', deploy('octo-org/web', 'staging')],
    ['Octo-Org/WEB to STG', deploy('octo-org/web', 'staging')],
    ['website to prod', deploy('octo-org/web', 'production')],
    ['backend', deploy('octo-org/api', 'production')],
    ['api to preview', deploy('octo-org/api', 'preview')],
    ['other-org/tools', deploy('other-org/tools', 'qa')],
    ['tooling to qa', deploy('other-org/tools', 'qa')],
    // The leading `deploy` word is optional, in any case.
    ['deploy web to prod', deploy('octo-org/web', 'production')],
    ['DEPLOY web To PROD', deploy('octo-org/web', 'production')],
    ['Deploy WEB@main IN Production', deploy('octo-org/web', 'production', { ref: 'main' })],
    ['   web    to   prod   ', deploy('octo-org/web', 'production')],
    ['web\tto\nprod', deploy('octo-org/web', 'production')],
    // Refs keep their case: branch names are case-sensitive.
    ['web@Feature-X', deploy('octo-org/web', 'staging', { ref: 'Feature-X' })],
  ])('%j', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });
});

describe('parseCommand: force', () => {
  it.each<[string, Record<string, unknown>]>([
    ['web!', deploy('octo-org/web', 'staging', { force: true })],
    ['web !', deploy('octo-org/web', 'staging', { force: true })],
    ['web@main!', deploy('octo-org/web', 'staging', { ref: 'main', force: true })],
    ['web@main! to prod', deploy('octo-org/web', 'production', { ref: 'main', force: true })],
    ['web to prod!', deploy('octo-org/web', 'production', { force: true })],
    ['web to prod !', deploy('octo-org/web', 'production', { force: true })],
    ['web to prod!!', deploy('octo-org/web', 'production', { force: true })],
    ['deploy web@main to production!', deploy('octo-org/web', 'production', { ref: 'main', force: true })],
    ['web to prod', deploy('octo-org/web', 'production')],
  ])('%j', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });
});

describe('parseCommand: a repository named like a keyword', () => {
  it.each<[string, Record<string, unknown>]>([
    // `deploy` alone is the usage; followed by to/in/on or `!` nothing else reads, so it is the repository.
    ['deploy', { kind: 'help' }],
    ['deploy deploy', deploy('octo-org/deploy', 'production')],
    ['deploy to production', deploy('octo-org/deploy', 'production')],
    ['deploy !', deploy('octo-org/deploy', 'production', { force: true })],
    ['deploy@main', deploy('octo-org/deploy', 'production', { ref: 'main' })],
    ['octo-org/deploy', deploy('octo-org/deploy', 'production')],
    ['deploy deploy to production', deploy('octo-org/deploy', 'production')],
    // Command keywords always win; a ref or the full name deploys the repository.
    ['where where', { kind: 'where', repo: 'octo-org/where' }],
    ['where@main', deploy('octo-org/where', 'staging', { ref: 'main' })],
    ['octo-org/where', deploy('octo-org/where', 'staging')],
    ['deploy where web', { kind: 'where', repo: 'octo-org/web' }],
  ])('%j', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });

  it('a leading deploy with nothing after it that names no repository is the usage', () => {
    const without = { ...config, repos: config.repos.filter((r) => r.name !== 'deploy') };
    expect(parse('deploy', without)).toEqual({ kind: 'help' });
    expect(parse('deploy to prod', without)).toMatchObject({ kind: 'invalid' });
  });
});

describe('parseCommand: other commands', () => {
  it.each<[string, Record<string, unknown>]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP me', { kind: 'help' }],
    ['deploy help', { kind: 'help' }],
    ['where web', { kind: 'where', repo: 'octo-org/web' }],
    ['Where  WEBSITE', { kind: 'where', repo: 'octo-org/web' }],
    ['history web', { kind: 'history', repo: 'octo-org/web' }],
    ['history web in prod', { kind: 'history', repo: 'octo-org/web', environment: 'production' }],
    ['HISTORY octo-org/api IN preview', { kind: 'history', repo: 'octo-org/api', environment: 'preview' }],
    ['rollback web', { kind: 'rollback', repo: 'octo-org/web', environment: 'staging' }],
    ['rollback web in live', { kind: 'rollback', repo: 'octo-org/web', environment: 'production' }],
    ['cancel api', { kind: 'cancel', repo: 'octo-org/api', environment: 'production' }],
    ['cancel web in prod', { kind: 'cancel', repo: 'octo-org/web', environment: 'production' }],
    ['unlock prod on web', { kind: 'unlock', repo: 'octo-org/web', environment: 'production' }],
    ['UNLOCK Production ON website', { kind: 'unlock', repo: 'octo-org/web', environment: 'production' }],
  ])('%j', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });
});

const lock = (environment: string, extra: Record<string, unknown> = {}) => ({
  kind: 'lock',
  repo: 'octo-org/web',
  environment,
  steal: false,
  ...extra,
});

describe('parseCommand: lock', () => {
  it.each<[string, Record<string, unknown>]>([
    ['lock prod on web', lock('production')],
    ['LOCK stg ON website', lock('staging')],
    ['lock prod on web: release freeze', lock('production', { reason: 'release freeze' })],
    ['lock prod on web:release freeze', lock('production', { reason: 'release freeze' })],
    ['lock prod on web : release freeze', lock('production', { reason: 'release freeze' })],
    ['lock prod on web for 2h', lock('production', { durationMs: 7_200_000 })],
    ['lock prod on web for 90 minutes', lock('production', { durationMs: 5_400_000 })],
    ['lock prod on web for 1h30m', lock('production', { durationMs: 5_400_000 })],
    ['lock prod on web: freeze for 1d', lock('production', { reason: 'freeze', durationMs: 86_400_000 })],
    [
      'lock prod on web: waiting for QA for 2 days',
      lock('production', { reason: 'waiting for QA', durationMs: 2 * 86_400_000 }),
    ],
    ['lock prod on web for 30m: hotfix', lock('production', { reason: 'hotfix', durationMs: 1_800_000 })],
    // "for QA" is not a duration, so it stays in the reason.
    ['lock prod on web: waiting for QA', lock('production', { reason: 'waiting for QA' })],
    ['lock prod on web:', lock('production')],
    // Stealing: `!` on a grammar word, or alone at the end.
    ['lock prod on web!', lock('production', { steal: true })],
    ['lock prod on web !', lock('production', { steal: true })],
    ['lock! prod on web', lock('production', { steal: true })],
    ['lock prod! on web', lock('production', { steal: true })],
    ['lock prod on web!: mine now', lock('production', { reason: 'mine now', steal: true })],
    ['lock prod on web for 2h!', lock('production', { durationMs: 7_200_000, steal: true })],
    // At the end of a reason, `!` is part of the reason.
    ['lock prod on web: deploys broken!', lock('production', { reason: 'deploys broken!' })],
    [
      'lock prod on web for 2h: big launch!',
      lock('production', { reason: 'big launch!', durationMs: 7_200_000 }),
    ],
  ])('%j', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });

  it('keeps the reason as typed, for the renderer to escape', () => {
    // Raw `<!channel>` is Slack's markup for a real @channel: refused, never echoed.
    expect(parse('lock prod on web: <!channel> & friends')).toMatchObject({ kind: 'invalid' });
    expect(parse('lock prod on web: &lt;!channel&gt; &amp; friends')).toMatchObject({
      reason: '<!channel> & friends',
    });
  });
});

interface InvalidCase {
  readonly input: string;
  readonly reason: RegExp;
  readonly suggestions?: string[];
  readonly cfg?: Config;
}

describe('parseCommand: mistakes', () => {
  it.each<InvalidCase>([
    { input: 'wbe to prod', reason: /don't know the repository `wbe`/, suggestions: ['web'] },
    { input: 'webiste', reason: /`webiste`/, suggestions: ['website'] },
    { input: 'octo-org/wbe', reason: /`octo-org\/wbe`/, suggestions: ['octo-org/web', 'octo-org/where'] },
    { input: 'xyzzy', reason: /I deploy `web`, `website`/, suggestions: [] },
    { input: 'tools', reason: /`tools`/, suggestions: ['other-org/tools', 'tooling'] },
    { input: 'web', cfg: noOwner, reason: /`web`/, suggestions: ['octo-org/web', 'website'] },
    {
      input: 'web to prdo',
      reason: /`prdo` is not an environment of `octo-org\/web`/,
      suggestions: ['prod', 'production'],
    },
    { input: 'web to stagign', reason: /`stagign`/, suggestions: ['staging'] },
    { input: 'web to mars', reason: /Its environments: `staging`, `production`/, suggestions: [] },
    { input: 'web to', reason: /Which environment/ },
    { input: '!', reason: /Which repository\?/ },
    { input: 'web main', reason: /`main` after the repository/, suggestions: ['web@main'] },
    { input: 'web prod', reason: /`prod` after the repository/, suggestions: ['web to prod'] },
    { input: 'web to prod now', reason: /`now` at the end/ },
    { input: 'web from prod', reason: /`from prod`/ },
    { input: 'wher web', reason: /`wher`/, suggestions: ['where'] },
    { input: 'histroy web', reason: /`histroy`/, suggestions: ['history'] },
    { input: 'rollbak web', reason: /`rollbak`/, suggestions: ['rollback'] },
    { input: 'where', reason: /Which repository\? Say `where REPO`/ },
    { input: 'where web in prod', reason: /only a repository/, suggestions: ['where web'] },
    { input: 'where web@main', reason: /only goes with a deploy/ },
    { input: 'where wbe', reason: /`wbe`/, suggestions: ['web'] },
    { input: 'history', reason: /`history REPO \[in ENV\]`/ },
    { input: 'history web prod', reason: /`history REPO \[in ENV\]`/ },
    { input: 'history web in', reason: /`history REPO \[in ENV\]`/ },
    { input: 'rollback web in prdo', reason: /`prdo`/, suggestions: ['prod', 'production'] },
    { input: 'rollback web!', reason: /`!` only goes with a deploy/ },
    { input: 'cancel', reason: /`cancel REPO \[in ENV\]`/ },
    { input: 'lock prod', reason: /`lock ENV on REPO\[: REASON\] \[for DURATION\]`/ },
    { input: 'lock prod web', reason: /`lock ENV on REPO/ },
    { input: 'lock web on prod', reason: /environment comes first/, suggestions: ['lock prod on web'] },
    { input: 'lock web in prod', reason: /`lock ENV on REPO/, suggestions: ['lock prod on web'] },
    { input: 'unlock web on prod', reason: /environment comes first/, suggestions: ['unlock prod on web'] },
    { input: 'unlock prod on web: done', reason: /no reason or duration/ },
    { input: 'unlock prod on web!', reason: /`!` only goes with a deploy/ },
    { input: 'lock prdo on web', reason: /`prdo`/, suggestions: ['prod', 'production'] },
    { input: 'lock prod on wbe', reason: /`wbe`/, suggestions: ['web'] },
    { input: 'lock prod on web for 90 days', reason: /`90 days` is too long; the longest is 30 days/ },
    { input: 'lock prod on web for 0m', reason: /too short/ },
    { input: 'lock prod on web for ever', reason: /`ever` is not a duration/ },
    { input: 'lock prod on web for 30s', reason: /`30s` is too short; the shortest is 1 minute/ },
    { input: 'lock prod on web for 45 seconds: hotfix', reason: /`45 seconds` is too short/ },
    { input: 'lock prod on web: hotfix for 30s', reason: /`30s` is too short; the shortest is 1 minute/ },
    { input: 'lock prod on web: hotfix for 20 sec!', reason: /`20 sec` is too short/ },
    { input: 'lock prod on web: hotfix for 30 secs', reason: /`30 secs` is too short/ },
    {
      input: 'lock prod on web: hotfix for 30 fortnights',
      reason: /`30 fortnights` is not a duration I understand/,
    },
    { input: 'lock prod on web: hotfix for 30', reason: /`30` is not a duration I understand/ },
    { input: 'lock prod on web: hotfix for 30 s', reason: /`30 s` is too short/ },
    { input: 'lock prod on web because', reason: /expected `: REASON` or `for DURATION`/ },
  ])('$input', ({ input, reason, suggestions, cfg }) => {
    const parsed = parseCommand(input, { config: cfg ?? config });
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind !== 'invalid') return;
    expect(parsed.reason).toMatch(reason);
    if (suggestions !== undefined) expect(parsed.suggestions).toEqual(suggestions);
  });
});

describe('parseCommand: hostile input', () => {
  it.each<[string, RegExp]>([
    ['web@--upload-pack=x', /cannot start with '-'/],
    ['web@-x to prod', /cannot start with '-'/],
    ['web@$(reboot)', /contains `\$` `\(` `\)`/],
    ['web@`reboot`', /contains a backtick/],
    ['web@a;b', /contains `;`/],
    ['web@a|b', /contains `\|`/],
    ['web@a&amp;b', /contains `&amp;`/],
    ['web@a&b', /contains `&amp;`/],
    ["web@'main'", /contains `'`/],
    ['web@"main"', /contains `"`/],
    ['web@a..b', /cannot contain '\.\.'/],
    ['web@a~1', /contains `~`/],
    ['web@HEAD^', /contains `\^`/],
    ['web@ma\u0131n', /contains `ı`/],
    ['web@m\u0430in', /contains `а`/],
    [`web@${'a'.repeat(256)}`, /longer than 255 characters/],
    ['web@', /Nothing follows the `@`/],
    ['@main', /before the `@`/],
    ['web@main.lock', /not a valid branch/],
    ['web@a\u0000b', /control or invisible characters/],
    ['web@a\u001b[31mb', /control or invisible characters/],
    ['web@ma\u200bin', /control or invisible characters/],
    ['web@main\u202e', /control or invisible characters/],
    ['x'.repeat(10_000), /10000 characters long; I read at most 500/],
    [`web@${'a'.repeat(10_000)}`, /characters long/],
    ['web to prod; rm -rf /', /I don't understand `rm -rf \/` at the end|not an environment/],
    ['web@main\nrm -rf /', /I don't understand/],
    ['<https://github.com/octo-org/web>', /is a link/],
    ['<http://evil.example|web>', /is a link/],
    ['web to <https://prod.example.com|prod.example.com/x>', /is a link/],
    ['<@U123ABC> web', /cannot mention people/],
    ['web to <!channel>', /cannot mention people/],
    ['<!subteam^S123|@devs>', /cannot mention people/],
    ['web to <#C123|prod>', /cannot mention people/],
    ['web@&lt;!channel&gt;', /contains `&lt;` `!` `&gt;`/],
  ])('%j', (input, reason) => {
    const parsed = parseCommand(input, { config });
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind !== 'invalid') return;
    expect(parsed.reason).toMatch(reason);
    // Whatever was typed, the reason neither pings anyone nor breaks out of its formatting.
    expect(parsed.reason).not.toMatch(/<[!@#]/);
    expect(parsed.reason.length).toBeLessThan(400);
  });

  it('reads a link Slack made from what was typed as the text typed', () => {
    expect(parse('<mailto:web@v1.io|web@v1.io> to prod')).toEqual(
      deploy('octo-org/web', 'production', { ref: 'v1.io' }),
    );
    expect(parse('<http://web.io|web.io>')).toMatchObject({ kind: 'invalid', reason: /`web\.io`/ });
  });

  it('is a pure function: the same answer for the same input, and the config untouched', () => {
    const before = JSON.stringify(config);
    const first = parse('web@$(reboot) to prod');
    expect(parse('web@$(reboot) to prod')).toEqual(first);
    expect(JSON.stringify(config)).toBe(before);
  });
});

describe('checkRef', () => {
  it.each<[string, boolean]>([
    ['main', true],
    ['release/2024-01', true],
    ['v1.2.3', true],
    ['deadbeef', true],
    ['0123456789abcdef0123456789abcdef01234567', true],
    ['a/b/c+d_e', true],
    ['.hidden', false],
    ['a/.b', false],
    ['a//b', false],
    ['a/', false],
    ['/a', false],
    ['a.', false],
    ['@', false],
    ['a@{1}', false],
    ['with space', false],
    ['-x', false],
    ['a'.repeat(255), true],
    ['a'.repeat(256), false],
  ])('%j → %s', (ref, ok) => {
    expect(checkRef(ref).ok).toBe(ok);
  });
});

describe('Slack text', () => {
  it.each<[string, string]>([
    ['a &lt;b&gt; &amp; c', 'a <b> & c'],
    ['&amp;lt;', '&lt;'],
    ['&quot; &nbsp;', '&quot; &nbsp;'],
  ])('decodeEntities(%j) = %j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['web to prod', 'web to prod'],
    ['<mailto:web@v1.io|web@v1.io>', 'web@v1.io'],
    ['<https://web.io|web.io>', 'web.io'],
    ['x &lt;y&gt;', 'x <y>'],
  ])('normalizeCommandText(%j) = %j', (input, expected) => {
    expect(normalizeCommandText(input)).toEqual({ ok: true, value: expected });
  });

  it('quotes user text as escaped, shortened inline code', () => {
    expect(quote('<!here> `x`')).toBe("`&lt;!here&gt; 'x'`");
    expect(quote('a'.repeat(100))).toBe(`\`${'a'.repeat(39)}…\``);
  });
});
