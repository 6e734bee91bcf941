// Checkpoint folders of fineTune: the model (Hugging Face layout, through saveTrainableEncoder),
// optimizer.safetensors (AdamW's state) and trainer_state.json, written in a temporary folder
// beside the target and renamed into place, so a folder named checkpoint-<step> is complete.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadTrainableEncoder, saveTrainableEncoder, type TrainableEncoder } from '@rtk/bert';
import { readTextFile, writeFileAtomic, writeFolderAtomic, ensureWritableDir } from '@rtk/files';
import {
  float32Tensor,
  readSafetensors,
  serializeSafetensors,
  tensorToFloat32,
} from '@rtk/safetensors';
import { CheckpointError, RunMismatchError } from './errors.js';
import type { FineTuneEvaluationRecord, FineTuneStepRecord } from './fine-tune.js';
import type { TrainingExample } from './training-examples.js';
import type { TrainStep } from './train-step.js';
import type { NamedTensor } from './adamw.js';

/** trainer_state.json. */
export interface TrainerState {
  readonly format: 1;
  readonly fingerprint: string;
  /** What the fingerprint hashes: settings, data hash, starting-weights hash. */
  readonly run: { readonly settings: object; readonly data: string; readonly model: string };
  /** Optimiser steps taken. */
  readonly step: number;
  /** Sampler position: the epoch and the micro-batches of it already used. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  /** Dropout passes drawn (the dropout RNG state; shuffling is a function of seed + epoch). */
  readonly dropoutPasses: number;
  readonly totalSteps: number;
  readonly history: readonly FineTuneStepRecord[];
  readonly evaluations: readonly FineTuneEvaluationRecord[];
  /**
   * Refreshes of the examples done so far (`refresh` of fineTune); when > 0 the folder holds the
   * examples in use, `examples.jsonl`, which a resumed run trains on.
   */
  readonly rounds?: number;
}

