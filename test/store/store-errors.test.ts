import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import { mapStoreError, withStoreErrors } from '../../src/store/store-errors.js';

const driverError = (fields: Record<string, unknown>) => Object.assign(new Error('driver says no'), fields);

describe('mapStoreError', () => {
  it.each<[string, unknown, 'store_unavailable' | 'internal']>([
    ['SQLite busy', driverError({ code: 'SQLITE_BUSY' }), 'store_unavailable'],
    ['SQLite I/O error', driverError({ code: 'SQLITE_IOERR_SHORT_READ' }), 'store_unavailable'],
    ['SQLite constraint', driverError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), 'internal'],
    [
      'PostgreSQL admin shutdown (pg_terminate_backend)',
      driverError({ code: '57P01', severity: 'FATAL' }),
      'store_unavailable',
    ],
    [
      'PostgreSQL serialization failure',
      driverError({ code: '40001', severity: 'ERROR' }),
      'store_unavailable',
    ],
    ['PostgreSQL deadlock', driverError({ code: '40P01', severity: 'ERROR' }), 'store_unavailable'],
    ['SQLite busy snapshot', driverError({ code: 'SQLITE_BUSY_SNAPSHOT' }), 'store_unavailable'],
    ['a connection reset', driverError({ code: 'ECONNRESET' }), 'store_unavailable'],
    ['PostgreSQL connection failure', driverError({ code: '08006', severity: 'FATAL' }), 'store_unavailable'],
    ['PostgreSQL unique violation', driverError({ code: '23505', severity: 'ERROR' }), 'internal'],
    ['PostgreSQL syntax error', driverError({ code: '42601', severity: 'ERROR' }), 'internal'],
    ['a refused connection', driverError({ code: 'ECONNREFUSED' }), 'store_unavailable'],
    [
      'pg’s dropped connection (no code, no severity)',
      new Error('Connection terminated unexpectedly'),
      'store_unavailable',
    ],
  ])('%s', (_what, error, code) => {
    const mapped = mapStoreError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(code === 'store_unavailable');
    expect(mapped.cause).toBe(error);
  });

  it('leaves a DeploybotError as it is', () => {
    const error = new DeploybotError('store_record_invalid', 'bad row');
    expect(mapStoreError(error)).toBe(error);
  });
});

describe('withStoreErrors', () => {
  it('maps what a store method throws and passes results through', async () => {
    const store = withStoreErrors({
      ok: async (n: number) => n + 1,
      busy: async () => {
        throw driverError({ code: 'SQLITE_BUSY' });
      },
    });
    await expect(store.ok(1)).resolves.toBe(2);
    await expect(store.busy()).rejects.toMatchObject({ code: 'store_unavailable', retryable: true });
  });
});
