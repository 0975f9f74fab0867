import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createProcessMemory } from '../src/process-memory.js';

describe("the process's memory", () => {
  it('collects garbage: what nothing holds any more is gone', async () => {
    const memory = createProcessMemory();
    const held = { rows: Array.from({ length: 1_000 }, (_, i) => `row ${i}`) };
    const dropped = new WeakRef({ rows: Array.from({ length: 1_000 }, (_, i) => `row ${i}`) });
    const kept = new WeakRef(held);
    // A WeakRef's target lives until the end of the job that made it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    memory.collectGarbage();
    expect(dropped.deref()).toBeUndefined();
    expect(kept.deref()).toBe(held);
  });

  it("measures the event loop's busy share since the previous look", async () => {
    const memory = createProcessMemory();
    memory.busyness();
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // Busy, as a burst keeps it.
    }
    expect(memory.busyness()).toBeGreaterThan(0.8);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(memory.busyness()).toBeLessThan(0.3);
  });

  it('trims, as often as asked', () => {
    const memory = createProcessMemory();
    for (let i = 0; i < 3; i++) expect(memory.trim()).toBeUndefined();
  });
});
