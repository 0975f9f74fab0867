import { DeploybotError } from '../core/errors.js';

/** One thing wrong with deploybot's settings (environment variables) or its config file. */
export interface Problem {
  /** An environment variable name, or a path into the config file such as `repos."octo-org/web".channel`. */
  readonly where: string;
  /** The file `where` points into; absent for environment variables. */
  readonly source?: string;
  readonly line?: number;
  readonly column?: number;
  /** What is wrong, as a phrase: `expected a positive number`. */
  readonly message: string;
  /** How to fix it, as a sentence. */
  readonly fix?: string;
}

/**
 * One message listing every problem, so a person fixing a broken deployment sees all of
 * them on the first start instead of one per restart.
 */
export function formatConfigProblems(problems: readonly Problem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => {
    const fix = problem.fix ? ` ${endSentence(problem.fix)}` : '';
    return `- ${describeWhere(problem)}: ${endSentence(problem.message)}${fix}`;
  });
  return [`deploybot cannot start: ${count} with its settings and config:`, ...lines].join('\n');
}

/** The error parseSettings and loadConfig throw; main can merge both lists into one. */
export function createConfigError(problems: readonly Problem[], cause?: unknown): DeploybotError {
  return new DeploybotError('config_invalid', formatConfigProblems(problems), {
    details: { problems },
    cause,
  });
}

/** The problems inside a config_invalid error, or none for any other error. */
export function problemsOf(error: unknown): readonly Problem[] {
  if (!(error instanceof DeploybotError) || error.code !== 'config_invalid') return [];
  const problems = error.details.problems;
  return Array.isArray(problems) ? (problems as Problem[]) : [];
}

function describeWhere(problem: Problem): string {
  let file = problem.source ?? '';
  if (file && problem.line !== undefined) {
    file += `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  }
  return [file, problem.where].filter((part) => part !== '').join(' ') || '(unknown)';
}

function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
