import {
  bytesField,
  concat,
  flatten,
  floatField,
  intField,
  stringField,
  type Bytes,
} from './_protobuf.js';
import { InvalidGraphError } from './errors.js';

/** `TensorProto.DataType` values of onnx.proto for the element types this package writes. */
export const TensorDataType: {
  readonly FLOAT: 1;
  readonly UINT8: 2;
  readonly INT8: 3;
  readonly INT32: 6;
  readonly INT64: 7;
  readonly BOOL: 9;
} = Object.freeze({ FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9 } as const);

/** One of {@link TensorDataType}'s values. */
export type TensorDataType = 1 | 2 | 3 | 6 | 7 | 9;

/** Typed arrays a tensor can hold; the element type follows from the array. */
export type TensorData = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

/** A named tensor with its data (an initializer, or a `Constant`/attribute value). */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: TensorDataType;
  readonly data: TensorData;
}

/** A node attribute; build one with {@link attribute}. */
export type OnnxAttribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: OnnxTensor };

/** Attribute constructors: `attribute.int(-1)`, `attribute.ints([0, 2, 1, 3])`, …. */
export const attribute: {
  readonly int: (value: number) => OnnxAttribute;
  readonly float: (value: number) => OnnxAttribute;
  readonly ints: (value: readonly number[]) => OnnxAttribute;
  readonly string: (value: string) => OnnxAttribute;
  readonly tensor: (value: OnnxTensor) => OnnxAttribute;
} = Object.freeze({
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  tensor: (value: OnnxTensor): OnnxAttribute => ({ type: 'tensor', value }),
});

/** A node of the graph: `outputs = opType(inputs)` (an empty input name skips an optional input). */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Operator set domain; default `''` (the standard `ai.onnx` operators). */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A graph input or output: name, element type and dims (a string is a symbolic dimension). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: TensorDataType;
  readonly dims: readonly (number | string)[];
}

/** A graph: nodes in topological order, weights as initializers. */
export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** Options for {@link encodeModel}. */
export interface EncodeModelOptions {
  /** Version of the standard operator set the nodes follow (e.g. 14). */
  readonly opsetVersion: number;
  /** `ModelProto.ir_version`; default 7 (ONNX 1.7, read by every ONNX Runtime ≥ 1.6). */
  readonly irVersion?: number;
  /** `producer_name`, e.g. the package that built the graph. */
  readonly producerName: string;
  readonly producerVersion?: string;
  /** Extra `(domain, version)` operator sets, e.g. `{ 'com.microsoft': 1 }`. */
  readonly extraOpsets?: Readonly<Record<string, number>>;
  /** `metadata_props` key/value pairs. */
  readonly metadata?: Readonly<Record<string, string>>;
}

function dataTypeOf(data: TensorData): TensorDataType {
  if (data instanceof Float32Array) return TensorDataType.FLOAT;
  if (data instanceof Uint8Array) return TensorDataType.UINT8;
  if (data instanceof Int8Array) return TensorDataType.INT8;
  if (data instanceof Int32Array) return TensorDataType.INT32;
  return TensorDataType.INT64;
}

function checkDims(subject: string, dims: readonly number[]): number {
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidGraphError(
        subject,
        `dimension ${String(d)} of [${dims.join(', ')}] is not an integer ≥ 0.`,
      );
    }
    count *= d;
  }
  return count;
}

/**
 * A tensor with its data; the element type follows from the typed array (`Float32Array` →
 * FLOAT, `BigInt64Array` → INT64, …). The data is kept by reference, not copied.
 *
 * @throws {@link InvalidGraphError} when the data does not hold exactly the product of `dims`
 *   values, or a dimension is not an integer ≥ 0.
 * @example
 * ```ts
 * const w = tensorProto('w', [2, 3], new Float32Array(6));
 * console.log(w.dataType, w.dims); // 1 [ 2, 3 ]
 * ```
 */
export function tensorProto(name: string, dims: readonly number[], data: TensorData): OnnxTensor {
  const count = checkDims(`tensor ${JSON.stringify(name)}`, dims);
  if (data.length !== count) {
    throw new InvalidGraphError(
      `tensor ${JSON.stringify(name)}`,
      `${data.length} values for dims [${dims.join(', ')}], which need ${count}.`,
    );
  }
  return { name, dims: [...dims], dataType: dataTypeOf(data), data };
}

// Field numbers below are onnx/onnx.proto's.

function encodeTensor(t: OnnxTensor): Bytes {
  // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, as ONNX requires).
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return concat([
    ...t.dims.map((d) => intField(1, d)),
    intField(2, t.dataType),
    stringField(8, t.name),
    bytesField(9, raw),
  ]);
}

function encodeAttribute(name: string, a: OnnxAttribute): Bytes {
  // AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, ints = 8, type = 20
  // (AttributeType FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, INTS = 7).
  const head = stringField(1, name);
  switch (a.type) {
    case 'int':
      return concat([head, intField(3, a.value), intField(20, 2)]);
    case 'float':
      return concat([head, floatField(2, a.value), intField(20, 1)]);
    case 'string':
      return concat([head, stringField(4, a.value), intField(20, 3)]);
    case 'tensor':
      return concat([head, bytesField(5, encodeTensor(a.value)), intField(20, 4)]);
    case 'ints':
      return concat([head, ...a.value.map((v) => intField(8, v)), intField(20, 7)]);
  }
}

