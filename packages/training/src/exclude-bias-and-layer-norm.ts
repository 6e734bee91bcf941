/**
 * The default weight-decay exclusion of {@link AdamW}: true for biases and LayerNorm parameters,
 * which is what Hugging Face's `Trainer` (and BERT's original recipe) leave undecayed.
 *
 * Matches, in any case, a name containing `LayerNorm` or `layer_norm`, a name whose last segment
 * (split on `.` and `/`) is `bias`, `beta` or `gamma` (TF-style LayerNorm names in old checkpoints),
 * or a name with a segment `ln`, `ln1`, `ln_2`, `ln_f` (GPT-style names). Pass your own predicate
 * to {@link AdamW} when your names follow another convention.
 *
 * @param name - A variable name, e.g. `"encoder.layer.0.output.LayerNorm.weight"`.
 * @returns true when weight decay must not apply to the variable.
 *
 * @example
 * ```ts
 * excludeBiasAndLayerNorm('encoder.layer.0.output.dense.bias'); // true
 * excludeBiasAndLayerNorm('encoder.layer.0.output.LayerNorm.weight'); // true
 * excludeBiasAndLayerNorm('encoder.layer.0.output.dense.weight'); // false
 * ```
 */
export function excludeBiasAndLayerNorm(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.includes('layernorm') || lower.includes('layer_norm')) return true;
  const segments = lower.split(/[./]/);
  const last = segments[segments.length - 1] ?? '';
  return (
    last === 'bias' ||
    last === 'beta' ||
    last === 'gamma' ||
    segments.some((s) => /^ln(_?\d+|_f)?$/.test(s))
  );
}
