// Setup file of the mutation runs (vitest.mutation.config.mjs). @fast-check/vitest names each
// property test after its seed ("… (with seed=N)"), a new seed at each import unless fast-check's
// global seed is set. Stryker picks the tests of a mutant by the names it saw in its dry run, so
// with a fresh seed per run no property test would match, run or kill a mutant. One fixed seed
// keeps the names the same in every run.
import fc from 'fast-check';

export const MUTATION_SEED = 20_261_202;

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: MUTATION_SEED });
