import type { OnnxGraphBuilder } from './graph-builder.js';
import { attribute, TensorDataType } from './model.js';

/** A float tensor as int8 values and one scale: `w ≈ scale · q`. */
export interface QuantizedInt8 {
  readonly values: Int8Array;
  readonly scale: number;
}

/**
 * Symmetric per-tensor int8 quantisation (ONNX Runtime's `quantize_dynamic` default for
 * weights): `scale = max|w| / 127`, `q = round(w / scale)` in [−127, 127], zero point 0. An
 * all-zero tensor gets scale 1.
 *
 * @example
 * ```ts
 * const { values, scale } = quantizeInt8(Float32Array.of(0.5, -1, 0.25));
 * console.log([...values], scale.toFixed(5)); // [ 64, -127, 32 ] 0.00787
 * ```
 */
export function quantizeInt8(data: Float32Array): QuantizedInt8 {
  let max = 0;
  for (const v of data) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    values[i] = Math.max(-127, Math.min(127, Math.round(data[i]! / scale)));
  }
  return { values, scale };
}

/**
 * Append `x · W` with `W` quantised to int8 and `x` quantised per call (dynamic quantisation, the
 * pattern ONNX Runtime's `quantize_dynamic` writes and fuses): `DynamicQuantizeLinear(x)` →
 * uint8 `x_q`, scale, zero point; `MatMulInteger(x_q, W_q, x_zp, 0)` → int32; `Cast` to float;
 * times `x_scale · W_scale`. Operators of opset ≥ 11. Returns the output's name.
 *
 * @param weight - `W` as [in, out], row-major.
 * @example
 * ```ts
 * const g = new OnnxGraphBuilder('q8');
 * const x = g.input('x', TensorDataType.FLOAT, ['n', 2]);
 * const y = quantizedMatMul(g, x, 'w', Float32Array.of(1, 0, 0, 1), [2, 2]);
 * console.log(g.build().nodes.map((n) => n.opType).join(' ')); // DynamicQuantizeLinear MatMulInteger Cast Mul Mul
 * void y;
 * ```
 */
export function quantizedMatMul(
  builder: OnnxGraphBuilder,
  x: string,
  name: string,
  weight: Float32Array,
  dims: readonly [number, number],
): string {
  const { values, scale } = quantizeInt8(weight);
  const wq = builder.initializer(`${name}_quantized`, dims, values);
  const wzp = builder.initializer(`${name}_zero_point`, [], Int8Array.of(0));
  const wscale = builder.initializer(`${name}_scale`, [], Float32Array.of(scale));
  const [xq, xscale, xzp] = builder.opN('DynamicQuantizeLinear', [x], 3) as [
    string,
    string,
    string,
  ];
  const acc = builder.op('MatMulInteger', [xq, wq, xzp, wzp]);
  const asFloat = builder.op('Cast', [acc], { to: attribute.int(TensorDataType.FLOAT) });
  const both = builder.op('Mul', [xscale, wscale]);
  return builder.op('Mul', [asFloat, both]);
}
