/** At most `limit` characters (code points), never splitting a surrogate pair; "…" marks a cut. */
export function truncate(text: string, limit: number): string {
  // No more code points than UTF-16 units: a short string needs no counting.
  if (text.length <= limit) return text;
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  return `${chars.slice(0, limit - 1).join('')}…`;
}
