import { describe, expect, it } from 'vitest';
import {
  createConfigError,
  formatConfigProblems,
  type Problem,
  problemsOf,
} from '../../src/config/format-problems.js';
import { DeploybotError } from '../../src/core/errors.js';

describe('formatConfigProblems', () => {
  it.each<[Problem, string]>([
    [
      { where: 'PORT', message: 'is "x", not a number', fix: 'Set it to a port' },
      '- PORT: is "x", not a number. Set it to a port.',
    ],
    [{ where: 'PORT', message: 'is wrong.' }, '- PORT: is wrong.'],
    [
      { where: 'slack.channel', source: 'deploybot.yml', line: 2, message: 'is required' },
      '- deploybot.yml:2 slack.channel: is required.',
    ],
    [
      { where: '', source: 'deploybot.yml', line: 3, column: 7, message: 'YAML syntax error: bad' },
      '- deploybot.yml:3:7: YAML syntax error: bad.',
    ],
    [
      { where: '', source: '/etc/deploybot.yml', message: 'does not exist', fix: 'Create it?' },
      '- /etc/deploybot.yml: does not exist. Create it?',
    ],
  ])('formats %o', (problem, line) => {
    expect(formatConfigProblems([problem])).toBe(
      `deploybot cannot start: 1 problem with its settings and config:\n${line}`,
    );
  });

  it('counts problems in the header and lists one per line', () => {
    const text = formatConfigProblems([
      { where: 'A', message: 'a' },
      { where: 'B', message: 'b' },
    ]);
    expect(text).toBe('deploybot cannot start: 2 problems with its settings and config:\n- A: a.\n- B: b.');
  });
});

describe('createConfigError and problemsOf', () => {
  it('carries the problems in details and reads them back', () => {
    const problems: Problem[] = [{ where: 'A', message: 'a' }];
    const error = createConfigError(problems);
    expect(error).toBeInstanceOf(DeploybotError);
    expect(error.code).toBe('config_invalid');
    expect(error.details.problems).toEqual(problems);
    expect(problemsOf(error)).toEqual(problems);
    expect(problemsOf(new DeploybotError('internal', 'x'))).toEqual([]);
    expect(problemsOf(new Error('x'))).toEqual([]);
  });
});
