"""The PDF reader: the text layer with page numbers (PDFium through pypdfium2: reading order
kept, fastest measured, see docs/documents.md), paragraphs rebuilt from wrapped lines, running
headers/footers set apart, headings, Info and XMP metadata (pypdf)."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from pathlib import Path

from clauselint.documents.limits import Limits
from clauselint.documents.model import Document
from clauselint.documents.safety import parse_xml
from clauselint.documents.structure import BlockBuilder, clean, heading_rank, is_toc_line, join_lines
from clauselint.errors import DocumentError

FIX = "ré-exportez-le en PDF depuis son logiciel d'origine"
SCANNED = "pas de couche texte : document numérisé, OCR nécessaire (passez-le dans un logiciel d'OCR puis relancez)"

# Lines looked at, at the top and bottom of each page, for running headers and footers.
_ZONE = 5
_PAGE_NUMBER_KEY = re.compile(r"^[-–—(\[]*(?:page|p\.)?#(?:(?:/|sur|\||de|of)#)?[-–—)\]]*$")
_BULLET = re.compile(r"^(?:[•●▪■◦○►▸➢➤✓✔‣⁃\-–—*]|[\ue000-\uf8ff]|o(?=\s)|\d{1,2}°|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))")
_ENDS_PARAGRAPH = tuple(".!?:;")
_MARKER_ONLY = re.compile(r"(?:[•●▪■◦○►▸➢➤✓✔‣⁃\-–—*]|[\ue000-\uf8ff]|o|\d{1,2}(?:\.\d{1,2})*\.?|\d{1,2}°|[a-z]\))")
_KEYWORD_HEADING = re.compile(r"^(?:ARTICLE|Article|ART\.|Art\.|CHAPITRE|Chapitre|TITRE|Titre|ANNEXE|Annexe|PARTIE|Partie)\b")
_INFO_KEYS = {
    "/Title": "title", "/Author": "creator", "/Subject": "subject", "/Keywords": "keywords",
    "/Creator": "application", "/Producer": "producer", "/CreationDate": "created", "/ModDate": "modified",
    "/Company": "company", "/Manager": "manager", "/SourceModified": "source_modified", "/Trapped": None,
}
_XMP = {
    "http://purl.org/dc/elements/1.1/": {"creator": "creator", "title": "title", "description": "subject",
                                         "subject": "keywords"},
    "http://ns.adobe.com/xap/1.0/": {"CreatorTool": "application", "CreateDate": "created",
                                     "ModifyDate": "modified"},
    "http://ns.adobe.com/pdf/1.3/": {"Producer": "producer", "Keywords": "keywords"},
}
_PDFX = "http://ns.adobe.com/pdfx/1.3/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# pypdf reports recoverable oddities through logging; the reader's caller sees nothing of
# them (the metadata is still read), not stray lines on stderr.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _key(line: str) -> str:
    """A line normalised so that a running header matches itself on every page."""
    return re.sub(r"\d+", "#", "".join(line.lower().split()))


def _pdf_date(value: str) -> str:
    """``D:20220419180227+02'00'`` → ``2022-04-19T18:02:27+02:00`` (unchanged if not a PDF date)."""
    match = re.match(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?", value.strip())
    if not match:
        return value
    year, month, day, hour, minute, second, zone = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        text += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zone:
            text += "Z" if zone in "Zz" else f"{zone[:3]}:{zone.replace(chr(39), '')[3:5]}"
    return text


class _PdfReader:
    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.builder = BlockBuilder(path, "pdf")

    def read(self) -> Document:
        pages = self._page_texts()
        doc = self.builder.document
        doc.pages = len(pages)
        page_lines = [self._lines(text) for text in pages]
        if not any(page_lines):
            raise DocumentError(SCANNED, where=self.path)
        empty = [str(number) for number, lines in enumerate(page_lines, start=1) if not lines]
        if empty:
            shown = ", ".join(empty[:10]) + (" …" if len(empty) > 10 else "")
            doc.warnings.append(f"pages sans couche texte (numérisées ?) : {shown} ; leur texte n'est pas lu")
        self._paragraphs(page_lines)
        self._metadata()
        return doc

    def _page_texts(self) -> list[str]:
        """Each page's text layer, read with PDFium (pypdfium2): same reading order as pypdf on
        the corpus, about 12× faster (docs/documents.md)."""
        import pypdfium2 as pdfium

        try:
            # PDFium tries the empty user password itself: print-protected PDFs open.
            pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise self._encrypted() from exc
            raise DocumentError(f"PDF illisible ou endommagé ({_short(exc)}) : {FIX}", where=self.path) from exc
        try:
            texts = []
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range())
                finally:
                    textpage.close()
                    page.close()
            return texts
        except pdfium.PdfiumError as exc:
            raise DocumentError(f"PDF illisible ou endommagé ({_short(exc)}) : {FIX}", where=self.path) from exc
        finally:
            pdf.close()

    def _encrypted(self) -> DocumentError:
        return DocumentError("PDF protégé par un mot de passe : enregistrez-le sans mot de passe puis relancez",
                             where=self.path)

    @staticmethod
    def _lines(text: str) -> list[str]:
        # PDFium ends lines with \r\n and marks a hyphen it joined across a line end as U+FFFE.
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").replace("\uffff", "")
        lines = [clean(line) for line in text.split("\n")]
        # Leading and trailing blank lines carry nothing; inner ones separate paragraphs.
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def _running(self, page_lines: list[list[str]]) -> tuple[set[str], int]:
        """Keys of lines that repeat at the top or bottom of most pages."""
        counts: Counter[str] = Counter()
        for lines in page_lines:
            filled = [line for line in lines if line]
            counts.update({_key(line) for line in filled[:_ZONE] + filled[-_ZONE:]})
        pages = len(page_lines)
        needed = max(3, math.ceil(pages * 0.5))
        # A lone bullet or rule repeats at page edges too, but it is not a running header.
        running = {key for key, count in counts.items()
                   if count >= needed and re.search(r"[\w#]", key)} if pages >= 3 else set()
        return running, pages

    def _paragraphs(self, page_lines: list[list[str]]) -> None:
        running, _ = self._running(page_lines)
        body_lengths = sorted(len(line) for lines in page_lines for line in lines if line)
        wide = body_lengths[int(len(body_lengths) * 0.8)] if body_lengths else 80
        short = max(20, int(wide * 0.8))
        builder = self.builder
        current: list[str] = []
        start_page = 1

        def flush() -> None:
            nonlocal current
            if current:
                builder.add(_join(current), "paragraph", page=start_page)
            current = []

        for number, lines in enumerate(page_lines, start=1):
            headers, body, footers = self._split_running(lines, running)
            # A paragraph cut by the page break goes on when the next page starts mid-sentence.
            first = next((line for line in body if line), "")
            if current and not (first[:1].islower() or current[-1].endswith(("-", ","))):
                flush()
            for line in headers:
                builder.add(line, "header", page=number, section=None, already_clean=True)
            if not current:
                start_page = number
            i = 0
            while i < len(body):
                line = body[i]
                i += 1
                if not line:
                    flush()
                    continue
                rank = heading_rank(line)
                if rank is not None and (not current or current[-1].endswith(_ENDS_PARAGRAPH)
                                         or _KEYWORD_HEADING.match(line)):
                    flush()
                    heading = line
                    # An upper-case title wrapped over lines: « ARTICLE 9 - MODALITES DE » « L'ACCORD ».
                    while (i < len(body) and heading.isupper() and body[i].isupper()
                           and (len(body[i]) < 90 or is_toc_line(body[i]))
                           and not body[i][:1].isdigit() and heading_rank(body[i]) is None):
                        heading = f"{heading} {body[i]}"
                        i += 1
                    start_page = number
                    if is_toc_line(heading):
                        builder.add(heading, "paragraph", page=number)
                    else:
                        builder.add(heading, rank=rank, page=number)
                    continue
                if is_toc_line(line):
                    flush()
                    start_page = number
                    builder.add(line, "paragraph", page=number)
                    continue
                if current and (_BULLET.match(line) or _paragraph_ends(current[-1], line, short)):
                    flush()
                if not current:
                    start_page = number
                current.append(line)
            if footers:
                last_page_paragraph = current and current[-1].endswith(_ENDS_PARAGRAPH)
                if last_page_paragraph:
                    flush()
                for line in footers:
                    builder.add(line, "footer", page=number, section=None, already_clean=True)
        flush()

    @staticmethod
    def _split_running(lines: list[str], running: set[str]) -> tuple[list[str], list[str], list[str]]:
        """A page's lines as (running headers, body lines, running footers).

        Body lines keep "" where a blank line separates paragraphs, unless the page puts a blank
        line after every line (some exporters do), where blank lines say nothing.
        """
        filled = [i for i, line in enumerate(lines) if line]
        zone = set(filled[:_ZONE] + filled[-_ZONE:])
        edge = set(filled[:2] + filled[-2:])
        position = {index: rank for rank, index in enumerate(filled)}
        headers: list[str] = []
        footers: list[str] = []
        body: list[str] = []
        for i, line in enumerate(lines):
            if i in zone:
                key = _key(line)
                if key in running or (i in edge and _PAGE_NUMBER_KEY.match(key)):
                    (headers if position[i] < len(filled) / 2 else footers).append(line)
                    continue
            body.append(line)
        blanks = sum(1 for line in body if not line)
        if blanks > 0.6 * (len(body) - blanks):
            body = [line for line in body if line]
        # A bullet or a number alone on its line belongs to the next line: « 1. » + « Introduction ».
        merged: list[str] = []
        for line in body:
            if merged and merged[-1] and _MARKER_ONLY.fullmatch(merged[-1]) and line:
                merged[-1] = f"{merged[-1]} {line}"
            else:
                merged.append(line)
        return headers, merged, footers

    def _metadata(self) -> None:
        """Info dictionary, then XMP, read with pypdf (it only parses what it is asked for)."""
        import pypdf

        add = self.builder.metadata
        try:
            reader = pypdf.PdfReader(str(self.path), strict=False)
            if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                return
            info = reader.metadata or {}
            for key in list(info.keys()):
                value = info.get(key)
                value = value.get_object() if hasattr(value, "get_object") else value
                text = str(value) if value is not None else ""
                name = _INFO_KEYS.get(key, f"custom.{key.lstrip('/')}")
                if name is None:
                    continue
                add(name, _pdf_date(text) if name in ("created", "modified") else text)
        except Exception as exc:  # damaged metadata must not hide text PDFium could read
            self.builder.document.warnings.append(f"métadonnées PDF illisibles ({type(exc).__name__})")
            return
        self._xmp(reader)

    def _xmp(self, reader) -> None:
        try:
            root = reader.trailer["/Root"].get_object()
            stream = root.get("/Metadata")
            if stream is None:
                return
            data = stream.get_object().get_data()
        except Exception:  # no readable XMP stream: the Info dictionary is enough
            return
        if not data or len(data) > 4 * 1024 * 1024:
            return
        try:
            xmp = parse_xml(data.strip(), self.path, "XMP", FIX)
        except DocumentError as exc:
            self.builder.document.warnings.append(f"métadonnées XMP ignorées : {exc.message}")
            return
        add = self.builder.metadata
        for description in xmp.iter(f"{{{_RDF}}}Description"):
            properties = [(name, value) for name, value in description.attrib.items()]
            properties += [(child.tag, " ; ".join(t.strip() for t in child.itertext() if t.strip()))
                           for child in description if isinstance(child.tag, str)]
            for tag, value in properties:
                ns, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
                key = _XMP.get(ns, {}).get(name)
                if ns == _PDFX:
                    key = "company" if name.lower() == "company" else f"custom.{name}"
                if key:
                    add(key, value)


def _paragraph_ends(previous: str, line: str, short: int) -> bool:
    """Whether a paragraph ends between two lines of text.

    A sentence ending at the end of a line, followed by a capital, closes the block: when it
    was in fact mid-paragraph, the split falls on a sentence boundary and costs nothing to a
    sentence-based reader. A colon or semicolon closes it only on a short (last) line.
    """
    if previous.endswith((".", "!", "?", "…")):
        return not line[:1].islower()
    return previous.endswith((":", ";")) and len(previous) < short


def _join(lines: list[str]) -> str:
    # PDF text layers often put a space before a full stop or a comma.
    return re.sub(r" ([.,])(?=\s|$)", r"\1", join_lines(lines))


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] + ("…" if len(text) > 120 else "")


def read_pdf(path: Path, limits: Limits) -> Document:
    return _PdfReader(path, limits).read()
