// Resume after `kill -9`: a child process runs fineTune (the built package, dist/, which turbo
// builds before these tests) and is killed with SIGKILL mid-run, twice; the same command then
// finishes the run. The final weights must equal, byte for byte, those of an uninterrupted run
// with the same seed (dropout on, so the dropout state is resumed too).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const resolveHere = createRequire(import.meta.url).resolve;
const url = (specifier: string): string =>
  JSON.stringify(pathToFileURL(resolveHere(specifier)).href);
let temp: string;
let script: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'rtk-resume-'));
  script = join(temp, 'train.mjs');
  // The run under test: 12 steps, a checkpoint every 2, the newest 2 kept; prints each step.
  writeFileSync(
    script,
    `import * as tf from ${url('@tensorflow/tfjs')};
import { loadTrainableEncoder } from ${url('@rtk/bert')};
import { fineTune, loadTrainingExamples } from ${JSON.stringify(pathToFileURL(DIST).href)};
await tf.setBackend('cpu');
const [out] = process.argv.slice(2);
const examples = await loadTrainingExamples(${JSON.stringify(join(FIXTURES, 'finetune-train.jsonl'))});
const model = await loadTrainableEncoder(${JSON.stringify(join(FIXTURES, 'tiny-bert'))}, { seed: 0, backend: { log: () => {} } });
const result = await fineTune(model, examples, {
  loss: { name: 'info-nce', scale: 20 }, negatives: 1, batchSize: 4, steps: 12, warmup: 0.1,
  learningRate: 2e-3, seed: 3, maxQueryLength: 16, maxPassageLength: 32,
  outputDir: out, checkpointEvery: 2, keepLast: 2,
  onResume: (step) => console.log('resumed ' + step),
  onStep: (r) => console.log('step ' + r.step),
});
console.log('done ' + result.resumedFrom);
`,
  );
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the script; with `killAt`, SIGKILLs it once it printed that step. */
function train(out: string, killAt?: number): Promise<{ stdout: string; killed: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, out], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAt !== undefined && stdout.includes(`step ${killAt}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') done({ stdout, killed: true });
      else if (code === 0) done({ stdout, killed: false });
      else fail(new Error(`exit ${code}: ${stderr}`));
    });
  });
}

describe('fineTune resumes after kill -9', { timeout: 120_000 }, () => {
  it('ends with the weights of an uninterrupted run, bit for bit', async () => {
    const whole = join(temp, 'whole');
    const first = await train(whole);
    expect(first.stdout).toContain('done 0');

    const cut = join(temp, 'cut');
    const a = await train(cut, 5);
    expect(a.killed).toBe(true);
    expect(a.stdout).not.toContain('done');
    const b = await train(cut, 9);
    expect(b.killed).toBe(true);
    // It resumed from the last checkpoint the first process wrote before the kill (4, or 6 when
    // the kill landed after that checkpoint).
    const resumed = Number(/resumed (\d+)/.exec(b.stdout)?.[1]);
    expect([4, 6]).toContain(resumed);
    expect(b.stdout).not.toContain(`step ${resumed}\n`);
    const c = await train(cut);
    expect(c.stdout).toMatch(/resumed (8|10)\n/);
    expect(c.stdout).toContain('done');

    const weights = (dir: string) => readFileSync(join(dir, 'final', 'model.safetensors'));
    expect(weights(cut).equals(weights(whole))).toBe(true);
    // Not vacuous: the weights moved from the start.
    expect(
      weights(whole).equals(readFileSync(join(FIXTURES, 'tiny-bert', 'model.safetensors'))),
    ).toBe(false);
    // The step log has each step once, as the uninterrupted run's (seconds aside).
    const steps = (dir: string) =>
      readFileSync(join(dir, 'train-log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { step: number; loss: number })
        .map((l) => [l.step, l.loss]);
    expect(steps(cut)).toEqual(steps(whole));
    // Complete folders only: no temporary or half-deleted checkpoint is left.
    expect(readdirSync(cut).sort()).toEqual([
      'checkpoint-10',
      'checkpoint-8',
      'final',
      'train-log.jsonl',
    ]);
    expect(existsSync(join(cut, 'checkpoint-10', 'optimizer.safetensors'))).toBe(true);

    // Run again when done: nothing to do, the same weights.
    const d = await train(cut);
    expect(d.stdout).toContain('resumed 12');
    expect(weights(cut).equals(weights(whole))).toBe(true);
  });
});
