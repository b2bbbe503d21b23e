"""TF-IDF bags of lemma stems and lemma-stem bigrams, and their cosine similarity.

Word vectors give unreliable sentence similarity on contract clauses (see STACK-NOTES); a
TF-IDF-weighted cosine over the lemmas two sentences share, and over the pairs of adjacent
content lemmas, is transparent, fast, and good at telling a clause's paraphrase from its hard
negatives when the weights come from the library's own example sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from clauselint.nlp.analysis import Analysed
from clauselint.nlp.lexical import FUNCTION_WORDS, NEG, fold

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
BIGRAM_WEIGHT = 0.7

Vector = dict[str, float]


def features(a: Analysed, function_lemmas: frozenset[str]) -> Counter[str]:
    """Lemma-stem unigrams and bigrams of the content words of ``a``."""
    keys: list[str] = []
    for t in a.toks:
        if t.pos not in CONTENT_POS or t.key == NEG:
            continue
        if t.lemma in function_lemmas or fold(t.lower) in FUNCTION_WORDS or len(t.lower) < 2:
            continue
        keys.append(t.lemma_key)
    bag: Counter[str] = Counter(keys)
    for left, right in zip(keys, keys[1:]):
        if left != right:
            bag[f"{left}_{right}"] += BIGRAM_WEIGHT
    return bag


def word_features(stems: Iterable[str]) -> Counter[str]:
    """Unigram bag from cheap-pass stems (no spaCy), for the candidate pre-selection."""
    return Counter(s for s in stems if s != NEG and s not in FUNCTION_WORDS and len(s) > 1)


class TfIdf:
    """Inverse document frequencies fitted on a background of example bags."""

    def __init__(self, bags: Iterable[Counter[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for bag in bags:
            n += 1
            df.update(set(bag))
        self.n = n
        self.idf = {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}
        self.default_idf = math.log(1 + n) + 1.0

    def vector(self, bag: Counter[str]) -> Vector:
        vec = {term: (1.0 + math.log(count)) * self.idf.get(term, self.default_idf) for term, count in bag.items() if count > 0}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return {}
        return {term: v / norm for term, v in vec.items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(term, 0.0) for term, v in a.items())
