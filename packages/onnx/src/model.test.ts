import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from './graph-builder.js';
import { InvalidGraphError } from './errors.js';
import { attribute, encodeModel, tensorProto, TensorDataType } from './model.js';
import { quantizedMatMul, quantizeInt8 } from './quantize.js';

const { FLOAT, INT64 } = TensorDataType;
const opts = { opsetVersion: 14, producerName: 'test' } as const;

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('encodeModel', () => {
  it('writes a graph ONNX Runtime runs: initializers, int/ints/float attributes, negative ints', async () => {
    const g = new OnnxGraphBuilder('t');
    const x = g.input('x', FLOAT, ['n', 2, 3]);
    const w = g.initializer('w', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6));
    const y = g.op('MatMul', [x, w]); // [n, 2, 2]
    const t = g.op('Transpose', [y], { perm: attribute.ints([0, 2, 1]) });
    const s = g.op('Softmax', [t], { axis: attribute.int(-1) });
    const half = g.op('Mul', [s, g.constant([], Float32Array.of(0.5))]);
    const lr = g.op('LeakyRelu', [g.op('Sub', [half, g.constant([], Float32Array.of(1))])], {
      alpha: attribute.float(0.25),
    });
    const shape = g.op('Shape', [lr]);
    g.output(lr, FLOAT, ['n', 2, 2]);
    g.output(g.op('Identity', [shape], {}, 'shape'), INT64, [3]);
    const bytes = encodeModel(g.build(), opts);
    const input = Float32Array.from({ length: 6 }, (_, i) => i / 10);
    const out = await run(bytes, { x: new ort.Tensor('float32', input, [1, 2, 3]) });
    // Reference in plain JS.
    const mm = [0, 1].map((r) =>
      [0, 1].map((c) =>
        [0, 1, 2].reduce((a, k) => a + input[r * 3 + k]! * [1, 2, 3, 4, 5, 6][k * 2 + c]!, 0),
      ),
    );
    const tr = [0, 1].map((r) => [0, 1].map((c) => mm[c]![r]!));
    const sm = tr.map((row) => {
      const e = row.map(Math.exp);
      const z = e[0]! + e[1]!;
      return e.map((v) => v / z);
    });
    const want = sm.flat().map((v) => {
      const u = v * 0.5 - 1;
      return u < 0 ? 0.25 * u : u;
    });
    const got = [...(out[lr]!.data as Float32Array)];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    expect([...(out['shape']!.data as BigInt64Array)]).toEqual([1n, 2n, 2n]);
  });

  it('shares equal constants and keeps the graph in order', () => {
    const g = new OnnxGraphBuilder('c');
    expect(g.constant([], Float32Array.of(2))).toBe(g.constant([], Float32Array.of(2)));
    expect(g.constant([], Float32Array.of(2))).not.toBe(g.constant([1], Float32Array.of(2)));
    expect(g.constant([1], BigInt64Array.of(2n))).not.toBe(g.constant([1], Float32Array.of(2)));
  });

  it('refuses data that does not fill its dims, bad dims, duplicate names, undefined inputs and outputs', () => {
    expect(() => tensorProto('w', [2, 2], Float32Array.of(1, 2, 3))).toThrow(
      /tensor "w": 3 values for dims \[2, 2\]/,
    );
    expect(() => tensorProto('w', [1.5], new Float32Array(1))).toThrow(InvalidGraphError);
    const base = {
      name: 'g',
      initializers: [],
      inputs: [{ name: 'x', elemType: FLOAT, dims: ['n'] }],
      outputs: [{ name: 'y', elemType: FLOAT, dims: ['n'] }],
    } as const;
    expect(() =>
      encodeModel({ ...base, nodes: [{ opType: 'Relu', inputs: ['z'], outputs: ['y'] }] }, opts),
    ).toThrow(/node 0 \(Relu\): reads "z", which no input/);
    expect(() =>
      encodeModel({ ...base, nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['x'] }] }, opts),
    ).toThrow(/"x" is defined twice/);
    expect(() =>
      encodeModel({ ...base, nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['w'] }] }, opts),
    ).toThrow(/output "y": is not produced/);
  });
});

describe('quantizeInt8 and quantizedMatMul', () => {
  it('rounds to the nearest of 255 symmetric levels; zero tensors get scale 1', () => {
    const { values, scale } = quantizeInt8(Float32Array.of(0.5, -1, 0.25, 0));
    expect(scale).toBeCloseTo(1 / 127, 9);
    expect([...values]).toEqual([64, -127, 32, 0]);
    expect(quantizeInt8(new Float32Array(3)).scale).toBe(1);
  });

  it('runs in ONNX Runtime within the quantisation error of the float product', async () => {
    const g = new OnnxGraphBuilder('q');
    const x = g.input('x', FLOAT, ['n', 4]);
    const w = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const y = quantizedMatMul(g, x, 'w', w, [4, 3]);
    g.output(y, FLOAT, ['n', 3]);
    const input = Float32Array.of(0.3, -0.7, 0.1, 0.9, -0.2, 0.4, 0.8, -0.5);
    const out = await run(encodeModel(g.build(), opts), {
      x: new ort.Tensor('float32', input, [2, 4]),
    });
    const got = out[y]!.data as Float32Array;
    let worst = 0;
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) {
        let exact = 0;
        for (let k = 0; k < 4; k++) exact += input[r * 4 + k]! * w[k * 3 + c]!;
        worst = Math.max(worst, Math.abs(exact - got[r * 3 + c]!));
      }
    }
    expect(worst).toBeGreaterThan(0); // it really is quantised
    expect(worst).toBeLessThan(0.03);
  });
});
