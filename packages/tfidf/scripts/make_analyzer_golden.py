#!/usr/bin/python3
"""Golden data for @rtk/tfidf's scikit-learn analyzer (run with Debian's /usr/bin/python3,
which has python3-sklearn):

  /usr/bin/python3 packages/tfidf/scripts/make_analyzer_golden.py packages/tfidf/fixtures

Writes two files:
* python-word-chars.json: the code points Python's `re` treats as `\\w` (Unicode mode), and
  the code points unassigned (category Cn) in Python's Unicode database, both as [first, last]
  ranges, so the JS token pattern can be compared on every assigned code point.
* sklearn-analyzer-golden.json: scikit-learn's default analyzer output for tricky texts
  (accents, combining marks, astral letters, CJK, case mapping, underscores, digits) and the
  vocabulary order TfidfVectorizer learns from them (code-point order).
"""
import json, os, re, sys, unicodedata
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

out = sys.argv[1] if len(sys.argv) > 1 else "."


def ranges(pred):
    res, start = [], None
    for cp in range(0x110000):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            res.append([start, cp - 1])
            start = None
    if start is not None:
        res.append([start, 0x10FFFF])
    return res


w = re.compile(r"\w")
word = ranges(lambda cp: w.match(chr(cp)) is not None)
unassigned = ranges(lambda cp: unicodedata.category(chr(cp)) == "Cn")
with open(os.path.join(out, "python-word-chars.json"), "w") as f:
    json.dump({"generator": "packages/tfidf/scripts/make_analyzer_golden.py",
               "python": sys.version.split()[0], "unidata_version": unicodedata.unidata_version,
               "word_ranges": word, "unassigned_ranges": unassigned}, f)

texts = [
    "Über café naïve résumé — accents and dashes; numbers 42 and 3.14 too.",
    "cafe\u0301 with a combining acute, e\u0301te\u0301",
    "snake_case __init__ _x a_ x_y_z 1_000",
    "𝐀𝐁 𝐀 bold math letters, 𐐀𐐨 Deseret, 😀😀 emoji, \U0001F600x",
    "ﬁve ligature ﬀ, full-width ＡＢＣ１２",
    "İstanbul I ı ΟΔΟΣ Σ ΣΑ ß ẞ",
    "日本語のテキスト 中文 한국어 text",
    "Ⅻ roman ½ half ² two ٣٤ arabic-indic ०१ devanagari",
    "x y z a b 1 2 ab 12 a1",
    "tab\tsep\nnew line\u00a0nbsp\u2009thin",
    "\ufb01\ufb02 \uff21\uff22 \ue000\ue001 private use",
    "",
]
analyze = TfidfVectorizer().build_analyzer()
analyze2 = TfidfVectorizer(ngram_range=(1, 3)).build_analyzer()
analyze_stop = TfidfVectorizer(stop_words="english").build_analyzer()
v = TfidfVectorizer().fit(texts)
vocab_order = sorted(v.vocabulary_, key=v.vocabulary_.get)
with open(os.path.join(out, "sklearn-analyzer-golden.json"), "w") as f:
    json.dump({"generator": "packages/tfidf/scripts/make_analyzer_golden.py",
               "sklearn": sklearn.__version__, "python": sys.version.split()[0],
               "cases": [{"text": t, "tokens": analyze(t), "ngrams_1_3": analyze2(t),
                          "english_stop": analyze_stop(t)} for t in texts],
               "vocabulary_order": vocab_order}, f, ensure_ascii=False, indent=1)
print("wrote", out)
