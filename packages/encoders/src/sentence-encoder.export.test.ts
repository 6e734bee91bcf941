// A model with model.safetensors but no usable ONNX graph: the encoder exports one into the
// cache, says so, and encodes like PyTorch.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, TensorDataType } from '@rtk/onnx';
import { startHubServer, type HubServer } from '@rtk/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, maxAbsDiff, TINY_BERT_DIR } from './_test-fixture.js';
import { BertConfigError, ModelFileMissingError } from './errors.js';
import { loadSentenceEncoder } from './sentence-encoder.js';

const REPO = 'test-org/tiny-bert-safetensors-only';
const texts = EXPECTED.map((s) => s.text);

describe('loadSentenceEncoder without a usable ONNX graph', () => {
  let work: string;
  let noOnnx: string;
  let hub: HubServer;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'rtk-auto-export-'));
    noOnnx = join(work, 'no-onnx');
    await cp(TINY_BERT_DIR, noOnnx, { recursive: true });
    await rm(join(noOnnx, 'onnx'), { recursive: true });
    hub = await startHubServer({ repos: { [REPO]: noOnnx } });
  });
  afterAll(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });

  it('a hub repo: exports into the cache (keyed by repo, revision, file hashes), says so, then reuses it', async () => {
    const cacheDir = join(work, 'hub-cache');
    const logs: string[] = [];
    const load = () =>
      loadSentenceEncoder({
        model: REPO,
        prefixes: false,
        threads: 1,
        hub: { endpoint: hub.url, cacheDir, onLog: (m) => logs.push(m) },
      });
    const first = await load();
    const vectors = await first.encode(texts);
    await first.dispose();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/no usable ONNX graph .*; exported one from model\.safetensors to /);
    expect(first.settings).toMatchObject({
      model: REPO,
      source: 'hub',
      exported: true,
      onnxFile: 'onnx/model.onnx',
    });
    expect(
      first.dir.startsWith(
        join(cacheDir, 'models--test-org--tiny-bert-safetensors-only', 'rtk-onnx'),
      ),
    ).toBe(true);
    EXPECTED.forEach((s, i) =>
      expect(maxAbsDiff(vectors[i]!, s.mean_normalized)).toBeLessThan(1e-5),
    );

    const second = await load();
    await second.dispose();
    expect(logs[1]).toMatch(/using the graph exported earlier/);
    expect(second.dir).toBe(first.dir);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(await readdir(join(first.dir, '..'))).toHaveLength(1);
  });

  it('a local folder whose graph does not fit (wrong inputs/outputs): exports one instead', async () => {
    const dir = join(work, 'wrong-graph');
    await cp(noOnnx, dir, { recursive: true });
    const float = TensorDataType.FLOAT;
    const wrong = encodeModel(
      {
        name: 'wrong',
        nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
        initializers: [],
        inputs: [{ name: 'x', elemType: float, dims: ['n'] }],
        outputs: [{ name: 'y', elemType: float, dims: ['n'] }],
      },
      { opsetVersion: 14, producerName: 'test' },
    );
    await writeFile(join(dir, 'model.onnx'), wrong);
    const exportCacheDir = join(work, 'exports');
    const logs: string[] = [];
    const encoder = await loadSentenceEncoder({
      model: dir,
      prefixes: false,
      threads: 1,
      exportCacheDir,
      onLog: (m) => logs.push(m),
    });
    const vectors = await encoder.encode(texts);
    await encoder.dispose();
    expect(logs[0]).toMatch(/the graph model\.onnx has inputs \[x\] and outputs \[y\]/);
    expect(encoder.dir.startsWith(exportCacheDir)).toBe(true);
    EXPECTED.forEach((s, i) =>
      expect(maxAbsDiff(vectors[i]!, s.mean_normalized)).toBeLessThan(1e-5),
    );

    // Without the weights to export from, the unfit graph is an error naming it.
    await rm(join(dir, 'model.safetensors'));
    await expect(
      loadSentenceEncoder({ model: dir, exportCacheDir: join(work, 'exports-2') }),
    ).rejects.toThrow(/inputs \[x\] and outputs \[y\]; expected inputs input_ids/);
  });

  it('no graph and no weights: the missing graph is the error; a non-BERT config cannot be exported', async () => {
    const bare = join(work, 'bare');
    await cp(noOnnx, bare, { recursive: true });
    await rm(join(bare, 'model.safetensors'));
    await expect(loadSentenceEncoder({ model: bare })).rejects.toBeInstanceOf(
      ModelFileMissingError,
    );
    await expect(loadSentenceEncoder({ model: bare })).rejects.toThrow(
      /no model\.safetensors to export one from/,
    );

    const roberta = join(work, 'roberta');
    await cp(noOnnx, roberta, { recursive: true });
    const config = JSON.parse(await readFile(join(roberta, 'config.json'), 'utf8')) as object;
    await writeFile(
      join(roberta, 'config.json'),
      JSON.stringify({ ...config, model_type: 'roberta' }),
    );
    const exportCacheDir = join(work, 'exports-roberta');
    await expect(loadSentenceEncoder({ model: roberta, exportCacheDir })).rejects.toBeInstanceOf(
      BertConfigError,
    );
    expect(existsSync(exportCacheDir)).toBe(false);
  });
});
