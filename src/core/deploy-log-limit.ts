/** Keeps a deploy log under its size limit, cutting at a character boundary. */
export interface LogLimiter {
  /** The part of `text` that still fits; `cut` is true once, on the call that reached the limit. */
  take(text: string): { readonly text: string; readonly cut: boolean };
}

export function createLogLimiter(limitBytes: number): LogLimiter {
  let used = 0;
  let full = false;
  return {
    take(text) {
      if (full) return { text: '', cut: false };
      const size = Buffer.byteLength(text, 'utf8');
      if (used + size <= limitBytes) {
        used += size;
        return { text, cut: false };
      }
      full = true;
      const kept = sliceToBytes(text, limitBytes - used);
      used = limitBytes;
      return { text: kept, cut: true };
    },
  };
}

/** The note stored where the log was cut. */
export function describeLogCut(limitBytes: number): string {
  return `\n[deploybot] The log reached its limit of ${formatBytes(limitBytes)} here; the rest of the output was not kept.\n`;
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`. */
export function sliceToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${Number((bytes / mib).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** PostgreSQL text cannot hold NUL; deploy output sometimes does. */
export function replaceNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}
