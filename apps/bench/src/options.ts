/** The study's tasks this bench runs. */
export const TASKS: readonly number[] = [1, 2, 3];

/** A bad command-line value: printed with its code, exit status 1. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
  readonly code = 'BENCH_USAGE';
}

/** Parse `--task 1,2,3` into sorted unique task numbers, each one of {@link TASKS}. */
export function parseTasks(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const tasks = new Set<number>();
  for (const part of parts) {
    const n = Number(part);
    if (!TASKS.includes(n))
      throw new BenchUsageError(
        `--task: '${part}' is not a task; choose from ${TASKS.join(', ')} (e.g. --task 1,2)`,
      );
    tasks.add(n);
  }
  if (tasks.size === 0)
    throw new BenchUsageError(`--task: no task given; choose from ${TASKS.join(', ')}`);
  return [...tasks].sort((a, b) => a - b);
}

/** Parse a numeric option, checking integer-ness and bounds; the error names the flag. */
export function parseNumber(
  text: string,
  flag: string,
  rule: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const n = Number(text);
  const bad =
    text.trim() === '' ||
    !Number.isFinite(n) ||
    (rule.integer === true && !Number.isInteger(n)) ||
    (rule.min !== undefined && n < rule.min) ||
    (rule.max !== undefined && n > rule.max);
  if (bad) {
    const want = [
      rule.integer ? 'an integer' : 'a number',
      rule.min !== undefined ? `≥ ${rule.min}` : '',
      rule.max !== undefined ? `≤ ${rule.max}` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    throw new BenchUsageError(`${flag} must be ${want}; got '${text}'`);
  }
  return n;
}
