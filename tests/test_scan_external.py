"""`clauselint scan` on real documents written by others (shared/corpus-external): no crash, and
no finding without signals that really are in the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXTERNAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-external" / "files"

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="shared/corpus-external is not beside the repository")


def _haystack(path: Path) -> str:
    """Everything the scanner could have read in the file: text, metadata, authors, XMP, image names."""
    from clauselint.documents import Limits, read_document
    from clauselint.scan.package import read_extras

    doc = read_document(path, Limits())
    extras = read_extras(path, doc.format, Limits())
    parts = [b.text for b in doc.blocks] + [c.text for c in doc.comments] + [c.author or "" for c in doc.comments]
    parts += list(doc.metadata.values()) + doc.revision_authors + [v for _, v in extras.xmp]
    parts += [image.name for image in extras.images]
    return " ".join(" ".join(parts).split())


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    tmp = tmp_path_factory.mktemp("ext")
    out = tmp / "ext.json"
    result = CliRunner().invoke(app, ["scan", str(EXTERNAL), "--db", str(tmp / "s.db"), "-j", "2", "-f", "json",
                                      "-o", str(out)], catch_exceptions=False)
    return result, json.loads(out.read_text(encoding="utf-8"))


def test_every_signal_is_found_in_its_file(report):
    _result, data = report
    assert len(data["files"]) == len([p for p in EXTERNAL.iterdir() if p.is_file()])
    checked = 0
    for entry in data["files"]:
        assert entry["error"] is None, entry
        signals = list(entry["authorship"]["signals"]) + list(entry["insignia"]["signals"])
        for finding in entry["findings"]:
            assert finding["signals"], finding
            signals += finding["signals"]
        if not signals:
            continue
        haystack = _haystack(Path(entry["path"]))
        for signal in signals:
            value = " ".join(signal["value"].split()).rstrip("…")
            assert value and value in haystack, (entry["path"], signal)
            checked += 1
    assert checked >= 5  # the Marianne images of the administrations' own documents


def test_administrations_documents_carry_insignia_but_get_no_finding(report):
    result, data = report
    assert result.exit_code == 0
    assert data["summary"]["findings"] == {"D301": 0, "D302": 0}
    with_marianne = sorted(Path(f["path"]).name for f in data["files"] if f["insignia"]["present"])
    # The State's flag with the Marianne, found inside the banners and blocs of real documents.
    assert "dinum-marche-produit-2025-ccap.pdf" in with_marianne
    assert "dgpr-aquareel-2025-bpu.odt" in with_marianne
    assert len(with_marianne) >= 5
