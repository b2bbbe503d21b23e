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


# --- whole contracts -------------------------------------------------------------------------

CONTRACTS = CORPUS / "contracts"
STATUSES = {"present", "missing", "contradicted"}
FORMAT_MINIMUMS = {"docx": 6, "pdf": 4, "odt": 4}
ODT_MIME = b"application/vnd.oasis.opendocument.text"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (safe_load keeps the last one silently)."""


def _construct_unique_mapping(loader, node, deep=False):
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {sorted(duplicates)}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def _category_of(code: str) -> int:
    # Circular n° 6391/SG, annex: 33.04.01 → 1; 02–05 → 2; 06 and 08–15 → 3 (07 is not listed).
    number = int(code.rsplit(".", 1)[1])
    if number == 1:
        return 1
    if 2 <= number <= 5:
        return 2
    if number == 6 or 8 <= number <= 15:
        return 3
    raise AssertionError(f"{code} is not a PII code of the circular")


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    data = yaml.load((CONTRACTS / "expected.yaml").read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    return data["contracts"]


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                yield from (p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    yield from cells(inner)

    for table in document.tables:
        parts.extend(cells(table))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return _normalise(" ".join(parts))


def _odt_text(path: Path) -> str:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        assert archive.read("mimetype") == ODT_MIME, path.name
        root = etree.fromstring(archive.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    blocks = root.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h")
    return _normalise(" ".join("".join(block.itertext()) for block in blocks))


def _pdf_text(path: Path) -> tuple[str, int]:
    from pypdf import PdfReader

    assert path.read_bytes()[:5] == b"%PDF-", path.name
    reader = PdfReader(str(path))
    return _normalise(" ".join(page.extract_text() for page in reader.pages)), len(reader.pages)


def test_contract_list_and_formats(expected):
    assert len(expected) >= 14
    files = [entry["file"] for entry in expected]
    assert len(files) == len(set(files))
    for fmt, minimum in FORMAT_MINIMUMS.items():
        assert sum(f.endswith("." + fmt) for f in files) >= minimum, fmt
    on_disk = {p.name for p in CONTRACTS.iterdir() if p.suffix in {".docx", ".odt", ".pdf"}}
    assert on_disk == set(files), "every generated contract is labelled and every label has its file"
    sources = {p.name for p in (CONTRACTS / "src").glob("*.md")}
    assert sources == {Path(entry["source"]).name for entry in expected}


def test_contract_labels_are_complete(expected):
    for entry in expected:
        name = entry["file"]
        statuses = entry["statuses"]
        assert sorted(statuses) == sorted(FAMILY_IDS), name
        assert set(statuses.values()) <= STATUSES, name
        contradicted = {f for f, s in statuses.items() if s == "contradicted"}
        assert set(entry["contradiction_quotes"] or {}) == contradicted, name
        assert entry["category"] in (1, 2, 3), name
        assert isinstance(entry["agile"], bool) and isinstance(entry["personal_data"], bool), name
        assert (statuses["agile"] == "present") == entry["agile"], f"{name}: agile flag vs agile status"
        if entry["nomenclature"] is not None:
            assert _category_of(entry["nomenclature"]) == entry["category"], name
        assert entry["notes"].strip(), name


@pytest.mark.parametrize("fmt", sorted(FORMAT_MINIMUMS))
def test_contract_files_hold_their_contradicting_sentences(expected, fmt):
    for entry in (e for e in expected if e["file"].endswith("." + fmt)):
        path = CONTRACTS / entry["file"]
        source = (CONTRACTS / entry["source"]).read_text(encoding="utf-8")
        front = yaml.safe_load(source.split("---\n", 2)[1])
        assert front["format"] == fmt, entry["file"]
        if entry["nomenclature"] is not None:
            assert entry["nomenclature"] in source, entry["file"]
        words = len(source.split())
        assert 500 <= words <= 4500, f"{entry['file']}: {words} words is not 2 to 8 pages"
        if fmt == "docx":
            text = _docx_text(path)
        elif fmt == "odt":
            text = _odt_text(path)
        else:
            text, pages = _pdf_text(path)
            assert 2 <= pages <= 8, entry["file"]
        assert len(text.split()) >= 400, f"{entry['file']}: the binary lost its text"
        for family_id, quote in (entry["contradiction_quotes"] or {}).items():
            assert _normalise(quote) in _normalise(source), f"{entry['file']}: {family_id} quote not in source"
            assert _normalise(quote) in text, f"{entry['file']}: {family_id} quote not in the {fmt} text"


def test_docx_contracts_carry_word_features(expected):
    import zipfile

    from docx import Document

    footnoted = commented = 0
    for entry in (e for e in expected if e["file"].endswith(".docx")):
        path = CONTRACTS / entry["file"]
        document = Document(str(path))
        styles = {p.style.name for p in document.paragraphs}
        assert {"Title", "Heading 1"} <= styles, entry["file"]
        header = " ".join(p.text for p in document.sections[0].header.paragraphs)
        assert header.startswith(entry["buyer"].split(" – ")[0]), entry["file"]
        assert document.sections[0].footer.paragraphs[0].text.strip(), entry["file"]
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/footnotes.xml" in names and b'w:id="1"' in archive.read("word/footnotes.xml"):
                footnoted += 1
        commented += len(list(document.comments)) > 0
    assert footnoted >= 1 and commented >= 1