const CHECKPOINT = /^checkpoint-(\d+)$/;
export const FINAL_DIR = 'final';
const STATE = 'trainer_state.json';
const OPTIMIZER = 'optimizer.safetensors';
const EXAMPLES = 'examples.jsonl';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates the folder (checked writable) and removes leftovers of interrupted writes. */
export async function prepareOutputDir(dir: string): Promise<void> {
  await ensureWritableDir(dir);
  for (const name of await readdir(dir)) {
    if (name.startsWith('.') && (name.endsWith('.tmp') || name.endsWith('.trash')))
      await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** `final/` when present, else the checkpoint of the highest step; undefined for none. */
export async function findLatestCheckpoint(dir: string): Promise<string | undefined> {
  if (await exists(join(dir, FINAL_DIR, STATE))) return join(dir, FINAL_DIR);
  const steps = (await readdir(dir))
    .map((n) => CHECKPOINT.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  return steps.length === 0 ? undefined : join(dir, `checkpoint-${steps[0]}`);
}

/**
 * AdamW keys its state by TF.js variable name, which carries a per-process model number
 * (`trainable-bert-<n>/encoder.layer.0…`): a model loaded second in another process has other
 * names. The checkpoint stores the state under the part after that number (the tensor's
 * name in the model), so any process, any model of the same shape, restores it. Checkpoints
 * written with the numbered names read the same way.
 */
function stableName(variableName: string): string {
  return variableName.replace(/^trainable-bert-\d+\//, '');
}

/** `<variable>/m` → `<stable>/m` (and back with `names`); `iter` is not a variable's. */
function renameState(
  name: string,
  rename: (variable: string) => string | undefined,
): string | undefined {
  if (name === 'iter') return name;
  const cut = name.lastIndexOf('/');
  const variable = rename(name.slice(0, cut));
  return variable === undefined ? undefined : `${variable}${name.slice(cut)}`;
}

async function optimizerBytes(trainer: TrainStep): Promise<Uint8Array> {
  const weights = await trainer.optimizer.getWeights();
  try {
    return serializeSafetensors(
      weights.map((w) =>
        float32Tensor(
          renameState(w.name, stableName)!,
          w.tensor.shape,
          Float32Array.from(w.tensor.dataSync()),
        ),
      ),
      { format: 'rtk-adamw' },
    );
  } finally {
    for (const w of weights) if (w.name === 'iter' || w.name.endsWith('/step')) w.tensor.dispose();
  }
}

async function writeFolder(
  target: string,
  model: TrainableEncoder,
  trainer: TrainStep | undefined,
  state: TrainerState,
  examples?: readonly TrainingExample[],
): Promise<void> {
  try {
    await writeFolderAtomic(target, async (temp) => {
      await saveTrainableEncoder(model, temp, { overwrite: true });
      if (trainer !== undefined)
        await writeFile(join(temp, OPTIMIZER), await optimizerBytes(trainer));
      if (examples !== undefined)
        await writeFile(
          join(temp, EXAMPLES),
          examples
            .map(
              (e) =>
                `${JSON.stringify({ query: e.query, positive: e.positive, negatives: e.negatives })}\n`,
            )
            .join(''),
        );
      await writeFile(join(temp, STATE), `${JSON.stringify(state, null, 1)}\n`);
    });
  } catch (error) {
    throw new CheckpointError(target, `could not be written (${String(error)})`, { cause: error });
  }
}

/** Writes checkpoint-<step>, then prunes older ones beyond `keepLast`. */
export async function writeCheckpoint(
  dir: string,
  model: TrainableEncoder,
  trainer: TrainStep,
  state: TrainerState,
  keepLast: number | undefined,
  examples?: readonly TrainingExample[],
): Promise<void> {
  await writeFolder(join(dir, `checkpoint-${state.step}`), model, trainer, state, examples);
  if (keepLast === undefined) return;
  const steps = (await readdir(dir))
    .map((n) => CHECKPOINT.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  for (const step of steps.slice(keepLast)) {
    // Renamed first: a kill during the removal leaves a hidden folder, never a partial checkpoint.
    const trash = join(dir, `.checkpoint-${step}.${randomBytes(6).toString('hex')}.trash`);
    await rename(join(dir, `checkpoint-${step}`), trash);
    await rm(trash, { recursive: true, force: true });
  }
}

/** Writes final/ (the model and trainer_state.json); returns its path. */
export async function writeFinalModel(
  dir: string,
  model: TrainableEncoder,
  state: TrainerState,
): Promise<string> {
  const target = join(dir, FINAL_DIR);
  await writeFolder(target, model, undefined, state);
  return target;
}

/**
 * Reads a checkpoint back into `model` and `trainer`: refuses another run's, copies the weights,
 * restores AdamW's state and the dropout passes. Returns its trainer state.
 */
export async function readCheckpoint(
  folder: string,
  model: TrainableEncoder,
  trainer: TrainStep,
  fingerprint: string,
  run: TrainerState['run'],
): Promise<TrainerState> {
  let state: TrainerState;
  try {
    state = JSON.parse(await readTextFile(join(folder, STATE))) as TrainerState;
  } catch (error) {
    throw new CheckpointError(folder, `unreadable ${STATE} (${String(error)})`, { cause: error });
  }
  if (state.fingerprint !== fingerprint) {
    const differences: string[] = [];
    const theirs = state.run ?? { settings: {}, data: '', model: '' };
    const ours = run.settings as Record<string, unknown>;
    const old = theirs.settings as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ours), ...Object.keys(old)]))
      if (JSON.stringify(ours[key]) !== JSON.stringify(old[key])) differences.push(key);
    if (theirs.data !== run.data) differences.push('data');
    if (theirs.model !== run.model) differences.push('model');
    throw new RunMismatchError(folder, differences.length > 0 ? differences : ['fingerprint']);
  }
  const loaded = await loadTrainableEncoder(folder, {
    tokenizer: model.tokenizer,
    prefixes: model.prefixes,
    maxLength: model.maxLength,
  });
  try {
    const target = model.variables();
    const source = loaded.variables();
    if (target.length !== source.length)
      throw new CheckpointError(folder, 'holds a model of another shape');
    target.forEach((v, i) => {
      if (!tf.util.arraysEqual(v.shape, source[i]!.shape))
        throw new CheckpointError(folder, `tensor ${v.name} has another shape`);
      v.assign(source[i]!);
    });
  } finally {
    loaded.dispose();
  }
  if (state.step < state.totalSteps || (await exists(join(folder, OPTIMIZER)))) {
    const file = await readSafetensors(join(folder, OPTIMIZER));
    const current = new Map(model.variables().map((v) => [stableName(v.name), v.name]));
    const weights: NamedTensor[] = [];
    for (const [saved, t] of file.tensors) {
      const name = renameState(saved, (variable) => current.get(stableName(variable)));
      if (name === undefined) {
        tf.dispose(weights.map((w) => w.tensor));
        throw new CheckpointError(
          folder,
          `${OPTIMIZER} holds optimiser state for ${saved}, a tensor this model does not have`,
        );
      }
      const data = tensorToFloat32(t, folder);
      weights.push({
        name,
        tensor:
          name === 'iter' || name.endsWith('/step')
            ? tf.scalar(data[0]!, name === 'iter' ? 'float32' : 'int32')
            : tf.tensor(data, [...t.shape]),
      });
    }
    try {
      await trainer.optimizer.setWeights(weights);
    } finally {
      tf.dispose(weights.map((w) => w.tensor));
    }
  }
  trainer.dropoutPasses = state.dropoutPasses;
  return state;
}

/** The examples a checkpoint recorded (`examples.jsonl`, written after a refresh). */
export async function readCheckpointExamples(folder: string): Promise<TrainingExample[]> {
  let text: string;
  try {
    text = await readTextFile(join(folder, EXAMPLES));
  } catch (error) {
    throw new CheckpointError(folder, `has no readable ${EXAMPLES} (${String(error)})`, {
      cause: error,
    });
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TrainingExample);
}

/** Keeps the lines of a JSONL log up to `step` (lines with a larger "step" are dropped). */
export async function truncateJsonl(file: string, step: number): Promise<void> {
  if (!(await exists(file))) {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFileAtomic(file, '');
    return;
  }
  const kept = (await readTextFile(file))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => {
      try {
        return ((JSON.parse(l) as { step?: number }).step ?? 0) <= step;
      } catch {
        return false; // a line cut by a kill
      }
    });
  await writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
}
