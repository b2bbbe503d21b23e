"""spaCy's French NER, loaded once per process and run only on short candidate lines."""

from __future__ import annotations

# NER needs its own tok2vec only; the tagger, parser and lemmatizer are the slow parts.
EXCLUDE = ("morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter")


def get_ner():
    """``fr_core_news_sm`` with only tok2vec and ner, once per process (nlp.pipeline)."""
    from clauselint.nlp.pipeline import load_pipeline

    return load_pipeline(EXCLUDE, " ou relancez avec --sans-ner")


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
