/** Hides the password and secret-looking query parameters of a URL, keeping the rest readable. */
export function redactUrl(value: string): string {
  const marker = 'DEPLOYBOTREDACTED';
  try {
    const url = new URL(value);
    let changed = false;
    if (url.password) {
      url.password = marker;
      changed = true;
    }
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) {
        url.searchParams.set(key, marker);
        changed = true;
      }
    }
    // Untouched URLs are returned as written: URL#toString would add a trailing slash.
    return changed ? url.toString().replaceAll(marker, '[redacted]') : value;
  } catch {
    return '[redacted]';
  }
}
