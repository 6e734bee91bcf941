import { describe, expect, it } from 'vitest';
import { parseTorchBenchLine } from './_torch-bert-bench.js';

describe('parseTorchBenchLine', () => {
  // Lines as torch_bert_bench.py prints them ("[%s] infer  B=32 L=%-3d  %.4f s/batch …" and
  // "[%s] train  %-11s B=%-2d  %.4f s/step  (losses …)").
  it.each([
    [
      '[small] infer  B=32 L=64   0.1234 s/batch  259.3 texts/s',
      { kind: 'infer', config: 'small', batch: 32, length: 64, seconds: 0.1234 },
    ],
    [
      '[small] infer  B=32 L=256  1.0500 s/batch  30.5 texts/s',
      { kind: 'infer', config: 'small', batch: 32, length: 256, seconds: 1.05 },
    ],
    [
      '[small] train  contrastive B=32  5.1700 s/step  (losses 3.46 3.41)',
      { kind: 'train', config: 'small', mode: 'contrastive', batch: 32, seconds: 5.17 },
    ],
    [
      '[base] train  mlm         B=8   0.9000 s/step  (losses 9.1)',
      { kind: 'train', config: 'base', mode: 'mlm', batch: 8, seconds: 0.9 },
    ],
    [
      '  [small] train  contrastive B=16  2.7012 s/step\n',
      { kind: 'train', config: 'small', mode: 'contrastive', batch: 16, seconds: 2.7012 },
    ],
  ])('reads %j', (line, want) => {
    expect(parseTorchBenchLine(line)).toEqual(want);
  });

  it.each([
    'torch 1.13.0, threads 2, total 30.1 s, peak RSS 900 MiB -> out.json',
    'layer check vs nn.TransformerEncoderLayer (max abs diff): 1e-7',
    '[small] infer  B=32 L=64   n/a s/batch',
    '',
  ])('ignores %j', (line) => {
    expect(parseTorchBenchLine(line)).toBeUndefined();
  });
});
