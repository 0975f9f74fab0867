import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/** Gives memory the C library holds, freed, back to the operating system. */
export type TrimMemory = () => void;

export interface TrimMemoryOptions {
  /** The shared library whose function does it, and that function. */
  readonly library: string;
  readonly symbol: string;
}

interface ExtensionLoader {
  loadExtension(path: string, entryPoint: string): unknown;
}

/** glibc's malloc_trim(3). */
export const GLIBC_MALLOC_TRIM: TrimMemoryOptions = { library: 'libc.so.6', symbol: 'malloc_trim' };

/**
 * glibc keeps what the process's threads free in their arenas, and a few live bytes at the end of
 * an arena keep all the free ones below them resident: deploybot came up at ~100 MB or ~112 MB of
 * RSS from one start to the next of the same build, the difference freed pages of one arena.
 * malloc_trim(3) gives every whole free page back (README, Performance).
 *
 * Node has no binding for it and deploybot builds no native code of its own, so it is called the
 * way SQLite calls an extension's entry point: better-sqlite3's `loadExtension` opens the library
 * and calls the named function with the connection as its first argument. malloc_trim takes that
 * as the padding to keep at the top of the main heap, so that top stays; the free pages inside
 * every arena go back regardless. Its answer, 1 when it released memory, comes back as SQLite's
 * "error during initialization"; without glibc (musl, macOS) the library does not open. Either
 * way nothing is left to do, so nothing is reported.
 */
export function createTrimMemory(options: TrimMemoryOptions): TrimMemory {
  return () => {
    // better-sqlite3 is loaded on the first trim, not at start: the store may not need it here.
    const SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    // A connection of its own, closed at once: each call that succeeds keeps the library open on
    // the connection until it closes.
    const db = new SQLite(':memory:');
    try {
      // better-sqlite3 takes the entry point as a second argument; its types know only the first.
      (db as unknown as ExtensionLoader).loadExtension(options.library, options.symbol);
    } catch {
      // Memory released, or no such library: see above.
    } finally {
      db.close();
    }
  };
}
