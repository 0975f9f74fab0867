import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import {
  type AnnouncementAction,
  chooseAnnouncementChannels,
  type DeploymentOrigin,
  decideAnnouncementAction,
  type ShownStatus,
} from '../../src/core/announcement-policy.js';
import type { DeploymentState } from '../../src/core/deployment-state.js';

describe('decideAnnouncementAction', () => {
  const cases: Array<
    [string, ShownStatus | undefined, { id: number; state: DeploymentState }, AnnouncementAction]
  > = [
    ['first status posts', undefined, { id: 10, state: 'pending' }, 'post'],
    ['first status may be final', undefined, { id: 10, state: 'success' }, 'post'],
    ['newer status updates', { statusId: 10, state: 'pending' }, { id: 11, state: 'success' }, 'update'],
    [
      'older status keeps the message',
      { statusId: 11, state: 'success' },
      { id: 10, state: 'pending' },
      'keep',
    ],
    [
      'same status keeps the message',
      { statusId: 11, state: 'success' },
      { id: 11, state: 'success' },
      'keep',
    ],
    ['final state is not left', { statusId: 11, state: 'failure' }, { id: 12, state: 'pending' }, 'keep'],
    [
      'success may retire to inactive',
      { statusId: 11, state: 'success' },
      { id: 12, state: 'inactive' },
      'update',
    ],
    [
      'queued moves to in_progress',
      { statusId: 1, state: 'queued' },
      { id: 2, state: 'in_progress' },
      'update',
    ],
  ];
  it.each(cases)('%s', (_name, shown, incoming, expected) => {
    expect(decideAnnouncementAction(shown, incoming)).toBe(expected);
  });
});

describe('chooseAnnouncementChannels', () => {
  const config = parseConfig(
    `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    channel: C0WEB
    environments: { staging: {} }
  octo-org/api:
    environments: { staging: {} }
`,
    'test.yml',
  );
  const cases: Array<[string, string, string | undefined, string[], DeploymentOrigin?]> = [
    [
      'the payload first, then the repository, then the default',
      'octo-org/web',
      'C0API',
      ['C0API', 'C0WEB', 'C0DEPLOYS'],
    ],
    ['the repository in any case', 'Octo-Org/Web', undefined, ['C0WEB', 'C0DEPLOYS']],
    ['a repository without a channel', 'octo-org/api', 'C0API', ['C0API', 'C0DEPLOYS']],
    ['a repository missing from deploybot.yml', 'octo-org/other', undefined, ['C0DEPLOYS']],
    ['each channel once', 'octo-org/web', 'C0WEB', ['C0WEB', 'C0DEPLOYS']],
    // Deployments deploybot did not create: their payload names only channels deploybot.yml names.
    ['an unnamed channel from another creator', 'octo-org/web', 'C0API', ['C0WEB', 'C0DEPLOYS'], 'other'],
    ['a DM from another creator', 'octo-org/api', 'D0MALLORY', ['C0DEPLOYS'], 'other'],
    ["another repository's channel", 'octo-org/api', 'C0WEB', ['C0WEB', 'C0DEPLOYS'], 'other'],
    ['the default channel', 'octo-org/web', 'C0DEPLOYS', ['C0DEPLOYS', 'C0WEB'], 'other'],
    ['a named channel in lower case', 'octo-org/api', 'c0web', ['c0web', 'C0DEPLOYS'], 'other'],
  ];
  it.each(cases)('%s', (_name, repository, notifyChannel, expected, origin = 'deploybot') => {
    expect(chooseAnnouncementChannels(config, repository, notifyChannel, origin)).toEqual(expected);
  });
});
