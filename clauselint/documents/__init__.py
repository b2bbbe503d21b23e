"""Document readers: one function, read_document(), turns any supported file into a Document.

Formats: .docx, .pdf, .odt/.ott, .pptx, .txt, .md, .html/.htm (docs/documents.md). Readers
know nothing of rules; every failure is a DocumentError with one French line.
"""

from __future__ import annotations

from pathlib import Path

from clauselint.documents.limits import Limits
from clauselint.documents.model import Block, BlockKind, Comment, Document, Location
from clauselint.errors import DocumentError

__all__ = [
    "Block", "BlockKind", "Comment", "Document", "DocumentError", "Limits", "Location",
    "SUPPORTED_EXTENSIONS", "read_document", "read_image",
]

# Extension → format name (Document.format).
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".docx": "docx", ".docm": "docx", ".dotx": "docx",
    ".pdf": "pdf",
    ".odt": "odt", ".ott": "odt",
    ".pptx": "pptx", ".pptm": "pptx",
    ".txt": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html",
}
_ZIP_FORMATS = {"docx", "odt", "pptx"}
_LEGACY = {
    ".doc": ("docx", "Word 97-2003 (.doc)", ".docx"),
    ".dot": ("docx", "Word 97-2003 (.dot)", ".docx"),
    ".ppt": ("pptx", "PowerPoint 97-2003 (.ppt)", ".pptx"),
    ".rtf": ("docx", "RTF", ".docx"),
}


def read_document(path: str | Path, limits: Limits | None = None) -> Document:
    """Read one document into the shared model; raises DocumentError for anything unreadable."""
    from clauselint.documents.safety import check_file, refuse_non_zip, sniff

    path = Path(path)
    limits = limits or Limits()
    suffix = path.suffix.lower()
    fmt = SUPPORTED_EXTENSIONS.get(suffix)
    if fmt is None and suffix not in _LEGACY:
        listed = ", ".join(sorted({".docx", ".pdf", ".odt", ".ott", ".pptx", ".txt", ".md", ".html", ".htm"}))
        shown = suffix or "sans extension"
        raise DocumentError(f"format non pris en charge ({shown}) : formats lus : {listed}", where=path)
    head = check_file(path, limits)
    kind = sniff(head)
    if suffix in _LEGACY:
        target, label, modern = _LEGACY[suffix]
        if kind != "zip":
            if kind == "ole":
                raise refuse_non_zip(path, kind, target, head, limits)
            raise DocumentError(f"ancien format {label} : enregistrez-le au format {modern} puis relancez", where=path)
        fmt = target  # a .docx renamed .doc: read it as what it is
    assert fmt is not None
    if fmt in _ZIP_FORMATS and kind != "zip":
        raise refuse_non_zip(path, kind, "odt" if fmt == "odt" else fmt, head, limits)
    if fmt == "pdf" and kind != "pdf":
        if kind in ("zip", "ole"):
            raise DocumentError("ce fichier n'est pas un PDF (c'est un document Office) : "
                                "corrigez son extension (.docx, .pptx, .odt)", where=path)
        raise DocumentError("ce n'est pas un PDF valide (en-tête %PDF absent) : ré-exportez-le en PDF", where=path)
    return _reader(fmt)(path, limits)


# Each reader module is imported only when a file of its format is read (python-docx, pypdfium2…
# stay off the paths that do not need them).
_READERS = {
    "docx": ("docx", "read_docx"), "pptx": ("pptx", "read_pptx"), "odt": ("odt", "read_odt"),
    "pdf": ("pdf", "read_pdf"), "txt": ("text", "read_text"), "md": ("text", "read_text"),
    "html": ("html", "read_html"),
}


def _reader(fmt: str):
    from importlib import import_module

    module, function = _READERS[fmt]
    return getattr(import_module(f"clauselint.documents.{module}"), function)


def read_image(document: Document, name: str, limits: Limits | None = None) -> bytes:
    """The bytes of one embedded image listed in ``document.image_names`` (read under limits)."""
    from clauselint.documents.safety import SafeZip

    if name not in document.image_names:
        raise DocumentError(f"image « {name} » absente du document", where=document.path)
    with SafeZip(document.path, limits or Limits(), "enregistrez le document à nouveau") as package:
        data = package.read(name)
    if data is None:
        raise DocumentError(f"image « {name} » absente du document", where=document.path)
    return data
