import { describe, expect, it } from 'vitest';
import { describeRunner, formatRunnerId, parseRunnerId } from '../../src/core/runner-id.js';

describe('runner ids', () => {
  it('names host and pid, and reads them back', () => {
    const id = formatRunnerId('deploy-1', 4242, '0b5c9a4e-1d2f-4f6a-9b1e-3c5d7e9f1a2b');
    expect(id).toBe('deploy-1:4242:0b5c9a4e-1d2f-4f6a-9b1e-3c5d7e9f1a2b');
    expect(parseRunnerId(id)).toEqual({ host: 'deploy-1', pid: 4242 });
    expect(describeRunner(id)).toBe('host deploy-1, pid 4242');
  });

  it.each([
    ['a uuid, as runners were named before', '0b5c9a4e-1d2f-4f6a-9b1e-3c5d7e9f1a2b'],
    ['no pid', 'deploy-1::x'],
    ['pid 0', 'deploy-1:0:x'],
    ['a pid that is not a number', 'deploy-1:12a:x'],
    ['nothing', ''],
  ])('names no process for %s', (_what, id) => {
    expect(parseRunnerId(id)).toBeUndefined();
    expect(describeRunner(id)).toBe(id);
  });
});
