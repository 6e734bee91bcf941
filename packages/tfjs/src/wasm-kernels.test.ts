// The one-pass GELU kernels of the wasm backend against a float64 reference computed here.
import * as tf from '@tensorflow/tfjs-core';
import { tensorsLeaked } from '@rtk/test-utils/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsInternalsError } from './errors.js';
import { selectBackend } from './select-backend.js';
import { prepareWasmBackend, wasmGelu, wasmGeluGrad } from './wasm-kernels.js';

/**
 * Φ(x) in float64, independently of the kernel: erf by its Taylor series for |z| ≤ 3 (z = x/√2;
 * terms fall below 1e-17 well before the cap) and erfc by its continued fraction beyond.
 */
function referenceCdf(x: number): number {
  const z = x / Math.SQRT2;
  if (Math.abs(z) <= 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(a) = exp(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …)))), a = |z|, evaluated bottom-up.
  const a = Math.abs(z);
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return z > 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

const POINTS = [
  ...Array.from({ length: 2001 }, (_, i) => -10 + i / 100),
  -50,
  -7.5,
  -0.3,
  1e-8,
  0,
  30,
  50,
];

describe('wasm GELU kernels', () => {
  beforeAll(async () => {
    await selectBackend({ prefer: ['wasm'] });
    prepareWasmBackend();
  });

  it('the reference is Φ: symmetric, Φ(0) = 0.5, Φ(1) = 0.8413447460685429', () => {
    expect(referenceCdf(0)).toBe(0.5);
    expect(referenceCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(referenceCdf(-5) + referenceCdf(5)).toBeCloseTo(1, 14);
    expect(referenceCdf(5)).toBeCloseTo(0.9999997133484281, 14);
  });

  it('wasmGelu gives x·Φ(x) and Φ(x) to float32 precision, tails included', () => {
    const x = tf.tensor1d(POINTS);
    const { value, cdf } = wasmGelu(x);
    const values = value.dataSync();
    const cdfs = cdf.dataSync();
    const cdfOff = POINTS.filter((p, i) => !(Math.abs(cdfs[i]! - referenceCdf(p)) <= 2e-7));
    const valueOff = POINTS.filter(
      (p, i) => !(Math.abs(values[i]! - p * referenceCdf(p)) <= 2e-7 * Math.max(1, Math.abs(p))),
    );
    expect({ cdfOff, valueOff }).toEqual({ cdfOff: [], valueOff: [] });
    expect(value.shape).toEqual([POINTS.length]);
    tf.dispose([x, value, cdf]);
  });

  it('wasmGeluGrad gives dy·(Φ(x) + x·φ(x))', () => {
    const x = tf.tensor2d(POINTS.slice(0, 2000), [40, 50]);
    const dy = tf.tensor2d(
      POINTS.slice(0, 2000).map((_, i) => Math.sin(i)),
      [40, 50],
    );
    const { value, cdf } = wasmGelu(x);
    const grad = wasmGeluGrad(dy, x, cdf);
    const got = grad.dataSync();
    const off = POINTS.slice(0, 2000).filter((p, i) => {
      const pdf = Math.exp(-0.5 * p * p) / Math.sqrt(2 * Math.PI);
      const expected = Math.sin(i) * (referenceCdf(p) + p * pdf);
      return !(Math.abs(got[i]! - expected) <= 1e-6);
    });
    expect(off).toEqual([]);
    expect(grad.shape).toEqual([40, 50]);
    expect(tensorsLeaked(() => tf.dispose(wasmGeluGrad(dy, x, cdf)), 1)).toBe(0);
    tf.dispose([x, dy, value, cdf, grad]);
  });

  it('NaN stays NaN; both kernels refuse another backend by name', async () => {
    const nan = tf.tensor1d([Number.NaN]);
    const { value, cdf } = wasmGelu(nan);
    expect(Number.isNaN(value.dataSync()[0])).toBe(true);
    tf.dispose([nan, value, cdf]);
    await selectBackend({ prefer: ['cpu'] });
    const x = tf.tensor1d([1]);
    expect(() => wasmGelu(x)).toThrow(TfjsInternalsError);
    expect(() => wasmGelu(x)).toThrow(/wasmGelu.*active backend is cpu/);
    expect(() => wasmGeluGrad(x, x, x)).toThrow(/wasmGeluGrad.*active backend is cpu/);
    x.dispose();
  });
});
