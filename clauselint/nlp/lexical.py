"""Cheap French lexical keys: words, a light stemmer, and order-free term matching.

The linter's first pass runs over every sentence of a contract, so it cannot afford spaCy's
pipeline (≈ 5 k words/s). It works on *stems*: lower case, accents folded, plural and the
common verb and adjective endings stripped, so that « interdit », « interdite »,
« interdisent » and « interdire » share one key. Stems over-conflate a little; that is fine
for selecting candidates, which the full pipeline then checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Suffixes stripped once, longest first (accent-folded). Verb endings, participles, a few
# derivations (« utilisation » ~ « utiliser »), adjective genders.
_SUFFIXES = tuple(
    sorted(
        {
            "issements", "issement", "issantes", "issante", "issants", "issant", "issent", "isses",
            "erions", "eraient", "erait", "eront", "erons", "erez", "erai", "eras", "era",
            "ements", "ement", "ations", "ation", "atrices", "atrice", "ateurs", "ateur",
            "aient", "ait", "antes", "ante", "ants", "ant", "ire",
            "ees", "ee", "es", "ent", "ons", "ez", "er", "ir", "ites", "ite", "its", "it",
            "e", "s", "x",
        },
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3

# Function words dropped from multi-word terms (accent-folded). Negation words are kept as one
# « <neg> » slot: an anchor « ne pas utiliser » is satisfied by any negation in the sentence.
FUNCTION_WORDS = frozenset(
    "l d s qu n j c m t le la les de du des un une a au aux en et ou par pour sur se sa son ses leur "
    "leurs ce cet cette ces il elle ils elles y dans avec que qui est sont".split()
)
NEGATION_WORDS = frozenset("ne n pas aucun aucune aucuns aucunes jamais nul nulle nullement sans".split())
NEG = "<neg>"

_stem_cache: dict[str, str] = {}


_fold_cache: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower case without diacritics; « œ » → « oe », typographic apostrophes → « ' »."""
    cached = _fold_cache.get(text)
    if cached is not None:
        return cached
    out = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    if not out.isascii():
        decomposed = unicodedata.normalize("NFD", out)
        out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if len(text) < 40 and len(_fold_cache) < 200_000:
        _fold_cache[text] = out
    return out


def stem(word: str) -> str:
    """The stem of one word (see the module docstring); cached per form."""
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    w = fold(word)
    if len(w) > _MIN_STEM and not w.isdigit():
        if len(w) > 4 and w[-1] in "sx":  # plural first, so that « documents » ~ « document »
            w = w[:-1]
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_STEM:
                w = w[: -len(suffix)]
                break
        # trailing vowels and « s » left by the endings not listed (« interdis(ent) », « évalu(e) »)
        while len(w) > _MIN_STEM and w[-1] in "eisu":
            w = w[:-1]
        # « mentionn(er) » ~ « mention », « confidentiell(e) » ~ « confidentiel »
        if len(w) > 4 and w[-1] == w[-2] and w[-1] in "nlts":
            w = w[:-1]
    if len(_stem_cache) < 200_000:
        _stem_cache[word] = w
    return w


def words(text: str) -> list[tuple[str, int, int]]:
    """Words (letters/digits runs) as (lower-case form, start, end)."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


# word (any case) → its key. key(w) == key(w.lower()): ``fold`` and ``stem`` lower-case first.
_key_cache: dict[str, str] = {}


def word_keys(text: str) -> list[str]:
    """The stem of every word of ``text``, negation words as « <neg> » too (see ``key``)."""
    cache = _key_cache
    out = []
    for w in _WORD_RE.findall(text):
        k = cache.get(w)  # keyed by the form as written: no lower-casing for a known form
        if k is None:
            k = key(w.lower())
            if len(cache) < 200_000:
                cache[w] = k
        out.append(k)
    return out


def key(lower_word: str) -> str:
    k = _key_cache.get(lower_word)
    if k is None:
        k = NEG if fold(lower_word) in NEGATION_WORDS else stem(lower_word)
        if len(_key_cache) < 200_000:
            _key_cache[lower_word] = k
    return k


@dataclass(frozen=True)
class Term:
    """An anchor term: its content stems, matched order-free within a short span."""

    text: str
    keys: tuple[str, ...]

    @property
    def negated(self) -> bool:
        return NEG in self.keys


def make_term(text: str) -> Term | None:
    parts = [w for w, _, _ in words(text)]
    keys: list[str] = []
    for w in parts:
        f = fold(w)
        if f in NEGATION_WORDS:
            if NEG not in keys:
                keys.append(NEG)
        elif f not in FUNCTION_WORDS or len(parts) == 1:
            keys.append(stem(w))
    if not keys:
        return None
    return Term(text=text, keys=tuple(dict.fromkeys(keys)))


class KeyIndex:
    """Positions of each key in a token sequence, for term matching."""

    __slots__ = ("positions", "keys")

    def __init__(self, keys: Iterable[str]) -> None:
        self.positions: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            self.positions.setdefault(k, []).append(i)
        self.keys = self.positions.keys()

    def match(self, term: Term) -> list[int] | None:
        """Token positions of one occurrence of ``term`` (all its keys within a short span), or None.

        The negation slot may stand anywhere in the sentence (« ne peut en aucun cas utiliser »).
        """
        content = [k for k in term.keys if k != NEG]
        if term.negated and NEG not in self.positions:
            return None
        if not content:
            return list(self.positions.get(NEG, [])[:1])
        lists = []
        for k in content:
            found = self.positions.get(k)
            if not found:
                return None
            lists.append(found)
        if len(content) == 1:
            return [lists[0][0]]
        span = len(content) + 4
        for anchor in lists[0]:
            chosen = [anchor]
            for other in lists[1:]:
                near = [p for p in other if abs(p - anchor) <= span]
                if not near:
                    break
                chosen.append(min(near, key=lambda p: abs(p - anchor)))
            else:
                return chosen
        return None
