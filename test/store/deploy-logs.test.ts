import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import type { TestDatabase } from '../support/databases.js';
import { DEPLOYER_DATABASES } from '../support/deployer/databases.js';

describe.each(DEPLOYER_DATABASES)('deploy logs on %s', (_name, createDatabase) => {
  let database: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    database = await createDatabase();
    store = createStore(await openDatabase(database.setting));
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('keeps chunks in order, per deployment, readable from any point', async () => {
    expect(await store.lastDeployLogSeq(1001)).toBe(0);
    await store.appendDeployLog(1001, 1, 'first\n', 10);
    await store.appendDeployLog(1001, 2, 'ünïcødé ✓ and <html>\n', 11);
    await store.appendDeployLog(1002, 1, 'other deployment\n', 12);
    await store.appendDeployLog(1001, 3, 'third', 13);
    expect(await store.lastDeployLogSeq(1001)).toBe(3);
    expect(await store.readDeployLog(1001, 0, 10)).toEqual([
      { seq: 1, text: 'first\n' },
      { seq: 2, text: 'ünïcødé ✓ and <html>\n' },
      { seq: 3, text: 'third' },
    ]);
    expect(await store.readDeployLog(1001, 1, 1)).toEqual([{ seq: 2, text: 'ünïcødé ✓ and <html>\n' }]);
    expect(await store.readDeployLog(1001, 3, 10)).toEqual([]);
  });

  it('refuses a chunk stored twice under one number', async () => {
    await store.appendDeployLog(1001, 1, 'a', 10);
    await expect(store.appendDeployLog(1001, 1, 'b', 11)).rejects.toThrow();
  });
});
