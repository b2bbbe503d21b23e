"""Word → PDF with LibreOffice headless, tables of contents updated first (so the PDF shows page numbers)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from clauselint.errors import ClauselintError

INSTALL_HINT = (
    "LibreOffice (commande « soffice ») introuvable dans le PATH : la conversion en PDF en a besoin ; "
    "installez-le (Debian, Ubuntu : « apt-get install libreoffice-writer-nogui ») puis relancez, "
    "ou retirez --pdf"
)

TIMEOUT_SECONDS = 300

# A StarBasic macro run in a private LibreOffice profile: open each file hidden, update its
# indexes (the TOC field), export it to PDF. A plain « --convert-to pdf » would keep the TOC
# as it was cached in the .docx, without page numbers.
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Clauselint" script:language="StarBasic">
Sub ConvertAll(listFile As String)
  Dim f As Integer, src As String
  f = FreeFile()
  Open listFile For Input As #f
  Do While Not Eof(f)
    Line Input #f, src
    If Len(src) &gt; 0 Then ConvertOne(src)
  Loop
  Close #f
End Sub

Sub ConvertOne(src As String)
  On Error Goto Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  Dim doc As Object
  doc = StarDesktop.loadComponentFromURL(src, &quot;_blank&quot;, 0, load())
  Dim indexes As Object
  indexes = doc.getDocumentIndexes()
  Dim i As Integer
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(Left(src, Len(src) - 5) &amp; &quot;.pdf&quot;, store())
  doc.close(True)
  Exit Sub
Failed:
  On Error Resume Next
  doc.close(True)
End Sub
</script:module>
"""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    found = find_soffice()
    if found is None:
        raise ClauselintError(INSTALL_HINT)
    return found


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=False, capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ClauselintError(
            f"LibreOffice n'a pas terminé la conversion en {TIMEOUT_SECONDS} s ; fermez les instances de "
            "LibreOffice ouvertes et relancez"
        ) from None


def convert_to_pdf(files: list[Path]) -> list[Path]:
    """Convert ``files`` (.docx) to PDF next to them; returns the PDFs. Raises when one is missing."""
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="clauselint-lo-") as tmp:
        profile = Path(tmp) / "profile"
        profile_url = profile.as_uri()
        # First start: LibreOffice creates the profile (it would overwrite a macro written before).
        _run([soffice, "--headless", "--norestore", "--terminate_after_init", f"-env:UserInstallation={profile_url}"])
        standard = profile / "user" / "basic" / "Standard"
        macro_ok = (standard / "script.xlb").is_file()
        if macro_ok:
            (standard / "Clauselint.xba").write_text(_MODULE, encoding="utf-8")
            xlb = (standard / "script.xlb").read_text(encoding="utf-8")
            if 'library:name="Clauselint"' not in xlb:
                xlb = xlb.replace("</library:library>", ' <library:element library:name="Clauselint"/>\n</library:library>')
                (standard / "script.xlb").write_text(xlb, encoding="utf-8")
            listing = Path(tmp) / "files.txt"
            listing.write_text("".join(f"{p.resolve().as_uri()}\n" for p in files), encoding="utf-8")
            _run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile_url}",
                  f'macro:///Standard.Clauselint.ConvertAll("{listing}")'])
        missing = [p for p in files if not p.with_suffix(".pdf").is_file()]
        if missing:
            # Fallback: the stock converter (the TOC keeps its cached entries, without page numbers).
            by_folder: dict[Path, list[Path]] = {}
            for path in missing:
                by_folder.setdefault(path.parent, []).append(path)
            for folder, paths in by_folder.items():
                _run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile_url}",
                      "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)])
    missing = [p for p in files if not p.with_suffix(".pdf").is_file()]
    if missing:
        raise ClauselintError(
            f"LibreOffice n'a pas converti {', '.join(p.name for p in missing)} en PDF ; vérifiez l'installation "
            "de LibreOffice (soffice --headless --convert-to pdf) et relancez"
        )
    return [p.with_suffix(".pdf") for p in files]
