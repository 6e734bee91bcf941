import { UsageError } from '@rtk/cli-kit';

/** The study's tasks this bench runs. */
export const TASKS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * The tasks `pnpm bench` runs when `--task` is not given: the evaluation tasks. Fine-tuning
 * (4, 5) trains for hundreds of steps and evaluates every checkpoint, hours on a CPU for E5, so
 * it runs when asked for: `--task 4,5` (or `--task 1,2,3,4,5`).
 */
export const DEFAULT_TASKS: readonly number[] = [1, 2, 3];

/**
 * Parse `--task 1,2,3` into sorted unique task numbers, each one of {@link TASKS}.
 *
 * @throws `UsageError` (`ERR_CLI_KIT_USAGE`, exit status 2) naming `--task`, the part that is not
 *   a task and the tasks there are.
 */
export function parseTasks(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const tasks = new Set<number>();
  for (const part of parts) {
    const n = /^[0-9]+$/.test(part) ? Number(part) : Number.NaN;
    if (!TASKS.includes(n))
      throw new UsageError(
        `--task: '${part}' is not a task; choose from ${TASKS.join(', ')} (e.g. --task 1,2)`,
        '--task',
      );
    tasks.add(n);
  }
  if (tasks.size === 0)
    throw new UsageError(`--task: no task given; choose from ${TASKS.join(', ')}`, '--task');
  return [...tasks].sort((a, b) => a - b);
}
