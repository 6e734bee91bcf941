import { describe, expect, it } from 'vitest';
import { comparisonTable } from './markdown.js';

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
