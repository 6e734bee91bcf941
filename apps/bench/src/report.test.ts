import { describe, expect, it } from 'vitest';
import { comparisonTable, metricTable } from './report.js';

describe('metricTable', () => {
  it('prints the study-style table with four decimals', () => {
    expect(
      metricTable({ 'Recall@1': 0.41037, 'Recall@3': 0.6138, 'Recall@10': 0.78494, MRR: 0.538549 }),
    ).toMatchInlineSnapshot(`
      "| Metric | Value |
      |---|---|
      | Recall@1 | 0.4104 |
      | Recall@3 | 0.6138 |
      | Recall@10 | 0.7849 |
      | MRR | 0.5385 |"
    `);
  });
});

describe('comparisonTable', () => {
  it('puts systems side by side on the first system’s metrics', () => {
    expect(
      comparisonTable([
        { name: 'TF-IDF', metrics: { 'Recall@1': 0.5, MRR: 0.25 } },
        { name: 'E5', metrics: { 'Recall@1': 0.75, MRR: 0.125 } },
      ]),
    ).toMatchInlineSnapshot(`
      "| Metric | TF-IDF | E5 |
      |---|---|---|
      | Recall@1 | 0.5000 | 0.7500 |
      | MRR | 0.2500 | 0.1250 |"
    `);
  });
});
