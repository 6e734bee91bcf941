/**
 * Dropout seeds of a training step's forward passes.
 *
 * The encoder's pass with `dropoutSeed: s` draws its masks from the consecutive seeds
 * s … s + 4·(layers + 1) − 1 (the embedding LayerNorm's, then four per layer), so the passes of a
 * run get disjoint blocks of that size (at least 64, the encoder's own spacing): pass p of a run
 * seeded with `seed` uses
 *
 *   (seed · 1 000 003 + p · block) mod 2³¹
 *
 * and the run counts its passes: a step with towers (queries, passages, each negatives tower) of
 * C_t chunks each (1 without gradient caching) numbers pass (tower t, chunk c) as
 * passesBefore + C_0 + … + C_(t−1) + c (passesBefore + t·C + c when every tower has C chunks).
 * Both passes of gradient caching over a chunk use that chunk's seed, so they draw the same masks;
 * the next step starts after the last pass of this one, so no two passes of a run share masks.
 */
export class DropoutSeeds {
  readonly #base: number;
  readonly #block: number;
  #passes = 0;

  constructor(seed: number, layers: number) {
    this.#base = seed * 1_000_003;
    this.#block = Math.max(64, 4 * (layers + 1));
  }

  /** The seed of the current step's pass number `pass` (its chunks numbered tower by tower). */
  seedOf(pass: number): number {
    return (this.#base + (this.#passes + pass) * this.#block) % 2 ** 31;
  }

  /** Passes counted so far (the dropout state a checkpoint records). */
  get passes(): number {
    return this.#passes;
  }

  set passes(value: number) {
    this.#passes = value;
  }

  /** Moves past the `passes` passes (chunks over all towers) of a step. */
  advance(passes: number): void {
    this.#passes += passes;
  }
}
