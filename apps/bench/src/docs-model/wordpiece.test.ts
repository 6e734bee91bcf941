import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '@rtk/encoders';
import { bertTokenizerFiles, bertWords, SPECIAL_TOKENS, trainWordPiece } from './wordpiece.js';

describe('bertWords', () => {
  it('lowercases, strips accents and splits punctuation off as BERT does', () => {
    expect(bertWords('Café, os.path.join()!  Naïve\tTEXT')).toEqual([
      'cafe',
      ',',
      'os',
      '.',
      'path',
      '.',
      'join',
      '(',
      ')',
      '!',
      'naive',
      'text',
    ]);
  });
});

describe('trainWordPiece', () => {
  const corpus = ['low lower lowest', 'low lowly newer newest', 'new newer widest'];

  it('puts the special tokens, then the alphabet, then the merges in the order learnt', () => {
    const vocab = trainWordPiece(corpus, { vocabSize: 40, minFrequency: 1 });
    expect(vocab.slice(0, 5)).toEqual([...SPECIAL_TOKENS]);
    // Word-initial characters, then continuing ones, each sorted.
    expect(vocab.slice(5, 8)).toEqual(['l', 'n', 'w']);
    expect(vocab).toContain('##e');
    // 3 initial + 10 continuing characters; then "##o ##w", "##w ##e" and "l ##o" all occur 5
    // times and the tie goes to the pair that sorts first; then "l ##ow" (5) is the most frequent.
    expect(vocab.slice(8, 18)).toEqual([
      '##d',
      '##e',
      '##i',
      '##l',
      '##o',
      '##r',
      '##s',
      '##t',
      '##w',
      '##y',
    ]);
    expect(vocab.slice(18, 20)).toEqual(['##ow', 'low']);
    expect(vocab).toContain('low');
    expect(vocab).toContain('##est');
    expect(vocab.length).toBeLessThanOrEqual(40);
    expect(new Set(vocab).size).toBe(vocab.length);
    // Deterministic.
    expect(trainWordPiece(corpus, { vocabSize: 40, minFrequency: 1 })).toEqual(vocab);
  });

  it('stops at the size asked for, and before merges rarer than minFrequency', () => {
    expect(trainWordPiece(corpus, { vocabSize: 20, minFrequency: 1 })).toHaveLength(20);
    const frequent = trainWordPiece(corpus, { vocabSize: 1000, minFrequency: 3 });
    expect(frequent.length).toBeLessThan(1000);
    expect(frequent).not.toContain('widest');
  });

  it('refuses a size smaller than the special tokens and the alphabet', () => {
    expect(() => trainWordPiece(corpus, { vocabSize: 8, minFrequency: 1 })).toThrow(
      /smaller than the 5 special tokens/,
    );
  });

  it('writes tokenizer files that the encoders load and that spell words with the pieces', async () => {
    const vocab = trainWordPiece(corpus, { vocabSize: 40, minFrequency: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'wordpiece-'));
    for (const [name, text] of Object.entries(bertTokenizerFiles(vocab, 16)))
      await writeFile(join(dir, name), text);
    const tokenizer = await loadTokenizer(dir);
    const batch = tokenizer.encodeBatch(['Lowest NEWER'], { maxLength: 16 });
    const ids = [...batch.inputIds];
    expect(ids[0]).toBe(vocab.indexOf('[CLS]'));
    expect(ids.at(-1)).toBe(vocab.indexOf('[SEP]'));
    // Greedy longest match over the learnt pieces rebuilds both words, no [UNK].
    const pieces = ids.slice(1, -1).map((i) => vocab[i]!);
    expect(pieces.join(' ').replace(/ ##/g, '')).toBe('lowest newer');
    expect(pieces).not.toContain('[UNK]');
  });

  it('refuses tokenizer files whose special tokens are out of place', () => {
    expect(() => bertTokenizerFiles(['a', ...SPECIAL_TOKENS], 16)).toThrow(
      /\[PAD\] must be token 0/,
    );
  });
});
