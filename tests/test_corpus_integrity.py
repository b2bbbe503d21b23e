"""Integrity of our own labelled corpus (corpus/): passages and whole contracts, no linter needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clauselint.library.families import FAMILY_IDS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PASSAGES = CORPUS / "passages"

KINDS = ("positive", "negative", "contradicted")
# The minimums the benchmark relies on (see corpus/README.md).
MINIMUMS = {"positive": 14, "negative": 8, "contradicted": 5}
ID_LETTER = {"positive": "p", "negative": "n", "contradicted": "c"}


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _load_passages() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(PASSAGES.glob("*.yaml"))}


@pytest.fixture(scope="module")
def passages() -> dict[str, dict]:
    return _load_passages()


def test_one_passage_file_per_family(passages):
    assert sorted(passages) == sorted(FAMILY_IDS)
    for stem, data in passages.items():
        assert data["family"] == stem, f"{stem}.yaml declares family {data['family']!r}"


@pytest.mark.parametrize("family_id", FAMILY_IDS)
def test_passage_counts_and_shape(passages, family_id):
    data = passages[family_id]
    for kind in KINDS:
        entries = data.get(kind) or []
        assert len(entries) >= MINIMUMS[kind], f"{family_id}: {len(entries)} {kind} < {MINIMUMS[kind]}"
        for entry in entries:
            assert set(entry) <= {"id", "text", "note"}, entry
            assert re.fullmatch(rf"{re.escape(family_id)}-{ID_LETTER[kind]}\d\d", entry["id"]), entry["id"]
            text = entry["text"]
            assert isinstance(text, str) and len(text.split()) >= 6, entry["id"]
            assert text == text.strip() and '"' not in text, entry["id"]


def test_ids_and_texts_unique_across_corpus(passages):
    seen_ids: set[str] = set()
    seen_texts: dict[str, str] = {}
    for data in passages.values():
        for kind in KINDS:
            for entry in data[kind]:
                assert entry["id"] not in seen_ids, f"duplicate id {entry['id']}"
                seen_ids.add(entry["id"])
                key = _normalise(entry["text"])
                assert key not in seen_texts, f"{entry['id']} repeats {seen_texts[key]}"
                seen_texts[key] = entry["id"]


def _clause_examples() -> set[str]:
    examples: set[str] = set()
    for path in (ROOT / "clauses").glob("*.md"):
        parts = path.read_text(encoding="utf-8").split("---", 2)
        if len(parts) < 3:
            continue
        try:
            front = yaml.safe_load(parts[1]) or {}
        except yaml.YAMLError:
            continue
        detect = front.get("detect") or {}
        for kind in KINDS:
            examples.update(_normalise(s) for s in detect.get(kind) or [] if isinstance(s, str))
        examples.add(_normalise(parts[2]))
    return examples


def test_passages_are_independent_of_clause_examples(passages):
    # The benchmark measures the detectors built from clauses/; a passage equal to one of their
    # own examples would measure nothing.
    examples = _clause_examples()
    copied = [
        entry["id"]
        for data in passages.values()
        for kind in KINDS
        for entry in data[kind]
        if _normalise(entry["text"]) in examples
    ]
    assert copied == []
