// fineTune's `refresh`: the examples replaced every N steps (re-mined hard negatives), on a
// schedule, checked, and recorded in checkpoints so an interrupted run resumes on the examples the
// uninterrupted one used, to the bit.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainableEncoder } from '@rtk/bert';
import { useBackend } from '@rtk/test-utils/tfjs';
import { fineTune, planFineTune, type FineTuneOptions } from './fine-tune.js';
import type { TrainingExample } from './training-examples.js';
import { tinyBert, TRIPLES } from './_test-train.js';

let models: TrainableEncoder[] = [];
let temp: string;
beforeAll(async () => {
  await useBackend('cpu');
  temp = mkdtempSync(join(tmpdir(), 'rtk-refresh-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));
afterEach(() => {
  for (const m of models) m.dispose();
  models = [];
});

const EXAMPLES: TrainingExample[] = TRIPLES.map(([query, positive, negative]) => ({
  query,
  positive,
  negatives: [negative],
}));

/** Round r: each query gets the negative of the query r places on (what re-mining might do). */
function remined(round: number): TrainingExample[] {
  return EXAMPLES.map((e, i) => ({
    ...e,
    negatives: i % 3 === 0 ? [] : [TRIPLES[(i + round) % TRIPLES.length]![2]],
  }));
}

async function load(): Promise<TrainableEncoder> {
  const m = await tinyBert();
  models.push(m);
  return m;
}

function options(
  out: string,
  calls: [number, number][],
  extra: Partial<FineTuneOptions> = {},
): FineTuneOptions {
  return {
    loss: { name: 'info-nce', scale: 20 },
    batchSize: 3,
    steps: 6,
    learningRate: 2e-3,
    seed: 5,
    outputDir: out,
    checkpointEvery: 1,
    logBatches: join(out, '..', `${out.split('/').at(-1)}-batches.jsonl`),
    refresh: {
      everySteps: 2,
      examples: (_model, step, round, current) => {
        calls.push([step, round]);
        // The examples in use are passed (read back from the checkpoint after a resume).
        expect(current).toEqual(round === 1 ? EXAMPLES : remined(round - 1));
        return Promise.resolve(remined(round));
      },
    },
    ...extra,
  };
}

describe('fineTune refresh', { timeout: 120_000 }, () => {
  it('plans a refresh after every N steps below the last', async () => {
    const model = await load();
    const plan = (every: number, steps: number) =>
      planFineTune(model, EXAMPLES, {
        loss: { name: 'info-nce' },
        batchSize: 2,
        steps,
        refresh: { everySteps: every, examples: () => Promise.resolve(EXAMPLES) },
      }).refreshSteps;
    expect(plan(2, 6)).toEqual([2, 4]);
    expect(plan(3, 7)).toEqual([3, 6]);
    expect(plan(6, 6)).toEqual([]);
    expect(() => plan(0, 6)).toThrow(/refresh.everySteps/);
    expect(
      planFineTune(model, EXAMPLES, { loss: { name: 'info-nce' }, batchSize: 2 }).refreshSteps,
    ).toEqual([]);
  });

  it('trains on the new examples after each refresh, and resumes on them bit for bit', async () => {
    const whole = join(temp, 'whole');
    const wholeCalls: [number, number][] = [];
    await fineTune(await load(), EXAMPLES, options(whole, wholeCalls));
    expect(wholeCalls).toEqual([
      [2, 1],
      [4, 2],
    ]);
    // Steps 3–4 train on round 1's negatives, 5–6 on round 2's.
    const log = readFileSync(`${whole}-batches.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; queries: string[]; negatives: string[][] });
    for (const line of log) {
      const round = line.step <= 2 ? 0 : line.step <= 4 ? 1 : 2;
      const examples = round === 0 ? EXAMPLES : remined(round);
      line.queries.forEach((q, i) => {
        const e = examples.find((x) => `query: ${x.query}` === q)!;
        expect(line.negatives[i]).toEqual(e.negatives.map((n) => `passage: ${n}`));
      });
    }
    // A checkpoint after a refresh records the examples in use.
    expect(readdirSync(join(whole, 'checkpoint-3'))).toContain('examples.jsonl');
    expect(readdirSync(join(whole, 'checkpoint-1'))).not.toContain('examples.jsonl');

    // Interrupted after step 3 (checkpoint-3 written, round 1 in use), then resumed by another
    // model object: its TF.js variables have other names (a per-process model number), and the
    // optimiser state must still reach them (it once was dropped without a word).
    const cut = join(temp, 'cut');
    const cutModel = await load();
    const cutCalls: [number, number][] = [];
    await expect(
      fineTune(
        cutModel,
        EXAMPLES,
        options(cut, cutCalls, {
          onStep: (r) => {
            if (r.step === 4) throw new Error('interrupted');
          },
        }),
      ),
    ).rejects.toThrow('interrupted');
    rmSync(join(cut, 'checkpoint-4'), { recursive: true, force: true });
    const resumedModel = await load();
    expect(resumedModel.variables()[0]!.name).not.toBe(cutModel.variables()[0]!.name);
    const resumedCalls: [number, number][] = [];
    const result = await fineTune(resumedModel, EXAMPLES, options(cut, resumedCalls));
    expect(result.resumedFrom).toBe(3);
    // Round 1 was read back from checkpoint-3, not asked for again; round 2 is.
    expect(resumedCalls).toEqual([[4, 2]]);
    const weights = (dir: string) => readFileSync(join(dir, 'final', 'model.safetensors'));
    expect(weights(cut).equals(weights(whole))).toBe(true);
  });

  it('goes on with the epoch when a refresh returns the examples in use', async () => {
    const same = await fineTune(await load(), EXAMPLES, {
      ...options(join(temp, 'same'), []),
      refresh: { everySteps: 2, examples: (_m, _s, _r, current) => Promise.resolve([...current]) },
    });
    const plain = await fineTune(await load(), EXAMPLES, {
      ...options(join(temp, 'plain'), []),
      refresh: undefined,
    });
    expect(same.history.map((h) => [h.epoch, h.loss])).toEqual(
      plain.history.map((h) => [h.epoch, h.loss]),
    );
  });

  it('refuses refreshed examples a batch cannot be made of, naming the step', async () => {
    const out = join(temp, 'bad');
    await expect(
      fineTune(await load(), EXAMPLES, {
        ...options(out, []),
        refresh: { everySteps: 2, examples: () => Promise.resolve(EXAMPLES.slice(0, 2)) },
      }),
    ).rejects.toThrow(/refreshed after step 2 are 2, fewer than a batch \(3\)/);
  });
});
