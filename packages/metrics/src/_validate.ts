import { InvalidCutoffError } from './errors.js';

/** Checks that `k` is an integer ≥ 1 and returns it. */
export function checkCutoff(k: unknown, where: string): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new InvalidCutoffError(k, where);
  }
  return k;
}

/** Like {@link checkCutoff}, but `undefined` (no cut-off: the full ranking) is allowed. */
export function checkOptionalCutoff(k: unknown, where: string): number | undefined {
  return k === undefined ? undefined : checkCutoff(k, where);
}
