/**
 * The median of timings: the middle value, or the mean of the two middle ones for an even count.
 * The benchmarks report it because one slow repeat (a neighbour's job on the shared machine)
 * moves it less than the mean.
 *
 * @throws RangeError for an empty list or a non-finite value.
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values: time at least one repeat');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`median: ${bad} is not a finite number`);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
