// Every reliance of this package on PRIVATE internals of transformers.js
// (`@huggingface/transformers`), in one module (internal). The version is pinned exactly in
// package.json; `transformers-internals.test.ts` is the canary that fails, naming the
// assumption, when an upgrade changes it.
import type { PreTrainedModel } from '@huggingface/transformers';
import { TransformersInternalsError } from './errors.js';

/** The transformers.js release the assumptions here were checked against. */
export const TRANSFORMERS_PINNED_VERSION = '4.3.2';

/** Input and output names of an ONNX graph. */
export interface GraphSignature {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/**
 * The input and output names of the ONNX session a feature-extraction model runs: transformers.js
 * keeps its onnxruntime sessions in the model's undocumented `sessions` record, the encoder's
 * under the key `model`.
 *
 * @throws {@link TransformersInternalsError} when the model has no such session.
 */
export function graphSignature(model: PreTrainedModel): GraphSignature {
  const sessions = (model as unknown as { sessions?: Record<string, unknown> }).sessions;
  const session = sessions?.['model'] as Partial<GraphSignature> | undefined;
  if (!Array.isArray(session?.inputNames) || !Array.isArray(session.outputNames)) {
    throw new TransformersInternalsError(
      'PreTrainedModel.sessions.model',
      `the loaded model has no sessions.model with inputNames/outputNames (sessions: ${
        sessions === undefined ? 'none' : Object.keys(sessions).join(', ')
      })`,
    );
  }
  return { inputNames: session.inputNames, outputNames: session.outputNames };
}
