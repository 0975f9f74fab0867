import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonColumn, UNCHANGED } from '../../src/store/json-column.js';
import { chatDeployPlanColumn, lockWaitRequestColumn } from '../../src/store/records.js';
import { aChatDeployPlan, aLockWaitRequest } from '../support/records.js';

// Version 2 renamed `who` to `user`: the upgrade from 1 says how.
const column = jsonColumn({
  name: 'things.thing',
  version: 2,
  schema: z.object({ user: z.string(), count: z.number() }),
  upgrades: {
    0: UNCHANGED,
    1: (data) => {
      const { who, ...rest } = data as { who: string };
      return { ...rest, user: who };
    },
  },
});

describe('a versioned JSON column', () => {
  it('writes the version with the data and reads it back', () => {
    const text = column.encode({ user: 'alice', count: 2 });
    expect(JSON.parse(text)).toEqual({ v: 2, data: { user: 'alice', count: 2 } });
    expect(column.decode(text)).toEqual({ user: 'alice', count: 2 });
  });

  it('upgrades what an older release wrote, and a row from before versions', () => {
    expect(column.decode('{"v":1,"data":{"who":"bob","count":3}}')).toEqual({ user: 'bob', count: 3 });
    expect(column.decode('{"who":"carol","count":4}')).toEqual({ user: 'carol', count: 4 });
  });

  it.each([
    [
      'a newer release’s row',
      '{"v":3,"data":{"user":"x","count":1}}',
      /written by a newer deploybot \(version 3/,
    ],
    ['a row of the wrong shape', '{"v":2,"data":{"user":7}}', /does not match version 2/],
    ['text that is not JSON', '{"v":2', /is not JSON/],
  ])('refuses %s with a store error naming the column', (_what, text, message) => {
    expect(() => column.decode(text)).toThrow(message);
    try {
      column.decode(text);
    } catch (error) {
      expect(error).toMatchObject({ code: 'store_record_invalid', details: { column: 'things.thing' } });
    }
  });

  it('refuses to write a value the schema does not take', () => {
    expect(() => column.encode({ user: 'x' } as never)).toThrow();
  });
});

describe('the store’s records', () => {
  it('read rows of an older release unchanged, and write today’s envelope', () => {
    const plan = aChatDeployPlan({ threadTs: '1.2' });
    expect(chatDeployPlanColumn.decode(JSON.stringify(plan))).toEqual(plan);
    expect(JSON.parse(chatDeployPlanColumn.encode(plan))).toEqual({ v: 1, data: plan });
    const wait = aLockWaitRequest();
    expect(lockWaitRequestColumn.decode(lockWaitRequestColumn.encode(wait))).toEqual(wait);
  });

  it('refuses a deploy plan that lacks what a button would ship', () => {
    const { sha: _sha, ...withoutSha } = aChatDeployPlan();
    expect(() => chatDeployPlanColumn.decode(JSON.stringify(withoutSha))).toThrow(/does not match/);
  });
});
