import { describe, expect, it } from 'vitest';
import { createChatRig } from '../support/chat-rig.js';

describe('admitChatUser', () => {
  it('admits full members of the workspace', async () => {
    const rig = createChatRig();
    expect(await rig.admitChatUser('U0ANYONE')).toEqual({ allowed: true });
  });

  it.each([
    ['a guest', { isGuest: true }, 'guest'],
    ['a Slack Connect user', { teamId: 'T0OTHER' }, 'outsider'],
  ] as const)('refuses %s no environment lists by ID', async (_name, user, standing) => {
    const rig = createChatRig();
    rig.chat.setUser('U0X', user);
    expect(await rig.admitChatUser('U0X')).toEqual({
      allowed: false,
      rule: 'not_a_member',
      standing,
      whoMay: [],
    });
  });

  it('admits a guest or a Slack Connect user that deployers or admins list by ID', async () => {
    const rig = createChatRig();
    rig.chat.setUser('U0BOB', { isGuest: true });
    rig.chat.setUser('U0ADMIN', { teamId: 'T0OTHER' });
    expect(await rig.admitChatUser('U0BOB')).toEqual({ allowed: true });
    expect(await rig.admitChatUser('U0ADMIN')).toEqual({ allowed: true });
  });
});
