import { describe, expect, it } from 'vitest';
import type { SignInClaims } from '../../src/core/ports/slack-sign-in.js';
import { createAdmitLogReader } from '../../src/deploys/admit-log-reader.js';
import { createManualClock } from '../support/manual-clock.js';
import { createMemoryChat, MEMORY_WORKSPACE } from '../support/memory/memory-chat.js';

const NOW = 1_700_000_000_000;
const ANSWER = { code: 'c-1', redirectUri: 'https://deploy.example.com/auth/slack/callback', nonce: 'n-1' };

function rig(claims: Partial<Record<string, unknown>> | undefined) {
  const chat = createMemoryChat();
  const exchanged: Array<[string, string]> = [];
  const admit = createAdmitLogReader({
    signIn: {
      async exchangeCode(code, redirectUri) {
        exchanged.push([code, redirectUri]);
        if (claims === undefined) return undefined;
        return {
          iss: 'https://slack.com',
          aud: '1111.2222',
          exp: NOW / 1000 + 300,
          nonce: 'n-1',
          'https://slack.com/user_id': 'U0ALICE',
          'https://slack.com/team_id': MEMORY_WORKSPACE,
          ...claims,
        } satisfies SignInClaims;
      },
    },
    chat,
    clock: createManualClock(NOW),
    issuer: 'https://slack.com',
    clientId: '1111.2222',
  });
  return { chat, admit, exchanged };
}

describe('admitLogReader', () => {
  it('admits a full member of the workspace, exchanging the code with the redirect URI', async () => {
    const { admit, exchanged } = rig({});
    await expect(admit(ANSWER)).resolves.toEqual({
      admitted: true,
      userId: 'U0ALICE',
      teamId: MEMORY_WORKSPACE,
    });
    expect(exchanged).toEqual([[ANSWER.code, ANSWER.redirectUri]]);
  });

  it.each([
    ['a code Slack refuses', undefined],
    ['a token for another app', { aud: '9999.0000' }],
    ['a token of another issuer', { iss: 'https://evil.example' }],
    ['an expired token', { exp: NOW / 1000 - 1 }],
    ['another nonce', { nonce: 'n-2' }],
  ])('refuses %s as invalid', async (_name, claims) => {
    await expect(rig(claims).admit(ANSWER)).resolves.toEqual({ admitted: false, reason: 'invalid' });
  });

  it('refuses a token of another workspace as an outsider', async () => {
    const { admit } = rig({ 'https://slack.com/team_id': 'T0OTHER' });
    await expect(admit(ANSWER)).resolves.toEqual({ admitted: false, reason: 'outsider' });
  });

  it('refuses whom users.info places in another workspace, even with our team in the token', async () => {
    const { admit, chat } = rig({});
    chat.setUser('U0ALICE', { teamId: 'T0OTHER' });
    await expect(admit(ANSWER)).resolves.toEqual({ admitted: false, reason: 'outsider' });
  });

  it('refuses a guest', async () => {
    const { admit, chat } = rig({});
    chat.setUser('U0ALICE', { isGuest: true });
    await expect(admit(ANSWER)).resolves.toEqual({ admitted: false, reason: 'guest' });
  });
});
