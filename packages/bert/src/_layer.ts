// One BERT encoder layer as a single differentiable op with a hand-written backward pass
// (internal). The tape then holds one entry per layer instead of ~40, and the layer keeps only
// what its backward pass reads (≈ 9·H + 2·heads·T + 2·I floats a token with dropout, see
// `savedFloatsPerToken`, against ≈ 29 k when each small op saved its own inputs), so an e5-small step at batch 32 fits the wasm heap without
// gradient checkpointing. With `checkpoint` it keeps only its input and re-runs this forward pass
// in the backward pass (no nested tf.grads). `_layer.test.ts` checks both against TF.js autodiff
// of the same layer written with plain ops, dropout included; the tiny-bert PyTorch gradients
// check them end to end.
import * as tf from '@tensorflow/tfjs-core';
import type { LayerWeights } from './_weights.js';
import { batchedProduct, layerNormBackward, normalise, sumRows, swapLast } from './_ops.js';

/** The shape and settings of a layer call. */
export interface LayerSpec {
  /** Sequences in the batch. */
  readonly batch: number;
  /** Tokens per sequence. */
  readonly length: number;
  readonly heads: number;
  readonly eps: number;
  readonly activation: 'gelu' | 'relu';
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  /** Dropout seed of the layer (masks k = 1, 2, 3 use `seed + k`); undefined: no dropout. */
  readonly seed: number | undefined;
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The multiplier `tf.dropout(x, rate, undefined, seed)` applies to `x` (the same expression, so
 * the masks are those of tf.dropout), or undefined when there is no dropout.
 */
export function dropoutMask(
  shape: number[],
  rate: number,
  seed: number | undefined,
): tf.Tensor | undefined {
  if (seed === undefined || rate === 0) return undefined;
  const keep = 1 - rate;
  return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep);
}

