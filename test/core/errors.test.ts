import { describe, expect, it } from 'vitest';
import { DeploybotError, isDeploybotError, presentError } from '../../src/core/errors.js';

describe('DeploybotError', () => {
  it('is recognised from any copy of its module, as the bundle and the modules it loads beside it have', async () => {
    // A second copy of the module, as dist/main.js (bundled) and dist/playground/ (not) each hold.
    // @ts-expect-error vite's `?copy` query loads a second copy; TypeScript knows no such file.
    const copied: unknown = await import('../../src/core/errors.js?copy');
    const copy = copied as typeof import('../../src/core/errors.js');
    expect(copy.DeploybotError).not.toBe(DeploybotError);
    const fromCopy = new copy.DeploybotError('config_invalid', 'bad config');
    expect(fromCopy instanceof DeploybotError).toBe(true);
    expect(isDeploybotError(fromCopy)).toBe(true);
    expect(presentError(fromCopy).httpStatus).toBe(
      presentError(new DeploybotError('config_invalid', 'x')).httpStatus,
    );
  });

  it('is not any other error, nor a lookalike', () => {
    const cases: unknown[] = [
      new Error('plain'),
      { code: 'internal', retryable: false, message: 'lookalike' },
      'config_invalid',
      null,
      undefined,
    ];
    for (const value of cases) expect(value instanceof DeploybotError).toBe(false);
  });
});
