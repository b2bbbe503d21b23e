"""The spaCy French pipeline, loaded once per process with only the components the linter uses."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from clauselint.errors import ClauselintError

MODEL = "fr_core_news_sm"
# The linter needs lemmas (tok2vec → morphologizer → attribute_ruler → lemmatizer) and the
# dependency parse (negation and permission scope); never the entities, and the parser
# already sets sentence boundaries.
EXCLUDED = ("ner", "senter")

# Filled by get_nlp(): how long the load took and whether the regex cache was used (for
# benchmarks and ``--debug``).
LOAD_STATS: dict[str, Any] = {}


@cache
def load_pipeline(exclude: tuple[str, ...], missing_hint: str = "") -> Any:
    """``fr_core_news_sm`` without the ``exclude`` components, once per process and per set, with
    the French tokenizer's compiled regex restored from the cache (nlp/regex_cache.py).
    ``missing_hint`` ends the error when the model is not installed (« ou relancez avec … »)."""
    from clauselint.nlp import regex_cache

    start = time.perf_counter()
    primed = regex_cache.prime()
    try:
        import spacy

        if primed:
            nlp = spacy.load(MODEL, exclude=list(exclude))
            saved = None
        else:
            with regex_cache.recording() as recorder:
                nlp = spacy.load(MODEL, exclude=list(exclude))
            saved = regex_cache.save(recorder)
    except OSError as exc:  # spaCy raises OSError (E050) when the model package is missing
        raise ClauselintError(
            f"modèle spaCy « {MODEL} » introuvable ({exc.__class__.__name__}) ; "
            f"installez-le avec « pip install {MODEL.replace('_', '-')} »{missing_hint}"
        ) from None
    LOAD_STATS.update(seconds=time.perf_counter() - start, primed_patterns=primed, cache_written=str(saved) if saved else None)
    return nlp


@cache
def get_nlp():
    """The linter's French pipeline (``fr_core_news_sm`` without NER), built once per process."""
    nlp = load_pipeline(EXCLUDED)
    _index_as_sets(nlp)
    return nlp


def _index_as_sets(nlp) -> None:
    """Make the French lemmatizer's word index a set per part of speech instead of a list.

    ``FrenchLemmatizer.rule_lemmatize`` tests ``word in index`` (and each rule's output the
    same way); the model ships each part of speech's index as a JSON list of up to 66 191
    words, so every lookup was a linear scan — 2.8 s of the 14 s spent linting 40 contracts.
    Membership is all the lemmatizer asks of it: a frozenset gives the same lemmas.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for pos in list(table.keys()):
        if isinstance(table[pos], list):
            table[pos] = frozenset(table[pos])
