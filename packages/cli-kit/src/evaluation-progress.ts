import type { EvaluationPhase, EvaluationProgress } from '@rtk/evaluation';
import { progressBar, type ProgressBar, type ProgressBarOptions } from './progress.js';

const PHASES: Readonly<Record<EvaluationPhase, { readonly title: string; readonly unit: string }>> =
  {
    index: { title: 'index', unit: 'docs' },
    search: { title: 'search', unit: 'queries' },
    fullRanks: { title: 'full ranks', unit: 'queries' },
  };

/** What {@link evaluationProgress} returns: the callback to pass on, and the means to close. */
export interface EvaluationProgressBars {
  /** `onProgress` for `evaluateRetriever` of `@rtk/evaluation`. */
  readonly onProgress: (event: EvaluationProgress) => void;
  /** Closes the last bar (call it in `finally`). */
  readonly stop: () => void;
}

/**
 * One {@link progressBar} per phase of `evaluateRetriever` (`@rtk/evaluation`), labelled
 * `<label>: index`, `<label>: search`, `<label>: full ranks`; each closes when the next starts.
 *
 * @example
 * ```ts
 * const bars = evaluationProgress(retriever.name);
 * try {
 *   return await evaluateRetriever(retriever, test, { onProgress: bars.onProgress });
 * } finally {
 *   bars.stop();
 * }
 * ```
 */
export function evaluationProgress(
  label: string,
  options: ProgressBarOptions = {},
): EvaluationProgressBars {
  let phase: EvaluationPhase | undefined;
  let bar: ProgressBar | undefined;
  return {
    onProgress: (event) => {
      if (bar === undefined || event.phase !== phase) {
        bar?.stop();
        phase = event.phase;
        bar = progressBar(`${label}: ${PHASES[phase].title}`, PHASES[phase].unit, options);
      }
      bar.update(event.done, event.total);
    },
    stop: () => {
      bar?.stop();
      bar = undefined;
    },
  };
}
