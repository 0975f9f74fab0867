import { chmod, readFile, writeFile } from 'node:fs/promises';

export type EnvAssignments = Readonly<Record<string, string>>;

/**
 * `NAME="value"` in the dialect of dotenv and `node --env-file`: double quotes, with newlines
 * written as \n (deploybot's settings read a \n-escaped private key too).
 */
export function formatEnvLine(name: string, value: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `${name}="${escaped}"`;
}

/** `existing` with each name set: a line that sets it is replaced, a name it lacks is appended. */
export function mergeEnvText(existing: string, values: EnvAssignments): string {
  const lines = existing === '' ? [] : existing.replace(/\n$/, '').split('\n');
  const pending = new Map(Object.entries(values));
  const merged = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    const value = name === undefined ? undefined : pending.get(name);
    if (name === undefined || value === undefined) return line;
    pending.delete(name);
    return formatEnvLine(name, value);
  });
  for (const [name, value] of pending) merged.push(formatEnvLine(name, value));
  return `${merged.join('\n')}\n`;
}

/** Sets `values` in the env file at `path` (created if missing), readable by its owner only. */
export async function writeEnvFile(path: string, values: EnvAssignments): Promise<void> {
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  await writeFile(path, mergeEnvText(existing, values), { mode: 0o600 });
  // writeFile's mode applies only to a file it creates; the file now holds a private key.
  await chmod(path, 0o600);
}
