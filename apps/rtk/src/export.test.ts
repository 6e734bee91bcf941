// `rtk export` end to end: the built CLI run as a child process; its output evaluated by `rtk eval`.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtk } from './_test-cli.js';

const FIXTURE = resolve(import.meta.dirname, '../../../packages/encoders/fixtures/tiny-bert');

describe('rtk export', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rtk-export-cli-'));
    const pairs = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ query: `what is item ${i}`, passage: `item ${i} is a thing number ${i}` }),
    );
    await writeFile(join(work, 'pairs.jsonl'), pairs.join('\n') + '\n');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes a folder that rtk eval loads, with the same metrics as the torch-exported model', async () => {
    const exported = await rtk(
      ['export', '--model', FIXTURE, '--dtype', 'q8', '--out', 'tiny-onnx'],
      work,
    );
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('onnx/model_quantized.onnx');
    expect((await readdir(join(work, 'tiny-onnx', 'onnx'))).sort()).toEqual([
      'model.onnx',
      'model_quantized.onnx',
    ]);
    const evalArgs = (model: string, out: string): string[] => [
      'eval',
      '--model',
      model,
      '--offline',
      '--data',
      'pairs.jsonl',
      '--query-prefix',
      'query: ',
      '--out',
      out,
    ];
    const [ours, theirs] = await Promise.all([
      rtk(evalArgs('tiny-onnx', 'ours'), work),
      rtk(evalArgs(FIXTURE, 'theirs'), work),
    ]);
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(0);
    const metrics = async (dir: string): Promise<unknown> =>
      (JSON.parse(await readFile(join(work, dir, 'results.json'), 'utf8')) as { metrics: unknown })
        .metrics;
    expect(await metrics('ours')).toEqual(await metrics('theirs'));
  });

  it('bad input fails with a clear error before any file is written', async () => {
    const noWeights = join(work, 'no-weights');
    await cp(FIXTURE, noWeights, { recursive: true });
    await rm(join(noWeights, 'model.safetensors'));
    const silu = join(work, 'silu');
    await cp(FIXTURE, silu, { recursive: true });
    const config = JSON.parse(await readFile(join(silu, 'config.json'), 'utf8')) as object;
    await writeFile(join(silu, 'config.json'), JSON.stringify({ ...config, hidden_act: 'silu' }));
    const cases = [
      { model: noWeights, message: /ERR_ENCODERS_MODEL_FILE_MISSING: .*model\.safetensors/ },
      { model: silu, message: /ERR_ENCODERS_BERT_CONFIG: .*hidden_act/ },
    ];
    for (const [i, c] of cases.entries()) {
      const out = join(work, `bad-${i}`);
      const result = await rtk(['export', '--model', c.model, '--out', out], work);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(c.message);
      expect(existsSync(out)).toBe(false);
    }
    const unknown = await rtk(['export', '--model', FIXTURE, '--out', 'x', '--fast'], work);
    expect(unknown.code).toBe(2);
    const missing = await rtk(['export', '--model', FIXTURE], work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--out');
    const help = await rtk(['export', '--help'], work);
    for (const flag of ['--model', '--out', '--dtype', '--revision', '--overwrite', '--offline'])
      expect(help.stdout).toContain(flag);
  });
});
