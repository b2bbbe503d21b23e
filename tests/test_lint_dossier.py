"""`clauselint lint --dossier`: the files of a folder as the pieces of one contract, with the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_SCHEMA = json.loads((ROOT / "docs" / "schemas" / "lint-report.schema.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.slow


def _docx(path: Path, paragraphs: list[tuple[str, str]], keywords: str | None = None) -> None:
    from docx import Document

    document = Document()
    for kind, text in paragraphs:
        if kind == "h":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if keywords is not None:
        # by hand, as assemble does: once docxcompose is imported (other tests), python-docx
        # writes cp:keywords in the wrong namespace
        from clauselint.assemble.docx_out import set_core_keywords

        set_core_keywords(document.core_properties, keywords)
    document.save(path)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory) -> Path:
    """A small DCE: the CCAP bans the insignia and asks for the mention, the CCTP waives the data
    destruction, the RC gives the purchasing code, and the buyer's internal note is marked as such."""
    out = tmp_path_factory.mktemp("dce") / "marche"
    (out / "interne").mkdir(parents=True)
    _docx(out / "ccap.docx", [
        ("h", "Article 4 – Signes distinctifs de l'administration"),
        ("p", "Le titulaire s'interdit d'utiliser le logo, la marque et les signes distinctifs de "
              "l'administration sur ses documents et ses supports."),
        ("h", "Article 5 – Mention de l'intervention du titulaire"),
        ("p", "Chaque document auquel les consultants du titulaire ont contribué mentionne explicitement "
              "leur intervention."),
    ])
    _docx(out / "cctp.docx", [
        ("h", "3. Données"),
        ("p", "À la fin du marché, le titulaire n'est pas tenu de détruire les données de l'administration "
              "qu'il détient."),
    ])
    _docx(out / "rc.docx", [("h", "1. Objet"), ("p", "Le marché relève du code 33.04.02 de la nomenclature des achats de l'État.")])
    _docx(out / "interne" / "note.docx", [("p", "Le titulaire s'engage à détruire toutes les données à la fin du marché.")],
          keywords="clauselint; clauselint:hors-marche")
    return out


@pytest.fixture(scope="module")
def as_dossier(dossier):
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    result = CliRunner().invoke(app, ["lint", "--dossier", str(dossier), "-f", "json", "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def _entry(data: dict, path: Path) -> dict:
    (entry,) = [f for f in data["files"] if f["path"] == str(path)]
    return entry


def test_the_dossier_entry_follows_its_pieces_and_lists_them(as_dossier, dossier):
    jsonschema.Draft202012Validator(LINT_SCHEMA).validate(as_dossier)
    paths = [f["path"] for f in as_dossier["files"]]
    pieces = [str(dossier / n) for n in ("ccap.docx", "cctp.docx", "rc.docx")]
    assert paths == [*pieces, str(dossier)]
    entry = _entry(as_dossier, dossier)
    assert entry["members"] == pieces
    assert [f["dossier"] for f in as_dossier["files"][:3]] == [str(dossier)] * 3
    assert entry["dossier"] is None


def test_a_clause_in_any_piece_counts_for_the_contract(as_dossier, dossier):
    entry = _entry(as_dossier, dossier)
    status = {c["family"]: c for c in entry["clauses"]}
    assert status["insignia"]["status"] == "present"
    assert status["insignia"]["evidence"]["path"] == str(dossier / "ccap.docx")
    assert status["consultant-mention"]["status"] == "present"
    # the CCTP's waiver wins over nothing: a contradiction anywhere is the contract's
    assert status["data-destruction"]["status"] == "contradicted"
    assert status["data-destruction"]["evidence"]["path"] == str(dossier / "cctp.docx")
    # the category comes from the RC, the only piece that names the purchasing code
    assert entry["context"]["category"] == 2
    assert entry["context"]["sources"]["category"].startswith(str(dossier / "rc.docx"))
    # each piece keeps its own statuses
    assert {c["family"]: c["status"] for c in _entry(as_dossier, dossier / "cctp.docx")["clauses"]}["insignia"] == "missing"


def test_missing_findings_once_for_the_dossier_contradictions_on_their_file(as_dossier, dossier):
    entry = _entry(as_dossier, dossier)
    codes = sorted(f["code"] for f in entry["findings"])
    assert codes == ["C103", "C104", "C105", "C106", "C108", "C109", "C110"]
    for piece in ("ccap.docx", "rc.docx"):
        assert _entry(as_dossier, dossier / piece)["findings"] == []
    (contradiction,) = _entry(as_dossier, dossier / "cctp.docx")["findings"]
    assert contradiction["code"] == "C207"
    assert contradiction["location"]["section"] == "3. Données"


def test_the_internal_note_is_left_out(as_dossier, dossier, cli):
    assert str(dossier / "interne" / "note.docx") not in [f["path"] for f in as_dossier["files"]]
    result = cli("lint", "--dossier", dossier, "-j", "1")
    assert f"{dossier / 'interne' / 'note.docx'}: non analysé : document hors marché (mot-clé clauselint:hors-marche" in result.stdout
    assert f"{dossier} — dossier de 3 pièces, catégorie 2, non agile, sans données personnelles" in result.stdout
    assert "ccap.docx › Article 4 – Signes distinctifs de l'administration" in result.stdout
    assert result.stdout.rstrip().endswith(
        "3 fichiers, 1 dossier, 7 erreurs, 0 avertissement, 1 information, 0 ignorée, 1 non analysé")


def test_without_the_option_each_file_stands_alone(dossier, cli):
    result = cli("lint", dossier, "-f", "json", "-j", "1")
    data = json.loads(result.stdout)
    assert all(f["members"] is None and f["dossier"] is None for f in data["files"])
    ccap = _entry(data, dossier / "ccap.docx")
    assert "C107" in [f["code"] for f in ccap["findings"]]
    assert str(dossier / "interne" / "note.docx") in [f["path"] for f in data["files"]]


def test_assembled_internal_note_declares_itself_outside_the_contract(tmp_path, cli):
    from clauselint.documents import read_document

    out = tmp_path / "dossier"
    assert cli("assemble", ROOT / "examples" / "tender.yaml", "-o", out).exit_code == 0
    assert read_document(out / "interne" / "note-de-conformite.docx").outside_contract()
    assert not read_document(out / "ccap.docx").outside_contract()
