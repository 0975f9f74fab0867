import { describe, expect, it } from 'vitest';
import { STORES, useTestStore } from '../support/databases.js';

describe.each(STORES)('deploy logs on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('keeps chunks in order, per deployment, readable from any point', async () => {
    expect(await storeOf().lastDeployLogSeq(1001)).toBe(0);
    await storeOf().appendDeployLog(1001, 1, 'first\n', 10);
    await storeOf().appendDeployLog(1001, 2, 'ünïcødé ✓ and <html>\n', 11);
    await storeOf().appendDeployLog(1002, 1, 'other deployment\n', 12);
    await storeOf().appendDeployLog(1001, 3, 'third', 13);
    expect(await storeOf().lastDeployLogSeq(1001)).toBe(3);
    expect(await storeOf().readDeployLog(1001, 0, 10)).toEqual([
      { seq: 1, text: 'first\n' },
      { seq: 2, text: 'ünïcødé ✓ and <html>\n' },
      { seq: 3, text: 'third' },
    ]);
    expect(await storeOf().readDeployLog(1001, 1, 1)).toEqual([{ seq: 2, text: 'ünïcødé ✓ and <html>\n' }]);
    expect(await storeOf().readDeployLog(1001, 3, 10)).toEqual([]);
  });

  it('says when the newest chunk of a deployment was stored', async () => {
    expect(await storeOf().lastDeployLogAt(1001)).toBeUndefined();
    await storeOf().appendDeployLog(1001, 1, 'first\n', 1_700_000_000_000);
    await storeOf().appendDeployLog(1001, 2, 'second\n', 1_700_000_060_000);
    await storeOf().appendDeployLog(1002, 1, 'other\n', 1_700_000_120_000);
    expect(await storeOf().lastDeployLogAt(1001)).toBe(1_700_000_060_000);
  });

  it('refuses a chunk stored twice under one number', async () => {
    await storeOf().appendDeployLog(1001, 1, 'a', 10);
    await expect(storeOf().appendDeployLog(1001, 1, 'b', 11)).rejects.toThrow();
  });
});
