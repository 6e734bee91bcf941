import type { JudgedRanking } from './_judge.js';

/** Number of relevant docs in the top `k` (hits@k). */
export function hitsAt(judged: JudgedRanking, k: number): number {
  const n = Math.min(k, judged.gains.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (judged.gains[i]! > 0) hits++;
  return hits;
}