const times = (x: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor =>
  mask === undefined ? x : tf.mul(x, mask);

/** Φ(inter) = 0.5 · (1 + erf(x/√2)) for GELU (kept for its backward pass), undefined for ReLU. */
function geluCdf(inter: tf.Tensor2D, kind: LayerSpec['activation']): tf.Tensor2D | undefined {
  return kind === 'relu'
    ? undefined
    : tf.mul<tf.Tensor2D>(tf.add(tf.erf(tf.mul(inter, INV_SQRT2)), 1), 0.5);
}

/** The FFN activation of `inter` from its Φ: GELU's `x · Φ(x)`, or ReLU when there is no Φ. */
function activated(inter: tf.Tensor2D, cdf: tf.Tensor2D | undefined): tf.Tensor2D {
  return cdf === undefined ? tf.relu(inter) : tf.mul(inter, cdf);
}

/** `dAct` back through the activation: GELU's `Φ(x) + x·φ(x)`, or ReLU's step. */
function activationGrad(
  dAct: tf.Tensor2D,
  inter: tf.Tensor2D,
  cdf: tf.Tensor2D | undefined,
): tf.Tensor2D {
  if (cdf === undefined) return tf.mul(dAct, tf.step(inter));
  const pdf = tf.mul(tf.exp(tf.mul(tf.square(inter), -0.5)), INV_SQRT_2PI);
  return tf.mul(dAct, tf.add(cdf, tf.mul(inter, pdf)));
}

/** What the backward pass reads (masks absent without dropout). */
interface Saved {
  readonly x: tf.Tensor2D;
  readonly bias: tf.Tensor4D;
  readonly qh: tf.Tensor4D; // [B, heads, T, d]
  readonly kT: tf.Tensor4D; // [B, heads, d, T]
  readonly vh: tf.Tensor4D; // [B, heads, T, d]
  readonly probs: tf.Tensor4D; // softmax, before dropout
  readonly maskA: tf.Tensor | undefined;
  readonly context: tf.Tensor2D;
  readonly mask1: tf.Tensor | undefined;
  readonly xhat1: tf.Tensor2D;
  readonly rstd1: tf.Tensor2D;
  readonly inter: tf.Tensor2D; // before the activation
  readonly cdf: tf.Tensor2D | undefined; // Φ(inter), for GELU
  readonly mask2: tf.Tensor | undefined;
  readonly xhat2: tf.Tensor2D;
  readonly rstd2: tf.Tensor2D;
}

/**
 * Floats a layer keeps per token for its backward pass without checkpointing: the fields of
 * {@link Saved} (`[B, heads, T, T]` tensors count heads·T a token, `[N, 1]` ones 1).
 */
export function savedFloatsPerToken(
  spec: Omit<LayerSpec, 'batch' | 'eps'>,
  hidden: number,
  intermediate: number,
): number {
  const dropout = spec.seed !== undefined;
  const attention = spec.heads * spec.length;
  return (
    7 * hidden + // x, qh, kT, vh, context, xhat1, xhat2
    3 + // rstd1, rstd2, the attention bias
    attention * (dropout && spec.attentionDropout > 0 ? 2 : 1) + // probs, maskA
    intermediate * (spec.activation === 'gelu' ? 2 : 1) + // inter, cdf
    (dropout && spec.hiddenDropout > 0 ? 2 * hidden : 0) // mask1, mask2
  );
}

/** The forward pass: the layer's output and what its backward pass needs. */
function forward(
  x: tf.Tensor2D,
  bias: tf.Tensor4D,
  w: LayerWeights,
  spec: LayerSpec,
): { y: tf.Tensor2D; saved: Saved } {
  const [n, h] = x.shape;
  const { batch: b, length: t, heads, eps, seed } = spec;
  const d = h / heads;
  const scale = 1 / Math.sqrt(d);
  const at = (k: number): number | undefined => (seed === undefined ? undefined : seed + k);
  // 1/√d folded into the query weights (H² values instead of B·T·H).
  const q = tf.fused.matMul({ a: x, b: tf.mul(w.qW, scale), bias: tf.mul(w.qB, scale) });
  const k = tf.fused.matMul({ a: x, b: w.kW, bias: w.kB });
  const v = tf.fused.matMul({ a: x, b: w.vW, bias: w.vB });
  // Rank-4 transposes only (wasm's rank-5 transpose is slow); k goes straight to [B, heads, d, T].
  const qh = tf.transpose(tf.reshape<tf.Rank.R4>(q, [b, t, heads, d]), [0, 2, 1, 3]);
  const kT = tf.transpose(tf.reshape<tf.Rank.R4>(k, [b, t, heads, d]), [0, 2, 3, 1]);
  const vh = tf.transpose(tf.reshape<tf.Rank.R4>(v, [b, t, heads, d]), [0, 2, 1, 3]);
  const probs = tf.softmax(tf.add(batchedProduct(qh, kT), bias)) as tf.Tensor4D;
  const maskA = dropoutMask(probs.shape, spec.attentionDropout, at(3));
  const contextH = batchedProduct(times(probs, maskA), vh);
  const context = tf.reshape<tf.Rank.R2>(tf.transpose(contextH, [0, 2, 1, 3]), [n, h]);
  const mask1 = dropoutMask([n, h], spec.hiddenDropout, at(1));
  const attnOut = tf.fused.matMul({ a: context, b: w.attnOutW, bias: w.attnOutB });
  const n1 = normalise(tf.add<tf.Tensor2D>(x, times(attnOut, mask1)), eps);
  const x1 = tf.add<tf.Tensor2D>(tf.mul(n1.xhat, w.attnLnG), w.attnLnB);
  const inter = tf.fused.matMul({ a: x1, b: w.interW, bias: w.interB }) as tf.Tensor2D;
  const cdf = geluCdf(inter, spec.activation);
  const mask2 = dropoutMask([n, h], spec.hiddenDropout, at(2));
  const out = tf.fused.matMul({ a: activated(inter, cdf), b: w.outW, bias: w.outB });
  const n2 = normalise(tf.add<tf.Tensor2D>(x1, times(out, mask2)), eps);
  const y = tf.add<tf.Tensor2D>(tf.mul(n2.xhat, w.outLnG), w.outLnB);
  const saved: Saved = {
    x,
    bias,
    qh,
    kT,
    vh,
    probs,
    maskA,
    context,
    mask1,
    xhat1: n1.xhat,
    rstd1: n1.rstd,
    inter,
    cdf,
    mask2,
    xhat2: n2.xhat,
    rstd2: n2.rstd,
  };
  return { y, saved };
}

/** Gradients of the layer input and of every layer weight, for the output gradient `dy`. */
function backward(
  dy: tf.Tensor2D,
  s: Saved,
  w: LayerWeights,
  spec: LayerSpec,
): { dx: tf.Tensor2D; dw: Record<keyof LayerWeights, tf.Tensor> } {
  const [n, h] = s.x.shape;
  const { batch: b, length: t, heads } = spec;
  const d = h / heads;
  const scale = 1 / Math.sqrt(d);
  // Three blocks, each in its own tidy, so the temporaries of one ([N, I] and [B, heads, T, T]
  // tensors) are freed before the next allocates its own.
  // Output LayerNorm and the FFN.
  const ffn = tf.tidy(() => {
    const ds2 = layerNormBackward(dy, s.xhat2, s.rstd2, w.outLnG);
    const dOut = times(ds2, s.mask2) as tf.Tensor2D;
    const outW = tf.matMul(swapLast(activated(s.inter, s.cdf)), dOut);
    const dAct = tf.matMul<tf.Tensor2D>(dOut, swapLast(w.outW));
    const dInter = activationGrad(dAct, s.inter, s.cdf);
    const x1 = tf.add<tf.Tensor2D>(tf.mul(s.xhat1, w.attnLnG), w.attnLnB);
    return {
      dx1: tf.add<tf.Tensor2D>(ds2, tf.matMul(dInter, swapLast(w.interW))),
      interW: tf.matMul(swapLast(x1), dInter),
      interB: sumRows(dInter),
      outW,
      outB: sumRows(dOut),
      outLnG: sumRows(tf.mul(dy, s.xhat2)),
      outLnB: sumRows(dy),
    };
  });
  // Attention LayerNorm and output projection.
  const { dx1 } = ffn;
  const ds1 = layerNormBackward(dx1, s.xhat1, s.rstd1, w.attnLnG);
  const dAttnOut = times(ds1, s.mask1) as tf.Tensor2D;
  const dContext = tf.matMul(dAttnOut, swapLast(w.attnOutW));
  // Attention: every product without transpose flags, the large [T, T] blocks never transposed.
  const attention = tf.tidy(() => {
    const dContextH = tf.transpose(tf.reshape(dContext, [b, t, heads, d]), [0, 2, 1, 3]);
    const dDropped = batchedProduct(dContextH, swapLast(s.vh)); // [B, heads, T, T]
    // dv = pdᵀ·dContext and dk = dScoresᵀ·q, not (dContextᵀ·pd)ᵀ and (qᵀ·dScores)ᵀ: XNNPACK packs
    // the right-hand operand of each product, and packing a [T, d] block instead of a [T, T] one
    // more than pays for the transposes (wasm, `[384×32×128]·[384×128×128]`: 2.2× faster).
    const dvh = batchedProduct(swapLast(times(s.probs, s.maskA)), dContextH); // [B, heads, T, d]
    const dProbs = times(dDropped, s.maskA);
    const dScores = tf.mul(s.probs, tf.sub(dProbs, tf.sum(tf.mul(dProbs, s.probs), -1, true)));
    const dqh = batchedProduct(dScores, swapLast(s.kT)); // [B, heads, T, d]
    const dkh = batchedProduct(swapLast(dScores), s.qh); // [B, heads, T, d]
    const merge = (g: tf.Tensor): tf.Tensor2D =>
      tf.reshape<tf.Rank.R2>(tf.transpose(g, [0, 2, 1, 3]), [n, h]);
    return { dq: merge(dqh), dk: merge(dkh), dv: merge(dvh) };
  });
  const { dq, dk, dv } = attention;
  const xT = swapLast(s.x);
  const dx = tf.addN([
    ds1,
    tf.matMul(dq, swapLast(tf.mul<tf.Tensor2D>(w.qW, scale))),
    tf.matMul(dk, swapLast(w.kW)),
    tf.matMul(dv, swapLast(w.vW)),
  ]) as tf.Tensor2D;
  const dw: Record<keyof LayerWeights, tf.Tensor> = {
    qW: tf.mul(tf.matMul(xT, dq), scale),
    qB: tf.mul(sumRows(dq), scale),
    kW: tf.matMul(xT, dk),
    kB: sumRows(dk),
    vW: tf.matMul(xT, dv),
    vB: sumRows(dv),
    attnOutW: tf.matMul(swapLast(s.context), dAttnOut),
    attnOutB: sumRows(dAttnOut),
    attnLnG: sumRows(tf.mul(dx1, s.xhat1)),
    attnLnB: sumRows(dx1),
    interW: ffn.interW,
    interB: ffn.interB,
    outW: ffn.outW,
    outB: ffn.outB,
    outLnG: ffn.outLnG,
    outLnB: ffn.outLnB,
  };
  return { dx, dw };
}

/** The gradient list in the op's input order: `x`, then the weights in `w`'s own key order. */
function gradientList(w: LayerWeights, { dx, dw }: ReturnType<typeof backward>): tf.Tensor[] {
  return [dx, ...(Object.keys(w) as (keyof LayerWeights)[]).map((key) => dw[key])];
}

/**
 * The layer on `x` [B·T, H] with additive attention `bias` [B, 1, 1, T] (0 for a real token,
 * a large negative number for padding). Differentiable in `x` and in every variable of `w`.
 * `checkpoint`: keep only `x` for the backward pass and recompute the rest there.
 */
export function encoderLayer(
  x: tf.Tensor2D,
  bias: tf.Tensor4D,
  w: LayerWeights,
  spec: LayerSpec,
  checkpoint: boolean,
): tf.Tensor2D {
  const variables = Object.values(w as unknown as Record<string, tf.Variable>);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const xi = args[0] as tf.Tensor2D;
    const { y, saved } = forward(xi, bias, w, spec);
    const kept = (Object.keys(saved) as (keyof Saved)[]).filter((key) => saved[key] !== undefined);
    save(checkpoint ? [xi, bias] : kept.map((key) => saved[key]!));
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, tensors: tf.Tensor[]) =>
        tf.tidy(() => {
          if (checkpoint) {
            const [xs, biasSaved] = tensors as [tf.Tensor2D, tf.Tensor4D];
            return gradientList(
              w,
              backward(dy as tf.Tensor2D, forward(xs, biasSaved, w, spec).saved, w, spec),
            );
          }
          const restored = Object.fromEntries(kept.map((key, i) => [key, tensors[i]])) as unknown;
          return gradientList(w, backward(dy as tf.Tensor2D, restored as Saved, w, spec));
        }),
    };
  });
  return op(x, ...variables);
}
