import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSlackSignInClient,
  decodeJwtPayload,
  slackBaseOf,
} from '../../src/bot/slack-sign-in-client.js';
import { DeploybotError } from '../../src/core/errors.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';

const REDIRECT = 'https://deploy.example.com/auth/slack/callback';

describe('the Sign in with Slack client against the stand-in', () => {
  let slack: SlackStandIn;
  beforeAll(async () => {
    slack = await startSlackStandIn({ clientId: '1111.2222', clientSecret: 'client-secret' });
  });
  afterAll(async () => {
    await slack.close();
  });

  async function codeFor(userId: string): Promise<string> {
    slack.signInAs(userId);
    const authorize = new URL(`${slackBaseOf(slack.apiUrl)}/openid/connect/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      client_id: '1111.2222',
      redirect_uri: REDIRECT,
      state: 's-1',
      nonce: 'n-1',
    }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('s-1');
    return back.searchParams.get('code') ?? '';
  }

  const client = (clientSecret = 'client-secret') =>
    createSlackSignInClient({ apiUrl: slack.apiUrl, clientId: '1111.2222', clientSecret, fetch });

  it('finds Slack at the API URL without /api/', () => {
    expect(slackBaseOf('https://slack.com/api/')).toBe('https://slack.com');
    expect(slackBaseOf(slack.apiUrl)).toBe(slack.baseUrl);
  });

  it('exchanges a code for the ID token claims, once', async () => {
    const code = await codeFor('U0ALICE');
    const claims = await client().exchangeCode(code, REDIRECT);
    expect(claims).toMatchObject({
      iss: slack.baseUrl,
      aud: '1111.2222',
      nonce: 'n-1',
      'https://slack.com/user_id': 'U0ALICE',
      'https://slack.com/team_id': slack.teamId,
    });
    await expect(client().exchangeCode(code, REDIRECT)).resolves.toBeUndefined();
    // The client secret is a credential: the stand-in never records it.
    expect(JSON.stringify(slack.calls)).not.toContain('client-secret');
  });

  it('answers openid.connect.userInfo for the access token it gave, as Slack does', async () => {
    const form = new URLSearchParams({
      client_id: '1111.2222',
      client_secret: 'client-secret',
      code: await codeFor('U0BOB'),
      redirect_uri: REDIRECT,
    });
    const token = (await (
      await fetch(`${slack.apiUrl}openid.connect.token`, { method: 'POST', body: form })
    ).json()) as {
      access_token: string;
    };
    const info = async (bearer: string) =>
      (await fetch(`${slack.apiUrl}openid.connect.userInfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
      }).then((r) => r.json())) as Record<string, unknown>;
    expect(await info(token.access_token)).toMatchObject({
      ok: true,
      sub: 'U0BOB',
      'https://slack.com/team_id': slack.teamId,
    });
    expect(await info('xoxp-unknown')).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('gets nothing for a wrong secret or another redirect URI', async () => {
    await expect(client('wrong').exchangeCode(await codeFor('U0ALICE'), REDIRECT)).resolves.toBeUndefined();
    await expect(client().exchangeCode(await codeFor('U0ALICE'), `${REDIRECT}x`)).resolves.toBeUndefined();
  });

  it('fails with slack_unavailable when Slack cannot be reached', async () => {
    const down = createSlackSignInClient({
      apiUrl: 'http://127.0.0.1:1/api/',
      clientId: '1111.2222',
      clientSecret: 'client-secret',
      fetch,
    });
    const error = await down.exchangeCode('c', REDIRECT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploybotError);
    expect((error as DeploybotError).code).toBe('slack_unavailable');
  });

  it.each(['', 'a.b', 'a.!!!.c', `a.${Buffer.from('[1]').toString('base64url')}.c`, 'a.b.c.d'])(
    'reads no claims from %j',
    (token) => {
      expect(decodeJwtPayload(token)).toBeUndefined();
    },
  );
});
