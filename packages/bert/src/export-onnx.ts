import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportOnnxFromWeights,
  loadSentenceEncoder,
  type ExportOnnxOptions,
  type OnnxExportResult,
  type SentenceEncoder,
} from '@rtk/encoders';
import type { SafetensorsTensor } from '@rtk/safetensors';
import type { TrainableEncoder } from './trainable-encoder.js';

/**
 * Export a trainable encoder's current weights (as trained so far, in memory) to an ONNX model
 * folder: `onnx/model.onnx` (+ `onnx/model_quantized.onnx` for `dtype: 'q8'`), `config.json`
 * and the tokenizer files of the folder it was loaded from. The same graph builder as
 * `@rtk/encoders`' `exportOnnx` (no Python, no tracing); the folder is complete or absent.
 * `loadSentenceEncoder({ model: dir })` and transformers.js load the result.
 *
 * @throws `OnnxExportError` of `@rtk/encoders` (output folder taken, write failed),
 *   `EncoderDisposedError` for a disposed encoder.
 * @example
 * ```ts
 * const out = await exportTrainableEncoderOnnx(encoder, 'runs/e5-nq/onnx-step-500');
 * const fast = await loadSentenceEncoder({ model: out.dir }); // ONNX Runtime, same vectors
 * ```
 */
export async function exportTrainableEncoderOnnx(
  encoder: TrainableEncoder,
  outDir: string,
  options: ExportOnnxOptions = {},
): Promise<OnnxExportResult> {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const entry of encoder.layout.entries) {
    const t = entry();
    tensors.set(t.name, t);
  }
  return exportOnnxFromWeights(
    {
      config: encoder.config,
      tensors,
      filesFrom: encoder.modelDir,
      source: `${encoder.name} (weights in memory)`,
    },
    outDir,
    options,
  );
}

/** Options for {@link createOnnxEmbedder}. */
export interface CreateOnnxEmbedderOptions {
  /** Folder for the export; default a fresh folder in `os.tmpdir()`, removed by `dispose()`. */
  readonly dir?: string;
  /** `fp32` (default; same vectors to ~1e-6) or `q8` (int8 weights, faster, less exact). */
  readonly dtype?: 'fp32' | 'q8';
  /** ONNX Runtime intra-op threads (see `loadSentenceEncoder`). */
  readonly threads?: number;
}

/**
 * A fast ONNX Runtime `SentenceEncoder` computing what `encoder` computes now: exports the
 * current weights ({@link exportTrainableEncoderOnnx}) and loads the folder with
 * `loadSentenceEncoder`, with the encoder's prefixes, `maxLength`, mean pooling and L2
 * normalisation. For evaluating checkpoints during training: encoding a corpus through ONNX
 * Runtime is several times faster than the TF.js forward, and the export is cheap next to it.
 * The returned encoder's `fingerprint` hashes the exported graph, so an embedding cache never
 * serves one checkpoint's vectors for another. Later training does not change it: export again.
 *
 * @example
 * ```ts
 * const fast = await createOnnxEmbedder(encoder);
 * const vectors = await fast.encode(passages, { role: 'passage' });
 * await fast.dispose(); // also removes the temporary export
 * ```
 */
export async function createOnnxEmbedder(
  encoder: TrainableEncoder,
  options: CreateOnnxEmbedderOptions = {},
): Promise<SentenceEncoder> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? join(tmpdir(), `rtk-onnx-${randomBytes(6).toString('hex')}`);
  const dtype = options.dtype ?? 'fp32';
  await exportTrainableEncoderOnnx(encoder, dir, { dtype, overwrite: !temporary });
  let inner: SentenceEncoder;
  try {
    inner = await loadSentenceEncoder({
      model: dir,
      dtype,
      prefixes: encoder.prefixes,
      pooling: 'mean',
      normalize: true,
      maxLength: encoder.maxLength,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
  } catch (error) {
    if (temporary) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    settings: inner.settings,
    name: inner.name,
    dim: inner.dim,
    fingerprint: inner.fingerprint,
    dir: inner.dir,
    get textsEncoded(): number {
      return inner.textsEncoded;
    },
    encode: (texts, embedOptions) => inner.encode(texts, embedOptions),
    async dispose(): Promise<void> {
      await inner.dispose();
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}
