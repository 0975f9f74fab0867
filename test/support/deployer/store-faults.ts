import type { Store } from '../../../src/store/store.js';

type AsyncMethod = (...args: never[]) => Promise<unknown>;
type MethodName = { [K in keyof Store]: Store[K] extends AsyncMethod ? K : never }[keyof Store];

/** `store` with `method` failing its next `times` calls, as a store outage looks to deploybot. */
export function failNextCalls(store: Store, method: MethodName, times: number): Store {
  let left = times;
  const original = store[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const failing = async (...args: unknown[]) => {
    if (left > 0) {
      left -= 1;
      throw new Error(`the store is down (${method})`);
    }
    return original(...args);
  };
  return { ...store, [method]: failing };
}

export interface HeldCall {
  /** Resolves once the call was made and is being held. */
  readonly reached: Promise<void>;
  /** Lets it go on to the real store, or fail with `error`. */
  release(error?: Error): void;
}

/** `store` with the next call of `method` held until released, to act while it is in flight. */
export function holdNextCall(store: Store, method: MethodName): { store: Store; held: HeldCall } {
  let reach!: () => void;
  let release!: (error?: Error) => void;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<Error | undefined>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const original = store[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const held = async (...args: unknown[]) => {
    if (holding) {
      holding = false;
      reach();
      const error = await released;
      if (error) throw error;
    }
    return original(...args);
  };
  return { store: { ...store, [method]: held }, held: { reached, release } };
}
