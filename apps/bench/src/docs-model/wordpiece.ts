// A small WordPiece vocabulary trainer, so the shipped docs model's tokenizer is built by this
// toolkit from its own training text. It follows Hugging Face tokenizers' `WordPieceTrainer`,
// which learns BPE merges and keeps the merged symbols as the WordPiece vocabulary: words are
// split into characters (a word's first character as is, the others with the `##` continuation
// prefix), then the most frequent adjacent pair is merged, again and again, until the vocabulary
// has the size asked for. The tokenizer that uses the vocabulary (transformers.js, HF tokenizers)
// segments greedily, longest match first, as BERT does; any vocabulary that holds every
// character of a word can spell it.

/** The special tokens, first in the vocabulary, in BERT's order (ids 0–4). */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Options of {@link trainWordPiece}. */
export interface TrainWordPieceOptions {
  /** Tokens in the result, special tokens included. */
  readonly vocabSize: number;
  /** A character (and a merge) must occur this often to enter the vocabulary. Default 2. */
  readonly minFrequency?: number;
}

const PUNCTUATION = /[\p{P}\p{S}]/u;

/**
 * The words of a text as BERT's tokenizer sees them (its `BertNormalizer` with lowercasing and
 * accents stripped, then `BertPreTokenizer`): lowercased, accents removed, split on whitespace,
 * and every punctuation or symbol character a word of its own.
 */
export function bertWords(text: string): string[] {
  const normal = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ');
  const words: string[] = [];
  for (const chunk of normal.split(/\s+/u)) {
    let word = '';
    for (const ch of chunk) {
      if (PUNCTUATION.test(ch)) {
        if (word !== '') words.push(word);
        words.push(ch);
        word = '';
      } else word += ch;
    }
    if (word !== '') words.push(word);
  }
  return words;
}

