/** One finding of `deploybot check`: what holds (✓) or not (✗), and for ✗ how to fix it. */
export interface CheckLine {
  readonly ok: boolean;
  readonly text: string;
  readonly fix?: string;
}

export const pass = (text: string): CheckLine => ({ ok: true, text });
export const fail = (text: string, fix: string): CheckLine => ({ ok: false, text, fix });

/** The report `npm run check` prints: one line per finding, the fix after the arrow. */
export function formatCheckReport(
  sections: readonly { title: string; lines: readonly CheckLine[] }[],
): string {
  const body = sections.flatMap((section) => [
    section.title,
    ...section.lines.map(
      (line) => `  ${line.ok ? '✓' : '✗'} ${line.text}${line.fix ? ` → ${line.fix}` : ''}`,
    ),
  ]);
  const failed = sections.flatMap((section) => section.lines).filter((line) => !line.ok).length;
  const summary =
    failed === 0
      ? 'Everything deploybot needs holds.'
      : `${failed === 1 ? '1 thing' : `${failed} things`} to fix before deploybot works as configured.`;
  return [...body, summary].join('\n');
}
