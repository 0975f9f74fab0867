import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatRunnerId } from '../../src/core/runner-id.js';
import { createRunnerLiveness } from '../../src/deployer/runner-liveness.js';

describe('runner liveness by host name and process table', () => {
  const liveness = createRunnerLiveness('deploy-1');

  it('tells a runner on this host whose pid is gone from one still there', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.on('exit', resolve));
    expect(liveness.isOnThisHost(formatRunnerId('deploy-1', pid, 'x'))).toBe(true);
    expect(liveness.isGone(formatRunnerId('deploy-1', pid, 'x'))).toBe(true);
    expect(liveness.isGone(formatRunnerId('deploy-1', process.pid, 'x'))).toBe(false);
  });

  it('says nothing of a runner on another host, or of one it cannot read', () => {
    const elsewhere = formatRunnerId('deploy-2', 999_999, 'x');
    expect(liveness.isOnThisHost(elsewhere)).toBe(false);
    expect(liveness.isGone(elsewhere)).toBe(false);
    expect(liveness.isOnThisHost('0b5c9a4e-1d2f-4f6a-9b1e-3c5d7e9f1a2b')).toBe(false);
    expect(liveness.isGone('0b5c9a4e-1d2f-4f6a-9b1e-3c5d7e9f1a2b')).toBe(false);
  });
});
