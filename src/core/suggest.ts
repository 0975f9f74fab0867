/**
 * "Did you mean …": the known names closest to what someone typed. A candidate is close
 * when it is a few edits away (insertions, deletions, substitutions and swaps of two
 * neighbouring letters, ignoring case), when the input is the start of it ("prod" →
 * "production"), or when the input is one edit away from its start ("prdo" → "production").
 */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const typed = input.trim().toLowerCase();
  if (typed === '' || max <= 0) return [];
  const limit = editLimit(typed.length);
  const seen = new Set<string>();
  const scored: Array<{ candidate: string; score: number; order: number }> = [];
  candidates.forEach((candidate, order) => {
    const known = candidate.toLowerCase();
    if (known === '' || seen.has(known)) return;
    seen.add(known);
    const score = scoreOf(typed, known, limit);
    if (score !== undefined) scored.push({ candidate, score, order });
  });
  scored.sort(
    (a, b) =>
      a.score - b.score ||
      Math.abs(a.candidate.length - typed.length) - Math.abs(b.candidate.length - typed.length) ||
      a.order - b.order,
  );
  return scored.slice(0, max).map((entry) => entry.candidate);
}

/** One edit for short words, two from six letters on: more would suggest anything for anything. */
function editLimit(length: number): number {
  return length >= 6 ? 2 : 1;
}

/** Lower is closer; undefined when not close at all. */
function scoreOf(typed: string, known: string, limit: number): number | undefined {
  // Cheap bound: the distance is at least the difference in length.
  const whole = Math.abs(known.length - typed.length) <= limit ? editDistance(typed, known) : limit + 1;
  if (whole <= limit) return whole;
  if (typed.length < 3 || known.length <= typed.length) return undefined;
  if (known.startsWith(typed)) return 0.5;
  if (typed.length >= 4 && editDistance(typed, known.slice(0, typed.length)) <= 1) return 1.5;
  return undefined;
}

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: like Levenshtein,
 * plus a swap of two neighbouring characters counting as one edit ("wbe" → "web").
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}
