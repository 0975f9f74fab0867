import { describe, expect, it } from 'vitest';
import { truncate } from '../../src/core/text.js';

/** No lone surrogate: what a UTF-8 round trip keeps unchanged. */
const isWellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('truncate', () => {
  // Descriptions go to GitHub and Slack as JSON: half a surrogate pair is not valid text.
  it.each([
    ['short enough', 'abc', 5, 'abc'],
    ['exactly the limit', 'abcde', 5, 'abcde'],
    ['over the limit', 'abcdef', 5, 'abcd…'],
    ['astral characters within the limit', '🚀🚀🚀', 3, '🚀🚀🚀'],
    ['a cut that would split a surrogate pair', 'ab🚀cd', 3, 'ab…'],
    ['a cut after an astral character', '🚀🚀🚀🚀', 3, '🚀🚀…'],
    ['a cut in text of astral characters only', '😀'.repeat(200), 140, `${'😀'.repeat(139)}…`],
  ])('%s', (_what, text, limit, expected) => {
    const cut = truncate(text, limit);
    expect(cut).toBe(expected);
    expect(Array.from(cut).length).toBeLessThanOrEqual(limit);
    expect(isWellFormed(cut)).toBe(true);
  });

  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['longer than ten', 10, 'longer th…'],
  ])('%s / %d', (text, limit, expected) => {
    expect(truncate(text, limit)).toBe(expected);
  });
});