/** A binary max-heap of (count, pair) entries; ties go to the pair that sorts first. */
class PairHeap {
  private readonly items: { count: number; key: string }[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(a: { count: number; key: string }, b: { count: number; key: string }): boolean {
    return a.count > b.count || (a.count === b.count && a.key < b.key);
  }
  push(count: number, key: string): void {
    const items = this.items;
    items.push({ count, key });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): { count: number; key: string } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(items[l]!, items[best]!)) best = l;
        if (r < items.length && this.before(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

const SEP = '\u0000';

/**
 * Train a WordPiece vocabulary on `texts`: {@link SPECIAL_TOKENS}, then the characters that occur
 * at least `minFrequency` times (word-initial ones plain, others `##`-prefixed, each group sorted),
 * then merged symbols in the order they were learnt. Deterministic: ties between equally frequent
 * pairs go to the pair whose text sorts first.
 *
 * @throws RangeError when `vocabSize` is smaller than the special tokens and the alphabet.
 * @example
 * ```ts
 * trainWordPiece(['low lower lowest'], { vocabSize: 20, minFrequency: 1 });
 * // ['[PAD]', …, 'l', '##e', …, '##w', 'lo', 'low', …]
 * ```
 */
export function trainWordPiece(texts: Iterable<string>, options: TrainWordPieceOptions): string[] {
  const minFrequency = options.minFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  for (const text of texts)
    for (const w of bertWords(text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);

  const charCounts = new Map<string, number>();
  const words: { symbols: string[]; count: number }[] = [];
  for (const [word, count] of wordCounts) {
    const chars = [...word];
    if (chars.length > 100) continue; // BERT's max_input_chars_per_word: such words are [UNK]
    const symbols = chars.map((c, i) => (i === 0 ? c : `##${c}`));
    for (const s of symbols) charCounts.set(s, (charCounts.get(s) ?? 0) + count);
    words.push({ symbols, count });
  }
  const alphabet = [...charCounts].filter(([, n]) => n >= minFrequency).map(([s]) => s);
  const initial = alphabet.filter((s) => !s.startsWith('##')).sort();
  const continuing = alphabet.filter((s) => s.startsWith('##')).sort();
  const vocab: string[] = [...SPECIAL_TOKENS, ...initial, ...continuing];
  if (vocab.length > options.vocabSize) {
    throw new RangeError(
      `trainWordPiece: vocabSize ${options.vocabSize} is smaller than the ${SPECIAL_TOKENS.length} special tokens and the ${alphabet.length}-character alphabet`,
    );
  }
  const known = new Set(alphabet);
  // Words holding a character outside the alphabet would be [UNK]: they teach no merges.
  const usable = words.filter((w) => w.symbols.every((s) => known.has(s)));

  const pairCounts = new Map<string, number>();
  const pairWords = new Map<string, Set<number>>();
  const heap = new PairHeap();
  const addPairs = (index: number, sign: 1 | -1, changed: Set<string>): void => {
    const { symbols, count } = usable[index]!;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = symbols[i]! + SEP + symbols[i + 1]!;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      if (sign === 1) {
        let set = pairWords.get(key);
        if (set === undefined) pairWords.set(key, (set = new Set()));
        set.add(index);
      }
      changed.add(key);
    }
  };
  const initialPairs = new Set<string>();
  for (let i = 0; i < usable.length; i++) addPairs(i, 1, initialPairs);
  for (const key of initialPairs) heap.push(pairCounts.get(key)!, key);

  const merged = (a: string, b: string): string => a + b.slice(2);
  while (vocab.length < options.vocabSize && heap.size > 0) {
    const top = heap.pop()!;
    const current = pairCounts.get(top.key) ?? 0;
    if (current !== top.count) continue; // a stale entry: the pair's count changed since
    if (current < minFrequency) break;
    const [a, b] = top.key.split(SEP) as [string, string];
    const symbol = merged(a, b);
    vocab.push(symbol);
    const changed = new Set<string>();
    for (const index of pairWords.get(top.key) ?? []) {
      const word = usable[index]!;
      if (!word.symbols.some((s, i) => s === a && word.symbols[i + 1] === b)) continue;
      addPairs(index, -1, changed);
      const next: string[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === a && word.symbols[i + 1] === b) {
          next.push(symbol);
          i++;
        } else next.push(word.symbols[i]!);
      }
      word.symbols = next;
      addPairs(index, 1, changed);
    }
    pairWords.delete(top.key);
    pairCounts.delete(top.key);
    changed.delete(top.key);
    for (const key of changed) {
      const n = pairCounts.get(key)!;
      if (n > 0) heap.push(n, key);
      else pairCounts.delete(key);
    }
  }
  // Two different merges can spell the same symbol (a+bc, ab+c): keep its first place.
  return [...new Set(vocab)];
}

/**
 * The Hugging Face tokenizer files of a lowercasing BERT WordPiece tokenizer with `vocab`
 * (`tokenizer.json`, `tokenizer_config.json`, `special_tokens_map.json`, `vocab.txt`), as texts
 * by file name.
 */
export function bertTokenizerFiles(
  vocab: readonly string[],
  modelMaxLength: number,
): Record<string, string> {
  const ids = new Map(vocab.map((t, i) => [t, i]));
  for (const t of SPECIAL_TOKENS)
    if (ids.get(t) !== SPECIAL_TOKENS.indexOf(t))
      throw new RangeError(`bertTokenizerFiles: ${t} must be token ${SPECIAL_TOKENS.indexOf(t)}`);
  if (ids.size !== vocab.length) throw new RangeError('bertTokenizerFiles: repeated tokens');
  const special = (content: string): Record<string, unknown> => ({
    id: ids.get(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const cls = ids.get('[CLS]')!;
  const sep = ids.get('[SEP]')!;
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(ids),
    },
  };
  const names = {
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  const config = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: modelMaxLength,
    ...names,
    strip_accents: null,
    tokenize_chinese_chars: true,
    clean_up_tokenization_spaces: true,
  };
  return {
    'tokenizer.json': `${JSON.stringify(tokenizer)}\n`,
    'tokenizer_config.json': `${JSON.stringify(config, null, 2)}\n`,
    'special_tokens_map.json': `${JSON.stringify(names, null, 2)}\n`,
    'vocab.txt': `${vocab.join('\n')}\n`,
  };
}
