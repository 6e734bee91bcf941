import { describe, expect, it } from 'vitest';
import { compareScoredDocs } from './compare-scored-docs.js';

describe('compareScoredDocs', () => {
  it.each([
    // [a, b, sign]: negative = a ranks first
    [0.9, 0.5, -1], // higher score first
    [0.5, 0.9, 1],
    [0.5, 0.5, 0], // tie: left to a stable sort (input order)
  ])('compares score %f with %f → sign %i', (a, b, sign) => {
    expect(Math.sign(compareScoredDocs({ id: 'a', score: a }, { id: 'b', score: b }))).toBe(sign);
  });

  it('keeps tied documents in input order under Array.prototype.sort', () => {
    const docs = [
      { id: 'x', score: 0.5 },
      { id: 'y', score: 0.9 },
      { id: 'z', score: 0.5 },
      { id: 'w', score: 0.5 },
    ];
    expect([...docs].sort(compareScoredDocs).map((d) => d.id)).toEqual(['y', 'x', 'z', 'w']);
  });
});
