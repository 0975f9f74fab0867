import { describe, expect, it } from 'vitest';
import {
  canTransition,
  type DeploymentState,
  isDeploymentState,
  isFinalState,
} from '../../src/core/deployment-state.js';

describe('canTransition', () => {
  const cases: Array<[DeploymentState | undefined, DeploymentState, boolean]> = [
    [undefined, 'pending', true],
    [undefined, 'success', true],
    ['queued', 'pending', true],
    ['queued', 'error', true],
    ['pending', 'in_progress', true],
    ['pending', 'success', true],
    ['pending', 'queued', false],
    ['in_progress', 'pending', false],
    ['in_progress', 'failure', true],
    ['success', 'inactive', true],
    ['success', 'pending', false],
    ['success', 'failure', false],
    ['failure', 'success', false],
    ['error', 'pending', false],
    ['inactive', 'success', false],
  ];
  it.each(cases)('%s -> %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('isFinalState', () => {
  it.each([
    ['queued', false],
    ['pending', false],
    ['in_progress', false],
    ['success', true],
    ['failure', true],
    ['error', true],
    ['inactive', true],
  ] as const)('%s final: %s', (state, final) => {
    expect(isFinalState(state)).toBe(final);
  });
});

describe('isDeploymentState', () => {
  it.each([
    ['success', true],
    ['in_progress', true],
    ['destroyed', false],
    ['', false],
    [42, false],
    [undefined, false],
  ])('%s -> %s', (value, expected) => {
    expect(isDeploymentState(value)).toBe(expected);
  });
});
