import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listGroupMembers } from '../../src/deployer/process-tree.js';
import { type RunProcessOptions, runProcess } from '../../src/deployer/run-process.js';
import { createSystemScheduler } from '../../src/system-scheduler.js';
import { isProcessAlive, waitForFile } from '../support/deployer/files.js';

const time = createSystemScheduler();

describe('runProcess', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-process-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = (script: string, overrides: Partial<RunProcessOptions> = {}) => {
    const output: string[] = [];
    const pids: number[] = [];
    const result = runProcess({
      command: '/bin/sh',
      args: ['-c', script],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY: 'this' },
      onOutput: (source, chunk) => output.push(`${source}:${chunk.toString('utf8')}`),
      signal: new AbortController().signal,
      graceMs: 5_000,
      time,
      onSpawn: (pid) => pids.push(pid),
      ...overrides,
    });
    return { result, output, pids };
  };

  it('runs argv without a shell interpreting it, with exactly the given environment', async () => {
    const output: string[] = [];
    const result = await runProcess({
      command: process.execPath,
      args: ['-e', 'console.log(JSON.stringify([process.argv[1], process.env]))', '$(touch pwned); echo hi'],
      cwd: dir,
      env: { ONLY: 'this' },
      onOutput: (_source, chunk) => output.push(chunk.toString('utf8')),
      signal: new AbortController().signal,
      graceMs: 1_000,
      time,
      onSpawn: () => undefined,
    });
    expect(result).toEqual({ kind: 'exited', code: 0, leftovers: false });
    expect(JSON.parse(output.join(''))).toEqual(['$(touch pwned); echo hi', { ONLY: 'this' }]);
  });

  it('reports the exit code and what the process printed on both streams', async () => {
    const { result, output } = run('echo out; echo err >&2; exit 7');
    expect(await result).toEqual({ kind: 'exited', code: 7, leftovers: false });
    expect(output.sort()).toEqual(['stderr:err\n', 'stdout:out\n']);
  });

  it('stops what the process left running in the background once it exits', async () => {
    const { result } = run(`sleep 300 & echo $! > ${join(dir, 'bg')}; exit 0`);
    expect(await result).toEqual({ kind: 'exited', code: 0, leftovers: true });
    const background = Number(await readFile(join(dir, 'bg'), 'utf8'));
    expect(isProcessAlive(background)).toBe(false);
  });

  it('kills the whole group when aborted, with SIGKILL for what ignores SIGTERM', async () => {
    const controller = new AbortController();
    const { result, pids } = run(
      `trap '' TERM; sleep 300 & echo $! > ${join(dir, 'child')}; while true; do sleep 0.05; done`,
      { signal: controller.signal, graceMs: 200 },
    );
    await waitForFile(join(dir, 'child'));
    const child = Number(await readFile(join(dir, 'child'), 'utf8'));
    controller.abort();
    expect(await result).toEqual({ kind: 'aborted' });
    expect(isProcessAlive(pids[0] as number)).toBe(false);
    expect(isProcessAlive(child)).toBe(false);
    expect(await listGroupMembers(pids[0] as number)).toEqual([]);
  });

  it('reports a process killed by a signal it did not get from deploybot', async () => {
    const { result } = run('kill -SEGV $$');
    expect(await result).toEqual({ kind: 'signalled', signal: 'SIGSEGV', leftovers: false });
  });

  it('reports a command that does not exist instead of throwing', async () => {
    const { result, pids } = run('', { command: join(dir, 'missing') });
    expect(await result).toEqual({ kind: 'spawn_failed', code: 'ENOENT' });
    expect(pids).toEqual([]);
  });
});
