import { describe, expect, it } from 'vitest';
import { metricTable } from './metric-table.js';

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
