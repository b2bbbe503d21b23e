"""A fixed contract opens in LibreOffice: it converts to PDF, the inserted article is in the text, the comment too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from clauselint.library.render import paragraphs, render_clause

ROOT = Path(__file__).resolve().parent.parent
AGRI = ROOT / "corpus" / "contracts" / "ccap-ministere-agriculture-strategie-numerique.docx"
SOFFICE = shutil.which("soffice")

# Export the Word comments as PDF annotations, so the test can read them back.
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : apt-get install libreoffice-writer-nogui")
def test_fixed_contract_converts_with_libreoffice(tmp_path, cli, library):
    from pypdf import PdfReader

    fixed = tmp_path / "agri.corrige.docx"
    result = cli("fix", AGRI, "-o", fixed, "--categorie", "1", "--non-agile", "--sans-donnees-personnelles",
                 "--only", "data-destruction")
    assert result.exit_code == 0, result.output
    profile = (tmp_path / "lo-profile").as_uri()
    run = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", PDF_FILTER,
         "--outdir", str(tmp_path), str(fixed)],
        capture_output=True, timeout=240, check=False,
    )
    pdf = tmp_path / "agri.corrige.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stderr.decode(errors="replace")
    reader = PdfReader(pdf)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Article 6 bis – Destruction systématique des données en fin de marché" in text
    first = paragraphs(render_clause(library.get("data-destruction")))[0]
    assert " ".join(first.split()[:12]) in text
    # The text that follows the new article is still there, in order.
    assert text.index("Article 6 bis") < text.index("Article 7 – Sécurité des systèmes d'information")
    notes = [
        str(annotation.get_object().get("/Contents", ""))
        for page in reader.pages
        for annotation in (page.get("/Annots") or [])
        if annotation.get_object().get("/Subtype") == "/Text"
    ]
    assert any("C107 missing-data-destruction" in note and "data-destruction" in note for note in notes), notes
