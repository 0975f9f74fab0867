import { describe, expect, it } from 'vitest';
import {
  type AnnouncementAction,
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
