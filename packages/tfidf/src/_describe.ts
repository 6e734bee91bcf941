// Internal: the pieces of a retriever's name (see the "Names" section of the README):
// `<model>(<non-default or identifying parameters>)+<analyzer>`, one whitespace-free token.
import type { Analyzer } from './types.js';

/** `(a=1,b=x)` from the parameters given, or `''` when there are none. */
export function parameterList(parameters: readonly string[]): string {
  return parameters.length === 0 ? '' : `(${parameters.join(',')})`;
}

/** An analyzer's `description` (whitespace → `_`), or `custom` for a plain function. */
export function describeAnalyzer(analyzer: Analyzer): string {
  const description: unknown = analyzer.description;
  if (typeof description !== 'string' || description.trim() === '') return 'custom';
  return description.trim().replace(/\s+/gu, '_');
}

/** Attaches a description to an analyzer function (read-only, not enumerable). */
export function withDescription(
  analyze: (text: string) => string[],
  description: string,
): Analyzer {
  Object.defineProperty(analyze, 'description', { value: description, enumerable: false });
  return analyze;
}

/** `[min, max]` n-gram range as `min-max`. */
export function ngramText(min: number, max: number): string {
  return `${min}-${max}`;
}
