// Test helper (not built, not exported): PyTorch AdamW + clip_grad_norm_ goldens from
// scripts/make_adamw_golden.py (see fixtures/README.md).
import { readFileSync } from 'node:fs';

type Nested = number | Nested[];

export interface GoldenStep {
  grads: Record<string, Nested>;
  norm: number;
  clipped: Record<string, Nested>;
  lr: number;
  params: Record<string, Nested>;
}

export interface AdamWGolden {
  base_lr: number;
  weight_decay: number;
  max_norm: number;
  warmup_steps: number;
  total_steps: number;
  betas: [number, number];
  eps: number;
  no_decay: string[];
  shapes: Record<string, number[]>;
  initial: Record<string, Nested>;
  steps: GoldenStep[];
}

export const golden = JSON.parse(
  readFileSync(new URL('../fixtures/adamw-golden.json', import.meta.url), 'utf8'),
) as AdamWGolden;

/** Flattens a nested list of numbers. */
export function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}
