import { InvalidGraphError } from './errors.js';
import {
  tensorProto,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
  type TensorData,
  type TensorDataType,
} from './model.js';

/**
 * Builds an {@link OnnxGraph} node by node, naming intermediate values for you: each `op` call
 * appends a node and returns its output name(s) (`<scope>/<OpType>_<n>`), so a graph reads like
 * the computation it encodes. Pass the result to `encodeModel`.
 *
 * @example
 * ```ts
 * const g = new OnnxGraphBuilder('affine');
 * const x = g.input('x', TensorDataType.FLOAT, ['n', 2]);
 * const w = g.initializer('w', [2, 1], Float32Array.of(3, 4));
 * g.output(g.op('MatMul', [x, w], {}, 'y'), TensorDataType.FLOAT, ['n', 1]);
 * const bytes = encodeModel(g.build(), { opsetVersion: 14, producerName: 'example' });
 * console.log(g.build().nodes.map((n) => n.opType), bytes.length > 0); // [ 'MatMul' ] true
 * ```
 */
export class OnnxGraphBuilder {
  readonly name: string;
  readonly #nodes: OnnxNode[] = [];
  readonly #initializers: OnnxTensor[] = [];
  readonly #inputs: OnnxValueInfo[] = [];
  readonly #outputs: OnnxValueInfo[] = [];
  readonly #constants = new Map<string, string>();
  #counter = 0;
  /** Prefix of generated names; set it around a block (`builder.scope = 'layer.0/attention'`). */
  scope = '';

  constructor(name: string) {
    this.name = name;
  }

  /** Declare a graph input; returns its name. */
  input(name: string, elemType: TensorDataType, dims: readonly (number | string)[]): string {
    this.#inputs.push({ name, elemType, dims: [...dims] });
    return name;
  }

  /** Declare a graph output (a value some node produces). */
  output(name: string, elemType: TensorDataType, dims: readonly (number | string)[]): void {
    this.#outputs.push({ name, elemType, dims: [...dims] });
  }

  /** Add a weight; returns its name. See `tensorProto` for the checks. */
  initializer(name: string, dims: readonly number[], data: TensorData): string {
    this.#initializers.push(tensorProto(name, dims, data));
    return name;
  }

  /**
   * A small constant as an initializer, shared between equal uses (same dims and values):
   * `constant([], Float32Array.of(2))` is a float scalar.
   */
  constant(dims: readonly number[], data: TensorData): string {
    const key = `${data.constructor.name}[${dims.join(',')}]=${Array.from(data as ArrayLike<number | bigint>, String).join(',')}`;
    const known = this.#constants.get(key);
    if (known !== undefined) return known;
    const name = `const_${this.#constants.size}`;
    this.initializer(name, dims, data);
    this.#constants.set(key, name);
    return name;
  }

  /** Append `opType(inputs)` with one output; returns the output's name (or uses `output`). */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    output?: string,
  ): string {
    return this.opN(opType, inputs, 1, attributes, output === undefined ? undefined : [output])[0]!;
  }

  /** Append a node with `count` outputs; returns their names. */
  opN(
    opType: string,
    inputs: readonly string[],
    count: number,
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
    outputs?: readonly string[],
  ): string[] {
    const id = this.#counter++;
    const base = `${this.scope === '' ? '' : `${this.scope}/`}${opType}_${id}`;
    const names =
      outputs ?? Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}:${i}`));
    if (names.length !== count) {
      throw new InvalidGraphError(
        `node ${base}`,
        `${names.length} output names for ${count} outputs.`,
      );
    }
    this.#nodes.push({ opType, inputs: [...inputs], outputs: [...names], name: base, attributes });
    return [...names];
  }

  /** The graph so far. */
  build(): OnnxGraph {
    return {
      name: this.name,
      nodes: [...this.#nodes],
      initializers: [...this.#initializers],
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
    };
  }
}
