// The PyTorch goldens (fixtures/losses-golden.json): every case reaches one of the loss tests,
// which run each of their cases on every backend of BACKENDS.
import { describe, expect, it } from 'vitest';
import { contrastiveCases, golden, infoNceCases, tripletCases } from './_test-golden.js';
import { TRIPLET_DISTANCES } from './triplet-loss.js';

describe('losses-golden.json', () => {
  it('has nine cases, each of a loss some test runs', () => {
    expect(golden.cases).toHaveLength(9);
    expect(tripletCases.length + contrastiveCases.length + infoNceCases.length).toBe(9);
  });

  it('covers every triplet distance, and the contrastive hinge both off and on', () => {
    expect(new Set(tripletCases.map((c) => c.distance))).toEqual(new Set(TRIPLET_DISTANCES));
    expect(contrastiveCases.map((c) => c.margin)).toEqual([0.5, 1.2]);
  });
});
