// Internal: the bytes of two tiny ONNX models built around S = Gemm(A, B, transB = 1), i.e.
// S[i, j] = A[i]·B[j], with symbolic shapes A [a, d], B [b, d], S [a, b], float32:
//   gemmTransposedModel: outputs S;
//   gemmTopKModel: outputs V, I = TopK(S, K) along rows (ONNX TopK: largest first, and "given two
//   equivalent values ... the element with the lower index will appear first" — our tie rule) and
//   R = ReduceSum(S) over everything, which is NaN whenever some score is NaN.
// Encoded with @rtk/onnx (the project's one ONNX writer).
import { attribute, encodeModel, TensorDataType, type OnnxGraph, type OnnxNode } from '@rtk/onnx';

const IR_VERSION = 8; // ONNX 1.10+; every onnxruntime ≥ 1.10 loads it
const OPSET = 13; // Gemm-13
const { FLOAT, INT64 } = TensorDataType;

const gemmNode: OnnxNode = {
  opType: 'Gemm',
  inputs: ['A', 'B'],
  outputs: ['S'],
  name: 'inner_products',
  attributes: { transB: attribute.int(1) },
};
const inputs = [
  { name: 'A', elemType: FLOAT, dims: ['a', 'd'] },
  { name: 'B', elemType: FLOAT, dims: ['b', 'd'] },
] as const;

const encode = (graph: Omit<OnnxGraph, 'name' | 'initializers'>): Uint8Array =>
  encodeModel(
    { ...graph, name: 'rtk_inner_products', initializers: [] },
    { opsetVersion: OPSET, irVersion: IR_VERSION, producerName: '@rtk/retrieval' },
  );

/** Inputs `A` [a, d], `B` [b, d]; output `S` [a, b] (see the module comment). */
export function gemmTransposedModel(): Uint8Array {
  return encode({
    nodes: [gemmNode],
    inputs,
    outputs: [{ name: 'S', elemType: FLOAT, dims: ['a', 'b'] }],
  });
}

/**
 * Inputs `A` [a, d], `B` [b, d], `K` int64 [1] (≤ b); outputs `V` [a, k] float32, `I` [a, k] int64,
 * `R` float32 scalar (see the module comment).
 */
export function gemmTopKModel(): Uint8Array {
  return encode({
    nodes: [
      gemmNode,
      { opType: 'TopK', inputs: ['S', 'K'], outputs: ['V', 'I'], name: 'top_k' },
      {
        opType: 'ReduceSum',
        inputs: ['S'],
        outputs: ['R'],
        name: 'nan_probe',
        attributes: { keepdims: attribute.int(0) },
      },
    ],
    inputs: [...inputs, { name: 'K', elemType: INT64, dims: [1] }],
    outputs: [
      { name: 'V', elemType: FLOAT, dims: ['a', 'k'] },
      { name: 'I', elemType: INT64, dims: ['a', 'k'] },
      { name: 'R', elemType: FLOAT, dims: [] },
    ],
  });
}
