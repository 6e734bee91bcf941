// Gradient calls that stay leak-free when the function throws. TF.js keeps the tensors a recorded
// forward pass saved for the backward pass on its tape until that backward pass runs; when `f`
// throws, the backward pass never runs and those tensors stay allocated for good. So `f`'s error
// is caught inside the recorded function, which returns a zero connected to the inputs through
// one cheap op instead; the (tiny) backward pass then runs and frees the tape, and the error is
// rethrown.
import * as tf from '@tensorflow/tfjs-core';

type Failure = { readonly error: unknown } | undefined;

/** `tf.variableGrads(f, variables)`; when `f` throws, frees what it made and rethrows. */
export function guardedVariableGrads(
  f: () => tf.Scalar,
  variables: readonly tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  let failure: Failure;
  const out = tf.variableGrads(() => {
    try {
      return f();
    } catch (error) {
      failure = { error };
      return tf.mul<tf.Scalar>(tf.sum(variables[0]!), 0);
    }
  }, variables as tf.Variable[]);
  return settle(out, failure);
}

/** `tf.valueAndGrads(f)(xs)`; when `f` throws, frees what it made and rethrows. */
export function guardedValueAndGrads(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: readonly tf.Tensor[],
): { value: tf.Scalar; grads: tf.Tensor[] } {
  let failure: Failure;
  const out = tf.valueAndGrads((...inputs: tf.Tensor[]) => {
    try {
      return f(...inputs);
    } catch (error) {
      failure = { error };
      return tf.mul<tf.Scalar>(tf.addN(inputs.map((x) => tf.sum(x))), 0);
    }
  })([...xs]);
  return settle(out, failure);
}

function settle<T extends tf.TensorContainer>(out: T, failure: Failure): T {
  if (failure === undefined) return out;
  tf.dispose(out);
  throw failure.error;
}
