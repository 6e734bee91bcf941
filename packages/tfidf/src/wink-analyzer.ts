import winkNLP, { type ItsFunction } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { ngramText, parameterList, withDescription } from './_describe.js';
import { wordNgrams } from './_ngrams.js';
import { InvalidOptionError } from './errors.js';
import { checkBoolean, checkNgramRange, checkOneOf } from './_validate.js';
import type { Analyzer, NgramRange } from './types.js';

/** Which form of each token a {@link createWinkAnalyzer} analyzer emits. */
export type WinkTermForm = 'surface' | 'stem' | 'lemma';

/** wink-nlp token types (its `its.type`) an analyzer may keep. */
export type WinkTokenType =
  | 'word'
  | 'number'
  | 'punctuation'
  | 'email'
  | 'url'
  | 'mention'
  | 'hashtag'
  | 'emoji'
  | 'emoticon'
  | 'time'
  | 'ordinal'
  | 'currency'
  | 'symbol'
  | 'unit'
  | 'tabCRLF'
  | 'apos'
  | 'alpha'
  | 'decade'
  | 'shortForm'
  | 'quoted_phrase';

/** Options for {@link createWinkAnalyzer}. */
export interface WinkAnalyzerOptions {
  /** Emit lowercased forms (wink's `normal`, which also expands contractions). Default `true`. */
  readonly lowercase?: boolean;
  /** Drop wink-nlp's English stop words (its `stopWordFlag`, judged on the lowercased token). Default `true`. */
  readonly stopWords?: boolean;
  /** `'surface'` (default) keeps the word, `'stem'` the Porter-2 stem, `'lemma'` the lemma (runs POS tagging, slower). */
  readonly form?: WinkTermForm;
  /** Token types to keep, at least one. Default `['word', 'number']` (drops punctuation, emoji, URLs…). */
  readonly keepTypes?: readonly WinkTokenType[];
  /** Word n-gram lengths `[min, max]`, built after filtering, as scikit-learn does. Default `[1, 1]`. */
  readonly ngramRange?: NgramRange;
}

const FORMS: readonly WinkTermForm[] = ['surface', 'stem', 'lemma'];
const TYPES: readonly WinkTokenType[] = [
  'word',
  'number',
  'punctuation',
  'email',
  'url',
  'mention',
  'hashtag',
  'emoji',
  'emoticon',
  'time',
  'ordinal',
  'currency',
  'symbol',
  'unit',
  'tabCRLF',
  'apos',
  'alpha',
  'decade',
  'shortForm',
  'quoted_phrase',
];

// One wink instance per pipeline, created on first use (loading the model takes ~0.1 s).
const instances = new Map<boolean, ReturnType<typeof winkNLP>>();
function pipeline(withPos: boolean): ReturnType<typeof winkNLP> {
  let nlp = instances.get(withPos);
  if (nlp === undefined) {
    nlp = winkNLP(model, withPos ? ['sbd', 'pos'] : []);
    instances.set(withPos, nlp);
  }
  return nlp;
}

/**
 * Creates a linguistic analyzer on wink-nlp with its English lite model: wink's tokenizer
 * (contractions, URLs, numbers like `3.14` as one token), optional lowercasing, stop-word
 * removal, Porter-2 stemming or lemmatisation, then word n-grams.
 *
 * Loads the wink model on the first call (about 0.1 s; later analyzers share it); nothing
 * happens at import.
 *
 * Relations: {@link createSklearnAnalyzer} reproduces scikit-learn instead (the study's
 * method); pass either to {@link TfidfVectorizer}, {@link TfidfRetriever} or {@link Bm25Retriever}.
 *
 * @param options - Defaults: lowercase, wink stop words removed, surface forms, words and numbers, unigrams.
 * @returns An analyzer: text → terms in text order (unigrams first, then longer n-grams). Its
 *   `description` is `wink`, plus the settings that differ from the defaults, e.g.
 *   `wink(stop=false,form=stem,types=word/number/emoji)`.
 * @throws {@link InvalidOptionError} for an unknown form or token type, an empty `keepTypes`, or
 *   a bad n-gram range.
 * @example
 * ```ts
 * const analyze = createWinkAnalyzer({ form: 'stem' });
 * console.log(analyze('The cats were running to 3.14 places!'));
 * // [ 'cat', 'run', '3.14', 'place' ]
 * ```
 */
export function createWinkAnalyzer(options: WinkAnalyzerOptions = {}): Analyzer {
  const where = 'createWinkAnalyzer';
  const lowercase = checkBoolean(options.lowercase, 'lowercase', where, true);
  const stopWords = checkBoolean(options.stopWords, 'stopWords', where, true);
  const form = checkOneOf(options.form, 'form', where, FORMS, 'surface');
  const [min, max] = checkNgramRange(options.ngramRange, where);
  const keep: unknown = options.keepTypes ?? ['word', 'number'];
  // An empty list would keep no token at all: every text would analyse to [].
  if (
    !Array.isArray(keep) ||
    keep.length === 0 ||
    keep.some((t) => !(TYPES as readonly unknown[]).includes(t))
  ) {
    throw new InvalidOptionError(
      'keepTypes',
      where,
      `a non-empty array of wink token types (${TYPES.join(', ')})`,
      keep,
    );
  }
  const keepSet = new Set<unknown>(keep);
  // Lemmas need part-of-speech tags; other forms need no pipeline step at all.
  const nlp = pipeline(form === 'lemma');
  /* eslint-disable @typescript-eslint/unbound-method -- wink's its.* helpers are plain functions */
  const its = nlp.its;
  // wink-nlp's typings give `out` a scalar result and its.stem / its.lemma a mismatched
  // signature; at run time `tokens().out(f)` returns one value per token.
  const surfaceOf = lowercase ? its.normal : its.value;
  const formOf: unknown = form === 'stem' ? its.stem : form === 'lemma' ? its.lemma : surfaceOf;
  const typeOf: unknown = its.type;
  const stopOf: unknown = its.stopWordFlag;
  /* eslint-enable @typescript-eslint/unbound-method */
  const settings: string[] = [];
  if (!lowercase) settings.push('lowercase=false');
  if (!stopWords) settings.push('stop=false');
  if (form !== 'surface') settings.push(`form=${form}`);
  if (min !== 1 || max !== 1) settings.push(`ngram=${ngramText(min, max)}`);
  const kept = [...keepSet] as string[];
  if (kept.length !== 2 || !keepSet.has('word') || !keepSet.has('number')) {
    settings.push(`types=${kept.join('/')}`);
  }
  return withDescription(
    (text: string): string[] => {
      const tokens = nlp.readDoc(text).tokens();
      const column = <T>(f: unknown): T[] => tokens.out(f as ItsFunction<T>) as unknown as T[];
      const types = column<string>(typeOf);
      const surface = column<string>(surfaceOf);
      const terms = column<string>(formOf);
      const stops = stopWords ? column<boolean>(stopOf) : undefined;
      const out: string[] = [];
      for (let i = 0; i < terms.length; i++) {
        if (!keepSet.has(types[i]!)) continue;
        if (stops !== undefined && stops[i] === true) continue;
        // Stems and lemmas only for words: wink's stemmer would turn "3.14" into "y.14".
        const term = types[i] === 'word' ? terms[i]! : surface[i]!;
        out.push(lowercase ? term.toLowerCase() : term);
      }
      return wordNgrams(out, min, max);
    },
    `wink${parameterList(settings)}`,
  );
}
