import fc from 'fast-check';
import type { Pair } from './types.js';

/** Pairs over small vocabularies, so duplicate queries and shared passages are common. */
export const pairsArb: fc.Arbitrary<Pair[]> = fc.array(
  fc.record({
    query: fc.constantFrom(
      'who wrote a',
      'when was b',
      'where is c',
      'what is d',
      'how long is e',
      'why f',
      'who g',
    ),
    passage: fc.constantFrom(
      'A passage',
      'B passage',
      'C passage',
      'D passage',
      'E passage',
      'F passage',
      'G passage',
      'H passage',
    ),
  }),
  { maxLength: 60 },
);
