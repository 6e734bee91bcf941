// Test helper (not built, not exported): the PyTorch autograd goldens in
// fixtures/losses-golden.json (see fixtures/README.md for the generator).
import { readFileSync } from 'node:fs';
import type { TripletDistance } from './triplet-loss.js';

type Matrix = number[][];

export interface TripletCase {
  loss: 'triplet';
  distance: TripletDistance;
  margin: number;
  anchor: Matrix;
  positive: Matrix;
  negative: Matrix;
  expected_loss: number;
  grad: { anchor: Matrix; positive: Matrix; negative: Matrix };
}
export interface ContrastiveCase {
  loss: 'contrastive';
  distance: 'cosine';
  margin: number;
  left: Matrix;
  right: Matrix;
  labels: number[];
  expected_loss: number;
  grad: { left: Matrix; right: Matrix };
}
export interface InfoNceCase {
  loss: 'info_nce';
  scale: number;
  symmetric: boolean;
  anchor: Matrix;
  positive: Matrix;
  negative?: Matrix;
  expected_loss: number;
  grad: { anchor: Matrix; positive: Matrix; negative?: Matrix };
}
export type GoldenCase = TripletCase | ContrastiveCase | InfoNceCase;

/** The golden file as read. */
export const golden = JSON.parse(
  readFileSync(new URL('../fixtures/losses-golden.json', import.meta.url), 'utf8'),
) as {
  cases: GoldenCase[];
};

export const tripletCases: TripletCase[] = golden.cases.filter(
  (c): c is TripletCase => c.loss === 'triplet',
);
export const contrastiveCases: ContrastiveCase[] = golden.cases.filter(
  (c): c is ContrastiveCase => c.loss === 'contrastive',
);
export const infoNceCases: InfoNceCase[] = golden.cases.filter(
  (c): c is InfoNceCase => c.loss === 'info_nce',
);

/** The tolerance for loss and gradient parity with PyTorch (see fixtures/README.md). */
export const TOLERANCE = 1e-5;
