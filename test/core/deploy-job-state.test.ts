import { describe, expect, it } from 'vitest';
import {
  applyJobEvent,
  canApplyJobEvent,
  type DeployJobEvent,
  type DeployJobState,
  isDeployJobState,
  isUnfinished,
  isWaiting,
} from '../../src/core/deploy-job-state.js';

describe('applyJobEvent', () => {
  const cases: Array<[DeployJobState, DeployJobEvent, DeployJobState | undefined]> = [
    ['queued', 'claim', 'running'],
    ['running', 'claim', undefined],
    ['finished', 'claim', undefined],
    ['queued', 'finish', 'finished'],
    ['running', 'finish', 'finished'],
    ['finished', 'finish', undefined],
    ['queued', 'requeue', undefined],
    ['running', 'requeue', 'queued'],
    ['finished', 'requeue', undefined],
  ];
  it.each(cases)('%s, %s -> %s', (state, event, next) => {
    expect(applyJobEvent(state, event)).toBe(next);
    expect(canApplyJobEvent(state, event)).toBe(next !== undefined);
  });
});

describe('what a state means', () => {
  it.each([
    ['queued', true, true],
    ['running', true, false],
    ['finished', false, false],
  ] as const)('%s: unfinished %s, waiting %s', (state, unfinished, waiting) => {
    expect(isUnfinished(state)).toBe(unfinished);
    expect(isWaiting(state)).toBe(waiting);
  });
});

describe('isDeployJobState', () => {
  it.each([
    ['queued', true],
    ['running', true],
    ['finished', true],
    ['cancelled', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (value, expected) => {
    expect(isDeployJobState(value)).toBe(expected);
  });
});
