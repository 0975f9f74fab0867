import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_LOOKS, stateEmoji } from '../../src/core/deployment-look.js';
import { DEPLOYMENT_STATES } from '../../src/core/deployment-state.js';

describe('deployment looks', () => {
  it('has a look for every GitHub state', () => {
    expect(Object.keys(DEPLOYMENT_LOOKS).sort()).toEqual([...DEPLOYMENT_STATES].sort());
  });

  it.each([
    ['queued', ':hourglass_flowing_sand:'],
    ['pending', ':large_blue_circle:'],
    ['in_progress', ':arrows_counterclockwise:'],
    ['success', ':white_check_mark:'],
    ['active', ':white_check_mark:'],
    ['failure', ':x:'],
    ['error', ':warning:'],
    ['inactive', ':white_circle:'],
    ['something-new', ':grey_question:'],
  ])('stateEmoji(%s) = %s', (state, emoji) => {
    expect(stateEmoji(state)).toBe(emoji);
  });
});
