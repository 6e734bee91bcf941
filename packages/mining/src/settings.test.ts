import { describe, expect, it } from 'vitest';
import { InvalidMiningOptionError } from './errors.js';
import { checkFormat, resolveMiningSettings, type HardNegativeOptions } from './settings.js';
import { thrown } from './_test-errors.js';

describe('resolveMiningSettings', () => {
  it('fills the defaults', () => {
    // rangeMax = rangeMin 0 + 1·numNegatives 3 + maxPositives 2 = 5; candidates 5 + 2 = 7
    expect(resolveMiningSettings({}, 2)).toEqual({
      rangeMin: 0,
      rangeMax: 5,
      absoluteMargin: undefined,
      relativeMargin: undefined,
      maxScore: undefined,
      minScore: undefined,
      numNegatives: 3,
      sampling: 'top',
      seed: 42,
      maxPositives: 2,
      candidatesPerQuery: 7,
    });
  });

  it('accepts the bounds: the largest seed, minScore equal to maxScore', () => {
    const s = resolveMiningSettings({ seed: 4294967295, minScore: 0.5, maxScore: 0.5 }, 1);
    expect(s.seed).toBe(4294967295);
    expect([s.minScore, s.maxScore]).toEqual([0.5, 0.5]);
    // maxScore set: rangeMax = 0 + 10·3 + 1 = 31
    expect(s.rangeMax).toBe(31);
    expect(resolveMiningSettings({ seed: 0, rangeMin: 0 }, 1).seed).toBe(0);
  });

  // Messages: `<where>: option <option> must be <expected>, received <value>.`
  it.each<{ case: string; options: HardNegativeOptions; option: string; message: string }>([
    {
      case: 'a negative rangeMin',
      options: { rangeMin: -1 },
      option: 'rangeMin',
      message: 'option rangeMin must be an integer ≥ 0, received -1.',
    },
    {
      case: 'a fractional numNegatives',
      options: { numNegatives: 1.5 },
      option: 'numNegatives',
      message: 'option numNegatives must be an integer ≥ 1, received 1.5.',
    },
    {
      case: 'a rangeMax not above rangeMin',
      options: { rangeMin: 4, rangeMax: 4 },
      option: 'rangeMax',
      message: 'option rangeMax must be an integer ≥ 5, received 4.',
    },
    {
      case: 'a seed past 2^32 - 1',
      options: { seed: 4294967296 },
      option: 'seed',
      message: 'option seed must be an integer in [0, 4294967295], received 4294967296.',
    },
    {
      case: 'a seed that is not a number',
      options: { seed: '7' as never },
      option: 'seed',
      message: 'option seed must be an integer in [0, 4294967295], received "7".',
    },
    {
      case: 'a NaN absoluteMargin',
      options: { absoluteMargin: NaN },
      option: 'absoluteMargin',
      message: 'option absoluteMargin must be a finite number (or unset), received NaN.',
    },
    {
      case: 'a relativeMargin that is not a number',
      options: { relativeMargin: '0.1' as never },
      option: 'relativeMargin',
      message: 'option relativeMargin must be a finite number (or unset), received "0.1".',
    },
    {
      case: 'an infinite maxScore',
      options: { maxScore: Infinity },
      option: 'maxScore',
      message: 'option maxScore must be a finite number (or unset), received Infinity.',
    },
    {
      case: 'an infinite minScore',
      options: { minScore: -Infinity },
      option: 'minScore',
      message: 'option minScore must be a finite number (or unset), received -Infinity.',
    },
    {
      case: 'an unknown sampling',
      options: { sampling: 'best' as never },
      option: 'sampling',
      message: 'option sampling must be one of top, random, received "best".',
    },
    {
      // window = rangeMax 4 − rangeMin 2 = 2 < 3 negatives
      case: 'more negatives than the window holds',
      options: { rangeMin: 2, rangeMax: 4, numNegatives: 3 },
      option: 'numNegatives',
      message:
        'option numNegatives must be at most the window rangeMax − rangeMin = 4 − 2 = 2, received 3.',
    },
    {
      case: 'a minScore above maxScore',
      options: { minScore: 0.5, maxScore: 0.25 },
      option: 'minScore',
      message: 'option minScore must be ≤ maxScore (0.25), received 0.5.',
    },
  ])('rejects $case', ({ options, option, message }) => {
    const error = thrown(() => resolveMiningSettings(options, 1));
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option });
    expect((error as Error).message).toBe(`mineHardNegatives: ${message}`);
  });

  it('names the caller given as where', () => {
    const error = thrown(() => resolveMiningSettings({ rangeMin: -2 }, 1, 'mineFromEmbeddings'));
    expect((error as Error).message).toBe(
      'mineFromEmbeddings: option rangeMin must be an integer ≥ 0, received -2.',
    );
  });
});

describe('checkFormat', () => {
  it('defaults to triplet and keeps a valid format', () => {
    expect(checkFormat(undefined, 'here')).toBe('triplet');
    expect(checkFormat('ntuple', 'here')).toBe('ntuple');
  });

  it('rejects an unknown format, listing the valid ones', () => {
    const error = thrown(() => checkFormat('tsv', 'mineRandomNegatives'));
    expect(error).toBeInstanceOf(InvalidMiningOptionError);
    expect(error).toMatchObject({ code: 'ERR_MINING_INVALID_OPTION', option: 'format' });
    expect((error as Error).message).toBe(
      'mineRandomNegatives: option format must be one of triplet, ntuple, received "tsv".',
    );
  });
});
