import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { askerFor } from '../../src/deploys/asker-for.js';
import { createMemoryChat } from '../support/memory/memory-chat.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      production:
        deployers: [U0ALICE, S0DEVS, S0BOTH]
        admins: [S0OPS, S0BOTH]
      staging: {}
`,
  'test.yml',
);
const [production, staging] = config.repos[0]!.environments;

describe('askerFor', () => {
  it("finds which of the environment's deployer and admin groups the user is in, asking once per group", async () => {
    const chat = createMemoryChat();
    chat.setUserGroup('S0DEVS', ['U0CAROL']);
    chat.setUserGroup('S0OPS', ['U0CAROL', 'U0DAN']);
    chat.setUserGroup('S0OTHER', ['U0CAROL']);
    const asked: string[] = [];
    const counting = {
      ...chat,
      userGroupMembers: (group: string) => {
        asked.push(group);
        return chat.userGroupMembers(group);
      },
    };

    expect(await askerFor(counting, production!, 'U0CAROL')).toEqual({
      environment: production,
      userId: 'U0CAROL',
      userGroups: ['S0DEVS', 'S0OPS'],
      standing: 'member',
    });
    expect(asked).toEqual(['S0DEVS', 'S0BOTH', 'S0OPS']);
  });

  it('asks nothing of chat for an environment without groups', async () => {
    const chat = createMemoryChat();
    const counting = {
      ...chat,
      userGroupMembers: () => Promise.reject(new Error('no group to look up')),
    };
    expect(await askerFor(counting, staging!, 'U0ALICE')).toEqual({
      environment: staging,
      userId: 'U0ALICE',
      userGroups: [],
      standing: 'member',
    });
  });

  it.each([
    ['a guest', { isGuest: true }, 'guest'],
    ['a user of another workspace', { teamId: 'T0OTHER' }, 'outsider'],
    ['a user Slack does not place in a workspace', { teamId: undefined }, 'outsider'],
  ] as const)('gives %s no groups: only their user ID can admit them', async (_name, user, standing) => {
    const chat = createMemoryChat();
    chat.setUserGroup('S0DEVS', ['U0CAROL']);
    chat.setUser('U0CAROL', user);
    expect(await askerFor(chat, production!, 'U0CAROL')).toEqual({
      environment: production,
      userId: 'U0CAROL',
      userGroups: [],
      standing,
    });
  });
});
