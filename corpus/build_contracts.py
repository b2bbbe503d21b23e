"""Render the corpus contracts (corpus/contracts/src/*.md) to .docx, .odt or .pdf test inputs.

Run by hand, not in CI, whenever a source changes:

    .venv/bin/python corpus/build_contracts.py            # every contract
    .venv/bin/python corpus/build_contracts.py ccap-x     # only the sources whose name starts so

Each source starts with a YAML front matter (``format``: docx | odt | pdf, ``buyer``, optional
``header``/``footer`` texts) followed by a small Markdown dialect:

- ``# ``/``## ``/``### `` headings → Word « Heading 1/2/3 » styles;
- ``% `` Title, ``%% `` Subtitle, ``> `` a centred line (title page), ``\\newpage`` a page break;
- pipe tables (first row = header) → real Word tables;
- ``- `` bullets, ``1. `` numbered items;
- inline ``**bold**``, ``*italic*``, footnote references ``[^n]`` with ``[^n]: text`` definitions
  (real Word footnotes), and ``[[comment: Author | text]]`` at the end of a paragraph (a real
  Word comment anchored on that paragraph).

.docx is written with python-docx; .odt and .pdf are converted from that .docx with LibreOffice
headless (``soffice``), so that every format carries the same headings, tables, header/footer,
footnotes and comments. The generated binaries are committed: they are the readers' and the
linter's test inputs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SRC = HERE / "contracts" / "src"
OUT = HERE / "contracts"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# Deterministic core properties, so that regenerating an unchanged source gives the same text.
AUTHOR = "clauselint corpus"

INLINE = re.compile(r"(\*\*.+?\*\*|\*[^*\s][^*]*?\*|\[\^[\w-]+\])")
COMMENT = re.compile(r"\s*\[\[comment:\s*(?P<author>[^|\]]+?)\s*\|\s*(?P<text>[^\]]+?)\s*\]\]\s*$")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<key>[\w-]+)\]:\s*(?P<text>.+)$")


def split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise SystemExit("source must start with a YAML front matter")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def blocks(body: str) -> list[list[str]]:
    """Blank-line separated blocks; a table or list stays one block."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in body.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


class Footnotes:
    """A word/footnotes.xml part, created on first use (python-docx has no footnote API)."""

    def __init__(self, document):
        self.document = document
        self.element = None
        self.next_id = 1

    def _ensure(self):
        if self.element is not None:
            return
        self.element = parse_xml(
            f'<w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            "</w:r></w:p></w:footnote></w:footnotes>"
        )

    def add(self, paragraph, text: str) -> None:
        self._ensure()
        note_id = self.next_id
        self.next_id += 1
        self.element.append(
            parse_xml(
                f'<w:footnote xmlns:w="{W_NS}" w:id="{note_id}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {_xml_escape(text)}</w:t></w:r>'
                "</w:p></w:footnote>"
            )
        )
        run = paragraph.add_run()
        run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="{note_id}"/>'))
        run.font.superscript = True

    def attach(self) -> None:
        if self.element is None:
            return
        from lxml import etree

        blob = etree.tostring(self.element, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = self.document.part.package
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, blob, package)
        self.document.part.relate_to(part, RT.FOOTNOTES)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_inline(paragraph, text: str, footnotes: Footnotes, notes: dict[str, str]) -> None:
    for piece in INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("[^"):
            key = piece[2:-1]
            if key not in notes:
                raise SystemExit(f"footnote [^{key}] has no definition")
            footnotes.add(paragraph, notes[key])
        elif piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def add_table(document, lines: list[str], footnotes: Footnotes, notes: dict[str, str]) -> None:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) for c in r)]
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for index, cells in enumerate(rows):
        row = table.add_row()
        for col, value in enumerate(cells + [""] * (width - len(cells))):
            paragraph = row.cells[col].paragraphs[0]
            add_inline(paragraph, value, footnotes, notes)
            if index == 0:
                for run in paragraph.runs:
                    run.bold = True
        if index == 0:
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f'<w:tblHeader xmlns:w="{W_NS}"/>'))
    document.add_paragraph()


def set_header_footer(document, header: str | None, footer: str | None) -> None:
    section = document.sections[0]
    if header:
        paragraph = section.header.paragraphs[0]
        paragraph.text = header
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in paragraph.runs:
            run.font.size = Pt(8)
    if footer:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = footer + " – page "
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.font.size = Pt(8)
        paragraph._p.append(
            parse_xml(
                f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
                "<w:t>1</w:t></w:r></w:fldSimple>"
            )
        )


def build_docx(meta: dict, body: str, target: Path) -> None:
    document = Document()
    core = document.core_properties
    core.author = AUTHOR
    core.title = meta.get("title", "")
    core.subject = meta.get("buyer", "")
    style = document.styles["Normal"]
    style.font.name = "Liberation Serif"
    style.font.size = Pt(11)
    set_header_footer(document, meta.get("header"), meta.get("footer"))

    raw_blocks = blocks(body)
    notes: dict[str, str] = {}
    kept: list[list[str]] = []
    for block in raw_blocks:
        match = FOOTNOTE_DEF.match(block[0])
        if match and len(block) == 1:
            notes[match["key"]] = match["text"]
        else:
            kept.append(block)
    footnotes = Footnotes(document)

    for block in kept:
        first = block[0]
        if first.startswith("|"):
            add_table(document, block, footnotes, notes)
            continue
        if first == "\\newpage":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", first)
        if heading and len(block) == 1:
            document.add_heading(heading[2], level=len(heading[1]))
            continue
        if all(re.match(r"^(- |\d+\. )", line) for line in block):
            for line in block:
                numbered = re.match(r"^\d+\. ", line) is not None
                text = re.sub(r"^(- |\d+\. )", "", line)
                paragraph = document.add_paragraph(style="List Number" if numbered else "List Bullet")
                add_inline(paragraph, text, footnotes, notes)
            continue
        for line in block if first.startswith(("%", ">")) else [" ".join(block)]:
            add_paragraph(document, line, footnotes, notes)

    footnotes.attach()
    document.save(target)


def add_paragraph(document, line: str, footnotes: Footnotes, notes: dict[str, str]) -> None:
    comment = COMMENT.search(line)
    if comment:
        line = line[: comment.start()]
    if line.startswith("%% "):
        paragraph = document.add_paragraph(style="Subtitle")
        line = line[3:]
    elif line.startswith("% "):
        paragraph = document.add_paragraph(style="Title")
        line = line[2:]
    elif line.startswith("> "):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line = line[2:]
    else:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    add_inline(paragraph, line, footnotes, notes)
    if comment:
        document.add_comment(paragraph.runs, text=comment["text"], author=comment["author"], initials="".join(
            w[0] for w in comment["author"].split()).upper())


def convert(docx: Path, fmt: str, target: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed for .odt/.pdf: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        # A private profile: another soffice running on the machine must not lock ours.
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", tmp, str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(Path(tmp, docx.stem + "." + fmt), target)


def build(source: Path) -> Path:
    meta, body = split_front_matter(source.read_text(encoding="utf-8"))
    fmt = meta["format"]
    target = OUT / f"{source.stem}.{fmt}"
    if fmt == "docx":
        build_docx(meta, body, target)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            docx = Path(tmp, source.stem + ".docx")
            build_docx(meta, body, docx)
            convert(docx, fmt, target)
    return target


def main(argv: list[str]) -> None:
    prefixes = argv or [""]
    sources = sorted(p for p in SRC.glob("*.md") if any(p.stem.startswith(x) for x in prefixes))
    if not sources:
        raise SystemExit("no source matched")
    for source in sources:
        print(build(source).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
