import { readdir, readFile } from 'node:fs/promises';
import type { Scheduler } from '../core/scheduler.js';

/** The time the waits for a process group to go are measured in. */
export type ProcessTime = Pick<Scheduler, 'now' | 'sleep'>;

/**
 * Deploy processes run in their own process group (spawned `detached`), so the whole tree a
 * script starts can be signalled at once, grandchildren included.
 */

const POLL_MS = 50;
// After SIGKILL the kernel needs a moment; a group still there after this is reported, not awaited forever.
const AFTER_KILL_MS = 5_000;

/** Live (not zombie) members of a process group. On Linux read from /proc; elsewhere a best guess. */
export async function listGroupMembers(pgid: number): Promise<number[]> {
  if (process.platform !== 'linux') return signalGroup(pgid, 0) ? [pgid] : [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return signalGroup(pgid, 0) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

export async function isGroupAlive(pgid: number): Promise<boolean> {
  return (await listGroupMembers(pgid)).length > 0;
}

/**
 * SIGTERM to the whole group, then SIGKILL to whatever is left after `graceMs`. Resolves
 * once no member is alive (or, should the kernel not let go, a few seconds after SIGKILL).
 */
export async function killProcessGroup(pgid: number, graceMs: number, time: ProcessTime): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitForGroupExit(pgid, graceMs, time)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, AFTER_KILL_MS, time);
}

/**
 * Stops what a deploy left running when deploybot died under it. The group is killed only
 * if one of its members' environment passes `isOurs` (it names the deployment), so a
 * recycled process id never gets a stranger killed.
 */
export async function killOrphanedGroup(
  pgid: number,
  isOurs: (environ: readonly string[]) => boolean,
  time: ProcessTime,
): Promise<boolean> {
  const members = await listGroupMembers(pgid);
  let ours = false;
  for (const pid of members) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (isOurs(environ.split('\0'))) {
      ours = true;
      break;
    }
  }
  if (!ours) return false;
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, AFTER_KILL_MS, time);
  return true;
}

async function waitForGroupExit(pgid: number, timeoutMs: number, time: ProcessTime): Promise<boolean> {
  const deadline = time.now() + timeoutMs;
  for (;;) {
    if (!(await isGroupAlive(pgid))) return true;
    if (time.now() >= deadline) return false;
    await time.sleep(POLL_MS);
  }
}

/** Signals every process of the group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM: a member we may not signal still exists; ESRCH: the group is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
