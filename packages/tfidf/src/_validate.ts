// Internal: option and input checks shared by the public entry points. They run once per call,
// never inside hot loops.

import { InvalidOptionError, InvalidTextError } from './errors.js';
import type { NgramRange } from './types.js';

export function checkNgramRange(value: unknown, where: string): NgramRange {
  if (value === undefined) return [1, 1];
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !Number.isInteger(value[0]) ||
    !Number.isInteger(value[1]) ||
    (value[0] as number) < 1 ||
    (value[0] as number) > (value[1] as number)
  ) {
    throw new InvalidOptionError(
      'ngramRange',
      where,
      'a pair [min, max] of integers with 1 ≤ min ≤ max, e.g. [1, 2]',
      value,
    );
  }
  return [value[0] as number, value[1] as number];
}

export function checkBoolean(
  value: unknown,
  option: string,
  where: string,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidOptionError(option, where, 'true or false', value);
  return value;
}

export function checkOneOf<T extends string>(
  value: unknown,
  option: string,
  where: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(
      option,
      where,
      `one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
      value,
    );
  }
  return value as T;
}

export function checkNumber(
  value: unknown,
  option: string,
  where: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new InvalidOptionError(option, where, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/**
 * A retriever's `name` option. It becomes the TREC run tag (one whitespace-separated field), so
 * it follows `formatTrecRun`'s rule for tags: non-empty, no `\s` character at all.
 */
export function checkName(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || /\s/.test(value)) {
    throw new InvalidOptionError(
      'name',
      where,
      'a non-empty string without whitespace (it is the TREC run tag)',
      value,
    );
  }
  return value;
}

export function checkTexts(texts: unknown, where: string): readonly string[] {
  if (!Array.isArray(texts)) throw new InvalidTextError(where, -1, texts);
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') throw new InvalidTextError(where, i, texts[i]);
  }
  return texts as readonly string[];
}

/** A stop-word option (`'english'`, an iterable of words, or undefined) as a set or undefined. */
export function checkStopWords(
  value: unknown,
  where: string,
  named: Readonly<Record<string, ReadonlySet<string>>>,
): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const expected = `one of ${Object.keys(named)
    .map((k) => `'${k}'`)
    .join(', ')} or an array of words`;
  if (typeof value === 'string') {
    const set = named[value];
    if (set === undefined) throw new InvalidOptionError('stopWords', where, expected, value);
    return set;
  }
  if (value instanceof Set || Array.isArray(value)) {
    const set = new Set<string>();
    for (const w of value as Iterable<unknown>) {
      if (typeof w !== 'string')
        throw new InvalidOptionError('stopWords', where, 'an array of strings', value);
      set.add(w);
    }
    return set;
  }
  throw new InvalidOptionError('stopWords', where, expected, value);
}
