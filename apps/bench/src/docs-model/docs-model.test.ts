// The shipped offline model (models/rtk-docs-mini) against its recipe: its ONNX graph is the
// export of its safetensors, and its recipe's first steps reproduce its training log.
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrainableEncoder } from '@rtk/bert';
import { exportOnnx, loadSentenceEncoder, parseBertConfig } from '@rtk/encoders';
import { readSafetensors, tensorToFloat32, writeSafetensors } from '@rtk/safetensors';
import { epochBatches, fineTune, loadTrainingExamples, type TrainingExample } from '@rtk/training';
import { DOCS_MODEL } from '../bench.js';
import { initBertTensors } from './init-bert.js';
import { firstBatchesFile } from './recipe.js';

const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
];
/** The settings of apps/bench/scripts/train-docs-mini.sh's `rtk train`. */
const RECIPE = {
  seed: 42,
  batchSize: 32,
  learningRate: 0.001,
  warmup: 16,
  weightDecay: 0.01,
  scale: 20,
  maxQueryLength: 32,
  maxPassageLength: 128,
};

interface LogStep {
  type: string;
  step: number;
  loss: number;
  lr: number;
}

async function logSteps(): Promise<LogStep[]> {
  const text = await readFile(join(DOCS_MODEL, 'train-log.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogStep)
    .filter((l) => l.type === 'step');
}

const TEXTS = [
  'How do I create a virtual environment?',
  'The venv module supports creating lightweight virtual environments, each with its own Python binary.',
  'Django model field verbose_name',
  'who plays marcus kiamand in the tv show about a detective in kleisouovo',
];

describe('the shipped rtk-docs-mini model', () => {
  it('embeds as a fresh ONNX export of its safetensors does', { timeout: 120_000 }, async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'docs-mini-export-'));
    await exportOnnx(DOCS_MODEL, fresh, { overwrite: true });
    const shipped = await loadSentenceEncoder({ model: DOCS_MODEL });
    const exported = await loadSentenceEncoder({ model: fresh });
    try {
      const a = await shipped.encode(TEXTS, { role: 'passage' });
      const b = await exported.encode(TEXTS, { role: 'passage' });
      for (let i = 0; i < TEXTS.length; i++) {
        expect(a[i]!.length).toBe(128);
        for (let j = 0; j < a[i]!.length; j++) expect(a[i]![j]).toBeCloseTo(b[i]![j]!, 5);
      }
      // And the weights are trained, not the seeded initialisation they started from.
      const config = parseBertConfig(
        JSON.parse(await readFile(join(DOCS_MODEL, 'config.json'), 'utf8')),
        'config.json',
      );
      const init = initBertTensors(config, RECIPE.seed)[0]!;
      const trained = (await readSafetensors(join(DOCS_MODEL, 'model.safetensors'))).tensors.get(
        init.name,
      )!;
      expect(tensorToFloat32(trained)).not.toEqual(tensorToFloat32(init));
    } finally {
      await shipped.dispose();
      await exported.dispose();
    }
  });

  it(
    "replays the recipe's first 3 steps from the seeded initialisation to the logged losses",
    { timeout: 300_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'docs-mini-init-'));
      for (const name of [...TOKENIZER_FILES, 'config.json'])
        await copyFile(join(DOCS_MODEL, name), join(dir, name));
      const config = parseBertConfig(
        JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')),
        'config.json',
      );
      await writeSafetensors(join(dir, 'model.safetensors'), initBertTensors(config, RECIPE.seed), {
        format: 'pt',
      });
      const examples = await loadTrainingExamples(join(DOCS_MODEL, 'first-batches.jsonl'));
      expect(examples).toHaveLength(3 * RECIPE.batchSize);
      const model = await loadTrainableEncoder(dir, { prefixes: { query: '', passage: '' } });
      try {
        const result = await fineTune(model, examples, {
          loss: { name: 'info-nce', scale: RECIPE.scale },
          learningRate: RECIPE.learningRate,
          batchSize: RECIPE.batchSize,
          steps: 3,
          // The run's warmup is longer than these 3 steps: during warmup the constant schedule
          // gives the linear one's learning rates.
          warmup: RECIPE.warmup,
          schedule: 'constant',
          weightDecay: RECIPE.weightDecay,
          maxGradNorm: 1,
          dropout: false,
          seed: RECIPE.seed,
          maxQueryLength: RECIPE.maxQueryLength,
          maxPassageLength: RECIPE.maxPassageLength,
        });
        const logged = (await logSteps()).slice(0, 3);
        expect(result.history.map((h) => h.lr)).toEqual(logged.map((l) => l.lr));
        for (let i = 0; i < 3; i++) expect(result.history[i]!.loss).toBeCloseTo(logged[i]!.loss, 4);
      } finally {
        model.dispose();
      }
    },
  );
});

describe('firstBatchesFile', () => {
  it('arranges the first batches so that the sampler over the file alone yields them', () => {
    const examples: TrainingExample[] = Array.from({ length: 50 }, (_, i) => ({
      query: `q${i % 40}`, // repeated queries: the no-duplicates sampler defers some
      positive: `p${i}`,
      negatives: [],
    }));
    const options = { batchSize: 4, batches: 3, seed: 7 };
    const file = firstBatchesFile(examples, options);
    const sampler = { batchSize: 4, seed: 7, epoch: 0, sampler: 'no-duplicates' } as const;
    const original = epochBatches(examples, sampler)
      .slice(0, 3)
      .map((b) => b.map((i) => examples[i]));
    const replayed = epochBatches(file, sampler).map((b) => b.map((i) => file[i]));
    expect(replayed).toEqual(original);
    expect(() => firstBatchesFile(examples.slice(0, 10), options)).toThrow(/fewer than 3 full/);
  });
});
