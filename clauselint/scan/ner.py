"""spaCy's French NER, loaded once per process and run only on short candidate lines."""

from __future__ import annotations

from functools import cache

MODEL = "fr_core_news_sm"
# NER needs its own tok2vec only; the tagger, parser and lemmatizer are the slow parts.
EXCLUDE = ["morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]


@cache
def get_ner():
    """``fr_core_news_sm`` with only tok2vec and ner (the French tokenizer compile is cached
    through clauselint.nlp.regex_cache when that module is there)."""
    from clauselint.errors import ClauselintError

    try:
        from clauselint.nlp import regex_cache
    except ImportError:  # the NLP stage is optional for the scanner
        regex_cache = None
    try:
        import spacy

        primed = regex_cache.prime() if regex_cache is not None else 0
        if regex_cache is not None and not primed:
            with regex_cache.recording() as recorder:
                nlp = spacy.load(MODEL, exclude=EXCLUDE)
            regex_cache.save(recorder)
        else:
            nlp = spacy.load(MODEL, exclude=EXCLUDE)
    except OSError as exc:
        raise ClauselintError(
            f"modèle spaCy « {MODEL} » introuvable ({exc.__class__.__name__}) ; installez-le avec "
            f"« pip install {MODEL.replace('_', '-')} » ou relancez avec --sans-ner"
        ) from None
    return nlp


def entities(lines: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """For each distinct line: its entities as (start char, end char, label)."""
    unique = list(dict.fromkeys(line for line in lines if line.strip()))
    if not unique:
        return {}
    nlp = get_ner()
    found: dict[str, list[tuple[int, int, str]]] = {}
    for line, doc in zip(unique, nlp.pipe(unique, batch_size=64)):
        found[line] = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    return found
