"""Sentences analysed by spaCy, reduced to light token records that can be cached and compared.

The linter never keeps spaCy ``Doc`` objects: each analysed sentence becomes a tuple of
``Tok`` (form, lemma, part of speech, dependency, head), which is all detection needs. Example
sentences from the clause library are analysed once and kept in a disk cache keyed by the
model's version (they are the library's own sentences, never a linted document's).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clauselint.nlp.lexical import NEG, key, stem

_CACHE_FORMAT = 4
EXCEPTION_WORDS = frozenset({"sauf", "hormis", "excepté", "hors"})
_MAX_CACHED = 50_000


@dataclass(frozen=True, slots=True)
class Tok:
    i: int
    text: str
    lower: str
    lemma: str
    pos: str
    dep: str
    head: int
    start: int  # character offset in the sentence
    negative: bool  # the morphologizer's Polarity=Neg
    finite: bool  # a finite verb form (VerbForm=Fin): the sentence states something

    @property
    def key(self) -> str:
        """The stem of the form (``<neg>`` for negation words), as in the cheap pass."""
        return key(self.lower)

    @property
    def lemma_key(self) -> str:
        return stem(self.lemma)


@dataclass(frozen=True, slots=True)
class Analysed:
    text: str
    toks: tuple[Tok, ...]
    kids: tuple[tuple[int, ...], ...] = ()  # children of each token, filled at construction

    def __post_init__(self) -> None:
        if len(self.kids) != len(self.toks):
            kids: list[list[int]] = [[] for _ in self.toks]
            for t in self.toks:
                if t.head != t.i and 0 <= t.head < len(kids):
                    kids[t.head].append(t.i)
            object.__setattr__(self, "kids", tuple(tuple(k) for k in kids))

    def keys(self) -> list[str]:
        return [t.key for t in self.toks]

    def lemma_keys(self) -> list[str]:
        return [NEG if t.key == NEG else t.lemma_key for t in self.toks]

    def chain(self, i: int, limit: int = 12) -> list[int]:
        """Token ``i`` and its syntactic ancestors up to the root of its clause.

        The walk stops at a clause boundary — a juxtaposed clause (« … : leur application ne
        dispense pas… »), a coordinated verb — and at an exception (« sauf obligation légale »):
        their negations and modals are not the focus's.
        """
        out = [i]
        while len(out) < limit:
            tok = self.toks[out[-1]]
            head = tok.head
            if head == out[-1] or head in out:
                break
            if tok.dep == "parataxis" or (tok.dep == "conj" and tok.pos in ("VERB", "AUX") and not self._ni_arm(tok.i)):
                break
            if tok.dep == "advcl" and any(t.text in (":", ";") for t in self.toks[min(tok.i, head) + 1 : max(tok.i, head)]):
                break  # « … ne sont pas libératoires : leur application ne dispense pas… »
            if any(c.dep in ("case", "mark") and c.lower in EXCEPTION_WORDS for c in self.children(tok.i)):
                break
            out.append(head)
        return out

    def _ni_arm(self, i: int) -> bool:
        """An arm of « n'est tenu ni de restituer ni de détruire »: coordinated by « ni », without
        a « ne » of its own, it is governed by the negation and the modal above it (the parser
        often makes it a conjunct of « tenu » instead of its complement)."""
        kids = self.children(i)
        return any(c.dep == "cc" and c.lower == "ni" for c in kids) and not any(c.lower in ("ne", "n'", "n’") for c in kids)

    def children(self, i: int) -> list[Tok]:
        return [self.toks[k] for k in self.kids[i]]


def from_doc(doc) -> Analysed:
    toks = tuple(
        Tok(
            i=t.i,
            text=t.text,
            lower=t.lower_,
            lemma=(t.lemma_ or t.lower_).lower(),
            pos=t.pos_,
            dep=t.dep_,
            head=t.head.i,
            start=t.idx,
            negative="Neg" in t.morph.get("Polarity"),
            finite="Fin" in t.morph.get("VerbForm"),
        )
        for t in doc
        if not t.is_space
    )
    # Re-index after dropping whitespace tokens so that ``i`` is a position in ``toks``.
    if len(toks) != len(doc):
        index = {t.i: n for n, t in enumerate(toks)}
        toks = tuple(
            Tok(index[t.i], t.text, t.lower, t.lemma, t.pos, t.dep, index.get(t.head, index[t.i]), t.start, t.negative, t.finite)
            for t in toks
        )
    return Analysed(text=doc.text, toks=toks)


def analyse(texts: Sequence[str], batch_size: int = 64, on_doc: Callable[[Any], Any] | None = None) -> list[Analysed]:
    """Run the full pipeline on ``texts`` (a batch, through ``nlp.pipe``).

    ``on_doc`` sees each spaCy ``Doc`` before it is dropped (e.g. to run a ``Matcher``).
    """
    from clauselint.nlp.pipeline import get_nlp

    if not texts:
        return []
    nlp = get_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        if on_doc is not None:
            on_doc(doc)
        out.append(from_doc(doc))
    return out


# --- the example cache ------------------------------------------------------------------------


def model_tag() -> str:
    return _model_tag()


def _enabled() -> bool:
    return os.environ.get("CLAUSELINT_EXAMPLE_CACHE", "1").strip().lower() not in {"0", "no", "non", "false"}


def load_cached(name: str, key: str) -> Any | None:
    """A pickled object stored by ``store_cached`` under ``name`` and ``key``, or None."""
    if not _enabled():
        return None
    from clauselint.nlp.regex_cache import cache_dir

    try:
        with (cache_dir() / f"{name}-{key}.pkl").open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, from another version: rebuild
        return None


def store_cached(name: str, key: str, value: Any) -> None:
    """Keep ``value`` on disk; older files of the same ``name`` are removed."""
    if not _enabled():
        return
    from clauselint.nlp.regex_cache import cache_dir

    folder = cache_dir()
    path = folder / f"{name}-{key}.pkl"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.pkl"):
            old.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        pass


def _model_tag() -> str:
    import spacy

    from clauselint.nlp.pipeline import EXCLUDED, MODEL, get_nlp

    nlp = get_nlp()
    raw = f"{_CACHE_FORMAT}|{spacy.__version__}|{MODEL}|{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}|{EXCLUDED}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _cache_file() -> Path:
    from clauselint.nlp.regex_cache import cache_dir

    return cache_dir() / f"examples-{_model_tag()}.pkl"


@cache
def _example_cache() -> dict[str, Analysed]:
    if os.environ.get("CLAUSELINT_EXAMPLE_CACHE", "1").strip().lower() in {"0", "no", "non", "false"}:
        return {}
    try:
        with _cache_file().open("rb") as fh:
            data = pickle.load(fh)
        if isinstance(data, dict):
            return data
    except Exception:  # missing, unreadable or from another version: rebuild
        pass
    return {}


def analyse_examples(texts: Iterable[str]) -> dict[str, Analysed]:
    """Analyses of the library's example sentences, from the disk cache when possible."""
    wanted = list(dict.fromkeys(texts))
    store = _example_cache()
    missing = [t for t in wanted if t not in store]
    if missing:
        for text, analysed in zip(missing, analyse(missing)):
            store[text] = analysed
        if os.environ.get("CLAUSELINT_EXAMPLE_CACHE", "1").strip().lower() not in {"0", "no", "non", "false"}:
            _write_cache(store)
    return {t: store[t] for t in wanted}


def _write_cache(store: dict[str, Analysed]) -> None:
    if len(store) > _MAX_CACHED:
        for old in list(store)[: len(store) - _MAX_CACHED]:
            del store[old]
    path = _cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("examples-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)  # another model or format: never read again
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(store, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
