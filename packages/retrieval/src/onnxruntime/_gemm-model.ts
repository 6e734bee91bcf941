// Internal: the bytes of a one-node ONNX model, S = Gemm(A, B, transB = 1), i.e. S[i, j] = A[i]·B[j],
// with symbolic shapes A [a, d], B [b, d], S [a, b], all float32. Encoded by hand (a few protobuf
// fields of onnx.proto: ModelProto → GraphProto → NodeProto / ValueInfoProto) so that no protobuf
// or onnx dependency is needed for a graph this small. Field numbers are from onnx/onnx.proto.

const IR_VERSION = 8; // ONNX 1.10+; every onnxruntime ≥ 1.10 loads it
const OPSET = 13; // Gemm-13
const FLOAT = 1; // TensorProto.DataType.FLOAT
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
const intField = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
/** Wire type 2 (length-delimited) field. */
const bytesField = (field: number, bytes: readonly number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const stringField = (field: number, text: string): number[] => bytesField(field, [...utf8.encode(text)]);

/** ValueInfoProto for a float32 tensor with symbolic dimensions. */
function floatTensorInfo(name: string, dims: readonly string[]): number[] {
  // TensorShapeProto.Dimension.dim_param = 2; TensorShapeProto.dim = 1
  const shape = dims.flatMap((d) => bytesField(1, stringField(2, d)));
  // TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto.tensor_type = 1
  const type = bytesField(1, [...intField(1, FLOAT), ...bytesField(2, shape)]);
  // ValueInfoProto: name = 1, type = 2
  return [...stringField(1, name), ...bytesField(2, type)];
}

/** The serialised ModelProto (see the module comment). Input names `A`, `B`; output `S`. */
export function gemmTransposedModel(): Uint8Array {
  // AttributeProto: name = 1, i = 3, type = 20
  const transB = [...stringField(1, 'transB'), ...intField(3, 1), ...intField(20, ATTR_INT)];
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
  const node = [
    ...stringField(1, 'A'),
    ...stringField(1, 'B'),
    ...stringField(2, 'S'),
    ...stringField(3, 'inner_products'),
    ...stringField(4, 'Gemm'),
    ...bytesField(5, transB),
  ];
  // GraphProto: node = 1, name = 2, input = 11, output = 12
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, 'rtk_inner_products'),
    ...bytesField(11, floatTensorInfo('A', ['a', 'd'])),
    ...bytesField(11, floatTensorInfo('B', ['b', 'd'])),
    ...bytesField(12, floatTensorInfo('S', ['a', 'b'])),
  ];
  // OperatorSetIdProto: domain = 1, version = 2
  const opset = [...stringField(1, ''), ...intField(2, OPSET)];
  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8
  return Uint8Array.from([
    ...intField(1, IR_VERSION),
    ...stringField(2, '@rtk/retrieval'),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}
