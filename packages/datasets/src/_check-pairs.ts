import { DatasetArgumentError } from './errors.js';
import type { Pair } from './types.js';

/** Validate pairs given in memory (loaders check files themselves, naming file and line). */
export function checkPairs(pairs: readonly Pair[], fn: string): void {
  if (!Array.isArray(pairs)) {
    throw new DatasetArgumentError(
      `${fn}: pairs must be an array of { query, passage }, received ${typeof pairs}.`,
    );
  }
  pairs.forEach((pair: unknown, i) => {
    const p = pair as Partial<Record<'query' | 'passage', unknown>> | null;
    for (const field of ['query', 'passage'] as const) {
      const value = p?.[field];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new DatasetArgumentError(
          `${fn}: pairs[${i}].${field} must be a non-empty string, received ${value === undefined ? 'undefined' : JSON.stringify(value)?.slice(0, 80)}.`,
        );
      }
    }
  });
}
