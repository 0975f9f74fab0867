import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionSigner } from '../../src/http/session-cookie.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { SECRETS } from '../support/harness.js';

const SHA = '1234567890abcdef1234567890abcdef12345678';
const PUBLIC_URL = 'http://deploy.test';
const WAIT = { timeoutMs: 20_000 };
const TWELVE_HOURS = 12 * 60 * 60;

/** The `name=value` part of the Set-Cookie for `name`, and the whole header. */
function cookieFrom(response: Response, name: string): { pair: string; header: string } | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header ? { pair: header.split(';')[0] ?? '', header } : undefined;
}

describe('Sign in with Slack for deploy log pages', () => {
  let h: DeployHarness;
  let pagePath: string;

  beforeEach(async () => {
    h = await startDeployHarness(
      (resultDir) => deployConfig({ staging: { provider: fixtureProvider(resultDir, ['record', '0']) } }),
      {
        env: {
          PUBLIC_URL,
          SLACK_CLIENT_ID: '1111.2222',
          SLACK_CLIENT_SECRET: SECRETS.slackClientSecret,
        },
      },
    );
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    const done = await h.github.waitForStatus(deployment.id, 'success', WAIT);
    pagePath = new URL(done.log_url).pathname;
  });
  afterEach(async () => {
    await h.stop();
  });

  const get = (path: string, cookie?: string) =>
    fetch(`${h.url}${path}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });

  /** Opens the log page unsigned and follows Slack's authorize page by hand, up to the callback URL. */
  async function startSignIn(userId: string | undefined, claims?: Record<string, unknown>) {
    const page = await get(pagePath);
    expect(page.status).toBe(302);
    const stateCookie = cookieFrom(page, 'deploybot_sign_in');
    expect(stateCookie).toBeDefined();
    h.slack.signInAs(userId, claims);
    const slack = await fetch(page.headers.get('location') ?? '', { redirect: 'manual' });
    expect(slack.status).toBe(302);
    const callback = new URL(slack.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(`${PUBLIC_URL}/auth/slack/callback`);
    return { stateCookie: stateCookie?.pair ?? '', callback: `${callback.pathname}${callback.search}` };
  }

  async function signIn(userId: string) {
    const { stateCookie, callback } = await startSignIn(userId);
    return get(callback, stateCookie);
  }

  it('sends an unsigned visitor to Slack with client_id, redirect_uri, state, nonce and scope=openid', async () => {
    const response = await get(pagePath);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${h.slack.baseUrl}/openid/connect/authorize`);
    const params = Object.fromEntries(location.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      scope: 'openid',
      client_id: '1111.2222',
      redirect_uri: `${PUBLIC_URL}/auth/slack/callback`,
    });
    expect(params.state).toMatch(/^[\w-]{20,}$/);
    expect(params.nonce).toMatch(/^[\w-]{20,}$/);
    expect(params.state).not.toBe(params.nonce);
    const live = await get(`${pagePath}/log.json`);
    expect(live.status).toBe(401);
    expect(await live.text()).not.toContain('record');
  });

  it('signs a member in: a 12-hour HttpOnly SameSite=Lax cookie, back to the page, page and log.json 200', async () => {
    const response = await signIn('U0ALICE');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${PUBLIC_URL}${pagePath}`);
    const session = cookieFrom(response, 'deploybot_session');
    expect(session?.header).toMatch(/; HttpOnly(;|$)/);
    expect(session?.header).toMatch(/; SameSite=Lax(;|$)/);
    expect(session?.header).toContain(`Max-Age=${TWELVE_HOURS}`);
    expect(session?.header).toContain('Path=/');
    expect(session?.header).not.toContain('Secure');
    // The state is single-use: the callback clears its cookie.
    expect(cookieFrom(response, 'deploybot_sign_in')?.header).toContain('Max-Age=0');
    const page = await get(pagePath, session?.pair);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('octo-org/web');
    const live = await get(`${pagePath}/log.json`, session?.pair);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ state: 'success', final: true });
    // The code was exchanged with the app's credentials and the same redirect_uri.
    const exchange = h.slack.calls.find((call) => call.method === 'openid.connect.token');
    expect(exchange?.args).toMatchObject({
      client_id: '1111.2222',
      redirect_uri: `${PUBLIC_URL}/auth/slack/callback`,
    });
    expect(exchange?.response.ok).toBe(true);
  });

  it('refuses a different or missing state with 400 and no session', async () => {
    const { stateCookie, callback } = await startSignIn('U0ALICE');
    const wrong = callback.replace(/state=[^&]+/, 'state=forged');
    const forged = await get(wrong, stateCookie);
    expect(forged.status).toBe(400);
    expect(cookieFrom(forged, 'deploybot_session')).toBeUndefined();
    const noStateCookie = await get(callback);
    expect(noStateCookie.status).toBe(400);
    expect(cookieFrom(noStateCookie, 'deploybot_session')).toBeUndefined();
    // Neither used the code.
    expect(h.slack.calls.filter((call) => call.method === 'openid.connect.token')).toHaveLength(0);
  });

  it('refuses an ID token whose nonce is not the one sent, with 400 and no session', async () => {
    const { stateCookie, callback } = await startSignIn('U0ALICE', { nonce: 'another-nonce' });
    const response = await get(callback, stateCookie);
    expect(response.status).toBe(400);
    expect(cookieFrom(response, 'deploybot_session')).toBeUndefined();
  });

  it('refuses a cancelled sign-in with 400', async () => {
    const { stateCookie, callback } = await startSignIn(undefined);
    const response = await get(callback, stateCookie);
    expect(response.status).toBe(400);
    expect(cookieFrom(response, 'deploybot_session')).toBeUndefined();
  });

  it('shows a user of another workspace a 403 page and gives no session', async () => {
    h.slack.setUser({ id: 'U0CONNECT', name: 'connie', teamId: 'T0OTHER' });
    const response = await signIn('U0CONNECT');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('another one');
    expect(cookieFrom(response, 'deploybot_session')).toBeUndefined();
  });

  it.each([
    ['a multi-channel guest', { isRestricted: true }],
    ['a single-channel guest', { isUltraRestricted: true }],
  ])('shows %s a 403 page and gives no session', async (_name, guest) => {
    h.slack.setUser({ id: 'U0GUEST', name: 'gus', ...guest });
    const response = await signIn('U0GUEST');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('not guests');
    expect(cookieFrom(response, 'deploybot_session')).toBeUndefined();
  });

  it('sends a reader with an expired session to Slack again', async () => {
    const expired = createSessionSigner(SECRETS.slackClientSecret).sign({
      userId: 'U0ALICE',
      teamId: h.slack.teamId,
      expiresAt: Date.now() - 1_000,
    });
    const response = await get(pagePath, `deploybot_session=${expired}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('/openid/connect/authorize');
    expect((await get(`${pagePath}/log.json`, `deploybot_session=${expired}`)).status).toBe(401);
  });

  it('sends a reader with a tampered or foreign session cookie to Slack again', async () => {
    const signed = cookieFrom(await signIn('U0ALICE'), 'deploybot_session')?.pair ?? '';
    const [data, mac] = signed.slice('deploybot_session='.length).split('.');
    const other = Buffer.from(
      JSON.stringify({ userId: 'U0MALLORY', teamId: h.slack.teamId, expiresAt: 9e15 }),
    );
    const tampered = [
      `deploybot_session=${other.toString('base64url')}.${mac}`,
      `deploybot_session=${data}.${mac?.slice(0, -2)}AA`,
      `deploybot_session=${createSessionSigner('some other secret').sign({ userId: 'U0ALICE', teamId: h.slack.teamId, expiresAt: 9e15 })}`,
    ];
    for (const cookie of tampered) {
      const response = await get(pagePath, cookie);
      expect(response.status, cookie).toBe(302);
    }
    expect((await get(pagePath, signed)).status).toBe(200);
  });
});
