// Reading torch_bert_bench.py, the PyTorch reference of the encode and train-step benchmarks.

/** The reference script's file name in the shared tools folder. */
export const TORCH_BERT_BENCH = 'torch_bert_bench.py';

/** One measurement line of the reference. */
export type TorchBenchLine =
  | {
      readonly kind: 'infer';
      readonly config: string;
      readonly batch: number;
      readonly length: number;
      /** Median seconds per batch. */
      readonly seconds: number;
    }
  | {
      readonly kind: 'train';
      readonly config: string;
      /** The training step's variant, e.g. `"contrastive"`. */
      readonly mode: string;
      readonly batch: number;
      /** Median seconds per step. */
      readonly seconds: number;
    };

// "[small] infer  B=32 L=64   0.1234 s/batch  259.3 texts/s"
const INFER = /^\[([\w-]+)\] infer\s+B=(\d+) L=(\d+)\s+([\d.]+) s\/batch/;
// "[small] train  contrastive B=32  5.1700 s/step  (losses …)"
const TRAIN = /^\[([\w-]+)\] train\s+(\S+)\s+B=(\d+)\s+([\d.]+) s\/step/;

/**
 * The measurement on one stdout line of the reference, or undefined for its other lines (headers,
 * checks, the summary).
 *
 * @example
 * ```ts
 * parseTorchBenchLine('[small] train  contrastive B=16  2.7012 s/step  (losses 3.1)');
 * // { kind: 'train', config: 'small', mode: 'contrastive', batch: 16, seconds: 2.7012 }
 * ```
 */
export function parseTorchBenchLine(line: string): TorchBenchLine | undefined {
  const text = line.trim();
  const infer = INFER.exec(text);
  if (infer !== null) {
    return {
      kind: 'infer',
      config: infer[1]!,
      batch: Number(infer[2]),
      length: Number(infer[3]),
      seconds: Number(infer[4]),
    };
  }
  const train = TRAIN.exec(text);
  if (train !== null) {
    return {
      kind: 'train',
      config: train[1]!,
      mode: train[2]!,
      batch: Number(train[3]),
      seconds: Number(train[4]),
    };
  }
  return undefined;
}
