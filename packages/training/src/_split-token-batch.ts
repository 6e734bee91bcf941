import type { TokenBatch } from '@rtk/bert';

/**
 * Splits a batch into consecutive chunks of at most `rows` rows (the last one may be smaller),
 * as views on the batch's arrays: the mini-batches of gradient caching.
 */
export function splitTokenBatch(batch: TokenBatch, rows: number): TokenBatch[] {
  const out: TokenBatch[] = [];
  for (let start = 0; start < batch.batchSize; start += rows) {
    const n = Math.min(rows, batch.batchSize - start);
    const from = start * batch.length;
    const to = (start + n) * batch.length;
    out.push({
      inputIds: batch.inputIds.subarray(from, to),
      attentionMask: batch.attentionMask.subarray(from, to),
      ...(batch.tokenTypeIds === undefined
        ? {}
        : { tokenTypeIds: batch.tokenTypeIds.subarray(from, to) }),
      batchSize: n,
      length: batch.length,
    });
  }
  return out;
}
