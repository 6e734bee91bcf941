// Internal: the bytes of two tiny ONNX models built around S = Gemm(A, B, transB = 1), i.e.
// S[i, j] = A[i]·B[j], with symbolic shapes A [a, d], B [b, d], S [a, b], float32:
//   gemmTransposedModel: outputs S;
//   gemmTopKModel: outputs V, I = TopK(S, K) along rows (ONNX TopK: largest first, and "given two
//   equivalent values ... the element with the lower index will appear first" — our tie rule) and
//   R = ReduceSum(S) over everything, which is NaN whenever some score is NaN.
// Encoded by hand (a few protobuf fields of onnx.proto: ModelProto → GraphProto → NodeProto /
// ValueInfoProto / AttributeProto) so that no protobuf or onnx dependency is needed for graphs this
// small. Field numbers are from onnx/onnx.proto.

const IR_VERSION = 8; // ONNX 1.10+; every onnxruntime ≥ 1.10 loads it
const OPSET = 13; // Gemm-13
const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7; // TensorProto.DataType.INT64
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

const utf8 = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Wire type 0 (varint) field. */
const intField = (field: number, value: number): number[] => [
  ...varint(field << 3),
  ...varint(value),
];
/** Wire type 2 (length-delimited) field. */
const bytesField = (field: number, bytes: readonly number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const stringField = (field: number, text: string): number[] =>
  bytesField(field, [...utf8.encode(text)]);

/** ValueInfoProto for a tensor; string dimensions are symbolic, numbers fixed. */
function tensorInfo(name: string, dims: readonly (string | number)[], elemType = FLOAT): number[] {
  // TensorShapeProto.Dimension: dim_value = 1, dim_param = 2; TensorShapeProto.dim = 1
  const shape = dims.flatMap((d) =>
    bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d)),
  );
  // TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto.tensor_type = 1
  const type = bytesField(1, [...intField(1, elemType), ...bytesField(2, shape)]);
  // ValueInfoProto: name = 1, type = 2
  return [...stringField(1, name), ...bytesField(2, type)];
}

/** AttributeProto of type INT: name = 1, i = 3, type = 20. */
const intAttribute = (name: string, value: number): number[] => [
  ...stringField(1, name),
  ...intField(3, value),
  ...intField(20, ATTR_INT),
];

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
function nodeProto(
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  opType: string,
  attributes: readonly number[][] = [],
): number[] {
  return [
    ...inputs.flatMap((x) => stringField(1, x)),
    ...outputs.flatMap((x) => stringField(2, x)),
    ...stringField(3, name),
    ...stringField(4, opType),
    ...attributes.flatMap((a) => bytesField(5, a)),
  ];
}

/** ModelProto (ir_version = 1, producer_name = 2, graph = 7, opset_import = 8) around one graph. */
function modelProto(
  nodes: readonly number[][],
  inputs: readonly number[][],
  outputs: readonly number[][],
): Uint8Array {
  // GraphProto: node = 1, name = 2, input = 11, output = 12
  const graph = [
    ...nodes.flatMap((n) => bytesField(1, n)),
    ...stringField(2, 'rtk_inner_products'),
    ...inputs.flatMap((v) => bytesField(11, v)),
    ...outputs.flatMap((v) => bytesField(12, v)),
  ];
  // OperatorSetIdProto: domain = 1, version = 2
  const opset = [...stringField(1, ''), ...intField(2, OPSET)];
  return Uint8Array.from([
    ...intField(1, IR_VERSION),
    ...stringField(2, '@rtk/retrieval'),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}

const gemmNode = (): number[] =>
  nodeProto(['A', 'B'], ['S'], 'inner_products', 'Gemm', [intAttribute('transB', 1)]);

/** Inputs `A` [a, d], `B` [b, d]; output `S` [a, b] (see the module comment). */
export function gemmTransposedModel(): Uint8Array {
  return modelProto(
    [gemmNode()],
    [tensorInfo('A', ['a', 'd']), tensorInfo('B', ['b', 'd'])],
    [tensorInfo('S', ['a', 'b'])],
  );
}

/**
 * Inputs `A` [a, d], `B` [b, d], `K` int64 [1] (≤ b); outputs `V` [a, k] float32, `I` [a, k] int64,
 * `R` float32 scalar (see the module comment).
 */
export function gemmTopKModel(): Uint8Array {
  return modelProto(
    [
      gemmNode(),
      nodeProto(['S', 'K'], ['V', 'I'], 'top_k', 'TopK'),
      nodeProto(['S'], ['R'], 'nan_probe', 'ReduceSum', [intAttribute('keepdims', 0)]),
    ],
    [tensorInfo('A', ['a', 'd']), tensorInfo('B', ['b', 'd']), tensorInfo('K', [1], INT64)],
    [tensorInfo('V', ['a', 'k']), tensorInfo('I', ['a', 'k'], INT64), tensorInfo('R', [])],
  );
}
