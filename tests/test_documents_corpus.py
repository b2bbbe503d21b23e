"""Every real file of the external corpus is read without error, with a few checked facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clauselint.documents import read_document
from clauselint.documents.structure import clean

FILES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-external" / "files"
ALL = sorted(FILES.glob("*")) if FILES.is_dir() else []

pytestmark = pytest.mark.skipif(not ALL, reason="shared/corpus-external/files is not beside the repository")


@pytest.fixture(scope="module")
def docs():
    return {path.name: read_document(path) for path in ALL}


def test_every_file_is_read(docs):
    assert {path.suffix for path in ALL} >= {".pdf", ".docx", ".odt", ".pptx"}
    for name, doc in docs.items():
        assert doc.word_count() > 10, name
        assert [b.location.paragraph for b in doc.blocks] == list(range(1, len(doc.blocks) + 1)), name
        assert all(b.text == b.text.strip() and b.text for b in doc.blocks), name
        assert not any("\t" in b.text or "\u00a0" in b.text or "\u200b" in b.text for b in doc.blocks), name


def test_pdf_blocks_carry_page_numbers(docs):
    for name, doc in docs.items():
        if name.endswith(".pdf"):
            assert doc.pages and doc.pages > 1, name
            assert all(b.location.page is not None and 1 <= b.location.page <= doc.pages for b in doc.blocks), name
            pages = {b.location.page for b in doc.blocks}
            assert pages == set(range(1, doc.pages + 1)), name


def test_dinum_ccap_reading_order_headings_and_running_header(docs):
    doc = docs["dinum-marche-produit-2025-ccap.pdf"]
    assert doc.pages == 71
    # The family-A phrase stays whole: pypdf keeps reading order on this justified layout.
    hits = [b for b in doc.blocks if re.search(r"strictement\s+interdite", b.text)]
    assert len(hits) == 1 and hits[0].location.page == 31
    assert hits[0].location.section.endswith("9.3.9 Utilisation des signes distinctifs des bénéficiaires du lot 1.")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "ARTICLE 17 - REGIME DES DROITS DE PROPRIETE INTELLECTUELLE" in headings
    # The ministry's letterhead repeats on every page: kept as header blocks, out of the body.
    letterhead = [b for b in doc.blocks if b.text == "Secrétariat général du Gouvernement"]
    assert len(letterhead) >= 60 and all(b.kind == "header" for b in letterhead)
    assert not any("P a g e" in b.text for b in doc.body())


def test_amf_ccap_numbered_headings_and_page_numbers(docs):
    doc = docs["amf-2022-011-ccap.pdf"]
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert any(re.match(r"\d+\. \w", b.text) and b.heading_level == 1 for b in headings)
    assert any(re.match(r"\d+\.\d+\. \w", b.text) and b.heading_level == 2 for b in headings)
    page_numbers = [b.text for b in doc.blocks if b.kind in ("header", "footer")]
    assert "- 2 -" in page_numbers and any(text.startswith("- 28") for text in page_numbers)
    assert doc.metadata["application"].startswith("Microsoft")
    assert doc.metadata["created"].startswith("2022-04-19T")


def test_same_document_as_docx_and_odt_reads_the_same(docs):
    as_docx = [(b.kind, b.text) for b in docs["minumeco-rgesn-declaration.docx"].blocks]
    as_odt = [(b.kind, b.text) for b in docs["minumeco-rgesn-declaration.odt"].blocks]
    assert as_docx == as_odt
    assert ("heading", "Résumé") in as_docx


def test_docx_reader_misses_no_paragraph_python_docx_sees(docs):
    import docx

    for path in ALL:
        if path.suffix != ".docx":
            continue
        document = docx.Document(str(path))
        expected = [clean(p.text) for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                expected.extend(clean(cell.text) for cell in row.cells)
        ours = " ".join(" ".join(b.text.split()) for b in docs[path.name].blocks)
        for text in expected:
            if text:
                assert " ".join(text.split()) in ours, (path.name, text)


def test_pptx_slides_and_odt_tables(docs):
    deck = docs["socialgouv-jdma.pptx"]
    assert deck.pages == 2
    assert {b.location.page for b in deck.blocks if b.kind == "slide"} == {1, 2}
    assert len(deck.image_names) == 4
    bpu = docs["dgpr-aquareel-2025-bpu.odt"]
    assert sum(1 for b in bpu.blocks if b.kind == "table-cell") >= 10