function encodeNode(n: OnnxNode): Bytes {
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
  return concat([
    ...n.inputs.map((x) => stringField(1, x)),
    ...n.outputs.map((x) => stringField(2, x)),
    ...(n.name === undefined ? [] : [stringField(3, n.name)]),
    stringField(4, n.opType),
    ...Object.entries(n.attributes ?? {}).map(([k, a]) => bytesField(5, encodeAttribute(k, a))),
    ...(n.domain === undefined || n.domain === '' ? [] : [stringField(7, n.domain)]),
  ]);
}

function encodeValueInfo(v: OnnxValueInfo): Bytes {
  // TensorShapeProto.Dimension: dim_value = 1, dim_param = 2; TensorShapeProto: dim = 1.
  const shape = concat(
    v.dims.map((d) => bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d))),
  );
  // TypeProto.Tensor: elem_type = 1, shape = 2; TypeProto: tensor_type = 1; ValueInfoProto: name = 1, type = 2.
  const type = bytesField(1, concat([intField(1, v.elemType), bytesField(2, shape)]));
  return concat([stringField(1, v.name), bytesField(2, type)]);
}

/** Names unique, every node input defined before it is read, every output produced. */
function checkGraph(graph: OnnxGraph): void {
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (name === '') throw new InvalidGraphError(what, 'has an empty name.');
    if (defined.has(name)) {
      throw new InvalidGraphError(what, `the name ${JSON.stringify(name)} is defined twice.`);
    }
    defined.add(name);
  };
  for (const v of graph.inputs) {
    checkDims(
      `input ${JSON.stringify(v.name)}`,
      v.dims.filter((d) => typeof d === 'number'),
    );
    define(v.name, `input ${JSON.stringify(v.name)}`);
  }
  for (const t of graph.initializers) define(t.name, `initializer ${JSON.stringify(t.name)}`);
  graph.nodes.forEach((n, i) => {
    const what = `node ${i} (${n.opType}${n.name === undefined ? '' : ` ${n.name}`})`;
    for (const x of n.inputs) {
      if (x !== '' && !defined.has(x)) {
        throw new InvalidGraphError(
          what,
          `reads ${JSON.stringify(x)}, which no input, initializer or earlier node defines (nodes must be in topological order).`,
        );
      }
    }
    for (const y of n.outputs) define(y, `${what} output`);
  });
  for (const v of graph.outputs) {
    if (!defined.has(v.name)) {
      throw new InvalidGraphError(
        `output ${JSON.stringify(v.name)}`,
        'is not produced by the graph.',
      );
    }
  }
}

/**
 * Encode a model as the bytes of an `.onnx` file (a `ModelProto` of onnx.proto): the graph, its
 * operator set imports, IR version and producer. The graph is checked first (unique names, nodes
 * in topological order, outputs produced); ONNX Runtime checks the operators when it loads it.
 *
 * @throws {@link InvalidGraphError} for a graph that fails those checks.
 * @example
 * ```ts
 * const bytes = encodeModel(
 *   {
 *     name: 'double',
 *     nodes: [{ opType: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
 *     initializers: [],
 *     inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, dims: ['n'] }],
 *     outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, dims: ['n'] }],
 *   },
 *   { opsetVersion: 14, producerName: 'example' },
 * );
 * console.log(bytes.length); // 79
 * ```
 */
export function encodeModel(graph: OnnxGraph, options: EncodeModelOptions): Uint8Array {
  checkGraph(graph);
  // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
  const graphBytes = concat([
    ...graph.nodes.map((n) => bytesField(1, encodeNode(n))),
    stringField(2, graph.name),
    ...graph.initializers.map((t) => bytesField(5, encodeTensor(t))),
    ...graph.inputs.map((v) => bytesField(11, encodeValueInfo(v))),
    ...graph.outputs.map((v) => bytesField(12, encodeValueInfo(v))),
  ]);
  // OperatorSetIdProto: domain = 1, version = 2; StringStringEntryProto: key = 1, value = 2.
  const opsets = [
    ['', options.opsetVersion] as const,
    ...Object.entries(options.extraOpsets ?? {}),
  ].map(([domain, version]) =>
    bytesField(8, concat([stringField(1, domain), intField(2, version)])),
  );
  const metadata = Object.entries(options.metadata ?? {}).map(([k, v]) =>
    bytesField(14, concat([stringField(1, k), stringField(2, v)])),
  );
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7,
  // opset_import = 8, metadata_props = 14.
  return flatten(
    concat([
      intField(1, options.irVersion ?? 7),
      stringField(2, options.producerName),
      ...(options.producerVersion === undefined ? [] : [stringField(3, options.producerVersion)]),
      bytesField(7, graphBytes),
      ...opsets,
      ...metadata,
    ]),
  );
}
