/**
 * A study-style `| Metric | Value |` Markdown table, values to four decimals, rows in the order
 * given: what `pnpm bench` and `rtk eval` print.
 *
 * @example
 * ```ts
 * metricTable({ 'Recall@1': 0.41037, MRR: 0.538549 });
 * // | Metric | Value |
 * // |---|---|
 * // | Recall@1 | 0.4104 |
 * // | MRR | 0.5385 |
 * ```
 */
export function metricTable(metrics: Readonly<Record<string, number>>): string {
  const rows = Object.entries(metrics).map(([name, value]) => `| ${name} | ${value.toFixed(4)} |`);
  return ['| Metric | Value |', '|---|---|', ...rows].join('\n');
}
