import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidEncoderOptionError,
  InvalidInputError,
  ModelFileCorruptError,
  ModelFileMissingError,
} from './errors.js';
import { EXPECTED, TINY_BERT_DIR } from './_test-fixture.js';
import { loadTokenizer, type TextTokenizer } from './tokenizer.js';

describe('loadTokenizer', () => {
  let tok: TextTokenizer;
  let scratch: string;
  beforeAll(async () => {
    tok = await loadTokenizer(TINY_BERT_DIR);
    scratch = await mkdtemp(join(tmpdir(), 'rtk-tok-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  // Expected ids: fixtures/tiny-bert/expected.json, from the Python reference tokenizer.
  it.each(EXPECTED.map((s) => [s.text, s.input_ids] as const))(
    'ids of %j match the PyTorch fixture',
    (text, ids) => {
      const b = tok.encodeBatch([text], { maxLength: 512 });
      expect(b.batchSize).toBe(1);
      expect(b.length).toBe(ids.length);
      expect(Array.from(b.inputIds)).toEqual(ids);
      expect(Array.from(b.attentionMask)).toEqual(ids.map(() => 1));
    },
  );

  it('right-pads a batch to its longest row with pad id 0 and mask 0', () => {
    const texts = EXPECTED.map((s) => s.text);
    const b = tok.encodeBatch(texts, { maxLength: 512 });
    const longest = Math.max(...EXPECTED.map((s) => s.input_ids.length));
    expect(b.length).toBe(longest);
    EXPECTED.forEach((s, i) => {
      const row = Array.from(b.inputIds.subarray(i * longest, (i + 1) * longest));
      const mask = Array.from(b.attentionMask.subarray(i * longest, (i + 1) * longest));
      const padding = longest - s.input_ids.length;
      expect(row).toEqual([...s.input_ids, ...Array<number>(padding).fill(0)]);
      expect(mask).toEqual([...s.input_ids.map(() => 1), ...Array<number>(padding).fill(0)]);
    });
  });

  it('truncates to maxLength keeping [CLS] first and [SEP] last', () => {
    const s = EXPECTED[4]!;
    const b = tok.encodeBatch([s.text], { maxLength: 8 });
    expect(b.length).toBe(8);
    expect(Array.from(b.inputIds)).toEqual([...s.input_ids.slice(0, 7), 3]);
  });

  it('reads model_max_length from tokenizer_config.json', () => {
    expect(tok.modelMaxLength).toBe(128);
  });

  it('returns an empty batch for no texts', () => {
    const b = tok.encodeBatch([], { maxLength: 16 });
    expect(b).toEqual({
      inputIds: new Int32Array(0),
      attentionMask: new Int32Array(0),
      batchSize: 0,
      length: 0,
    });
  });

  it.each([2, 1, 0, 2.5, Number.NaN])('rejects maxLength %s', (maxLength) => {
    expect(() => tok.encodeBatch(['a'], { maxLength })).toThrow(InvalidEncoderOptionError);
  });

  it('rejects a non-string text, naming its index', () => {
    const bad = ['ok', undefined] as unknown as string[];
    expect(() => tok.encodeBatch(bad, { maxLength: 16 })).toThrow(
      expect.objectContaining({ code: 'ERR_ENCODERS_INVALID_INPUT', index: 1 }) as Error,
    );
    expect(() => tok.encodeBatch(bad, { maxLength: 16 })).toThrow(InvalidInputError);
  });

  it('names the missing file when tokenizer.json is absent', async () => {
    const dir = join(scratch, 'missing');
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await rm(join(dir, 'tokenizer.json'));
    await expect(loadTokenizer(dir)).rejects.toThrow(ModelFileMissingError);
    await expect(loadTokenizer(dir)).rejects.toMatchObject({
      code: 'ERR_ENCODERS_MODEL_FILE_MISSING',
      path: join(dir, 'tokenizer.json'),
    });
  });

  it.each([
    ['tokenizer.json', '{"model": '],
    ['tokenizer.json', '{"version": "1.0"}'],
    ['tokenizer_config.json', 'not json'],
  ])('names %s when it holds %j', async (file, content) => {
    const dir = await mkdtemp(join(scratch, 'corrupt-'));
    await cp(TINY_BERT_DIR, dir, { recursive: true });
    await writeFile(join(dir, file), content);
    await expect(loadTokenizer(dir)).rejects.toMatchObject({
      code: 'ERR_ENCODERS_MODEL_FILE_CORRUPT',
      path: join(dir, file),
    });
    await expect(loadTokenizer(dir)).rejects.toThrow(ModelFileCorruptError);
  });
});

describe('encodeBatch invariants', () => {
  let tok: TextTokenizer;
  beforeAll(async () => {
    tok = await loadTokenizer(TINY_BERT_DIR);
  });

  // Batching must not change a text's ids: row i is texts[i] encoded alone, then padded.
  // fc.assert inside `it` (rather than test.prop) so the vitest lint rules see the expects.
  it('each row equals the text encoded alone, right-padded, and fits maxLength', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }),
        fc.integer({ min: 3, max: 24 }),
        (texts, maxLength) => {
          const b = tok.encodeBatch(texts, { maxLength });
          expect(b.batchSize).toBe(texts.length);
          expect(b.length).toBeLessThanOrEqual(maxLength);
          texts.forEach((t, i) => {
            const alone = tok.encodeBatch([t], { maxLength });
            const row = b.inputIds.subarray(i * b.length, (i + 1) * b.length);
            const mask = b.attentionMask.subarray(i * b.length, (i + 1) * b.length);
            expect(Array.from(row.subarray(0, alone.length))).toEqual(Array.from(alone.inputIds));
            expect(row.subarray(alone.length).every((id) => id === 0)).toBe(true);
            expect(mask.reduce((s, m) => s + m, 0)).toBe(alone.length);
            expect(row[0]).toBe(2); // [CLS]
            expect(row[alone.length - 1]).toBe(3); // [SEP], kept by truncation
          });
        },
      ),
    );
  });
});
