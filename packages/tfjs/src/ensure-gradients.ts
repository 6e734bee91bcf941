// tfjs-core's Node entry point registers no gradients (only its bundler-only ESM file
// dist/register_all_gradients.js does, and Node cannot import that: its specifiers lack file
// extensions). The union package @tensorflow/tfjs registers all of them in its Node bundle.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Make sure the gradients of tfjs's built-in kernels are registered (idempotent, cheap once
 * done). Importing `@tensorflow/tfjs` registers backends too, but this keeps the active one.
 *
 * @example
 * ```ts
 * await ensureGradients();
 * tf.grads((x) => tf.sum(x))([tf.ones([2])]); // works: Sum has its gradient
 * ```
 */
export async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Sum') !== undefined) return;
  const active = tf.engine().backendName;
  await import('@tensorflow/tfjs');
  if (active != null && tf.getBackend() !== active) await tf.setBackend(active);
}
