"""The .pptx reader: slide text (page = slide number), notes, masters and layouts (the
scanner looks there for logos and footers), comments and properties, with zipfile + lxml."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from clauselint.documents.limits import Limits
from clauselint.documents.model import BlockKind, Document, Location
from clauselint.documents.ooxml import local, read_properties, relationships
from clauselint.documents.safety import SafeZip
from clauselint.documents.structure import BlockBuilder, clean
from clauselint.errors import DocumentError

FIX = "ouvrez-le dans PowerPoint ou LibreOffice et enregistrez-le à nouveau au format .pptx"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_A_P, _A_T, _A_BR, _A_TBL, _A_TC = (f"{{{NS_A}}}{n}" for n in ("p", "t", "br", "tbl", "tc"))
_P_PH = f"{{{NS_P}}}ph"
_MC_ALTERNATE, _MC_CHOICE = f"{{{NS_MC}}}AlternateContent", f"{{{NS_MC}}}Choice"
_TITLE_TYPES = {"title", "ctrTitle"}
_FOOTER_TYPES = {"ftr", "dt", "hdr"}
_SKIPPED_TYPES = {"sldNum", "sldImg"}


def _paragraphs(body: etree._Element) -> list[str]:
    """The text of each a:p directly under a text body, line breaks kept."""
    texts = []
    for p in body.iter(_A_P):
        pieces = [("\n" if el.tag == _A_BR else (el.text or "")) for el in p.iter(_A_T, _A_BR)]
        text = clean("".join(pieces))
        if text:
            texts.append(text)
    return texts


def _shapes(tree: etree._Element):
    """Shapes of a shape tree in z-order, groups and alternate content flattened."""
    for child in tree:
        name = local(child.tag)
        if name == "grpSp":
            yield from _shapes(child)
        elif child.tag == _MC_ALTERNATE:
            for option in child:
                if option.tag == _MC_CHOICE:
                    yield from _shapes(option)
                    break
        elif name in ("sp", "graphicFrame", "cxnSp"):
            yield child


def _placeholder(shape: etree._Element) -> str | None:
    """The placeholder type of a shape ("body" when untyped), or None for a free shape."""
    for ph in shape.iter(_P_PH):
        return ph.get("type", "body")
    return None


class _PptxReader:
    def __init__(self, path: Path, package: SafeZip) -> None:
        self.path = path
        self.package = package
        self.builder = BlockBuilder(path, "pptx")
        self.seen_master_text: set[tuple[str, str]] = set()

    def read(self) -> Document:
        main = next((t for _, kind, t in relationships(self.package, "") if kind == "officeDocument"),
                    "ppt/presentation.xml")
        root = self.package.xml(main)
        if root is None or local(root.tag) != "presentation":
            raise DocumentError(f"présentation absente ({main}) : {FIX}", where=self.path)
        rels = relationships(self.package, main)
        by_id = {rid: target for rid, _, target in rels}
        authors = self._authors([t for _, kind, t in rels if kind in ("commentAuthors", "authors")])
        slides = []
        for sld in root.iter(f"{{{NS_P}}}sldId"):
            target = by_id.get(sld.get(f"{{{NS_R}}}id") or "")
            if target:
                slides.append(target)
        for number, part in enumerate(slides, start=1):
            self._slide(part, number, authors)
        for master in [t for _, kind, t in rels if kind == "slideMaster"]:
            self._master(master)
            for _, kind, layout in relationships(self.package, master):
                if kind == "slideLayout":
                    self._master(layout)
        read_properties(self.package, self.builder)
        doc = self.builder.document
        doc.pages = len(slides)
        doc.image_names = [n for n in self.package.names() if n.startswith("ppt/media/") and not n.endswith("/")]
        return doc

    def _authors(self, parts: list[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        for part in parts:
            root = self.package.xml(part)
            if root is None:
                continue
            for author in root:
                if local(author.tag) in ("cmAuthor", "author") and author.get("id") is not None:
                    names[author.get("id") or ""] = author.get("name") or ""
        return names

    def _slide(self, part: str, number: int, authors: dict[str, str]) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        tree = next(root.iter(f"{{{NS_P}}}spTree"), None)
        shapes = list(_shapes(tree)) if tree is not None else []
        title = None
        for shape in shapes:
            if _placeholder(shape) in _TITLE_TYPES:
                title = " ".join(" ".join(_paragraphs(shape)).split()) or None
                break
        section = f"Diapositive {number} – {title}" if title else f"Diapositive {number}"
        for shape in shapes:
            ph = _placeholder(shape)
            if ph in _SKIPPED_TYPES:
                continue
            kind: BlockKind = "footer" if ph in _FOOTER_TYPES else "slide"
            if local(shape.tag) == "graphicFrame":
                for table in shape.iter(_A_TBL):
                    for cell in table.iter(_A_TC):
                        self.builder.add("\n".join(_paragraphs(cell)), "table-cell", page=number, section=section)
                continue
            for text in _paragraphs(shape):
                self.builder.add(text, kind, page=number, section=section if kind == "slide" else None,
                                 style="title" if ph in _TITLE_TYPES else None, already_clean=True)
        for _, kind, target in relationships(self.package, part):
            if kind == "notesSlide":
                self._notes(target, number, section)
            elif kind == "comments":
                self._comments(target, number, section, authors)

    def _notes(self, part: str, number: int, section: str) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        tree = next(root.iter(f"{{{NS_P}}}spTree"), None)
        for shape in _shapes(tree) if tree is not None else ():
            if _placeholder(shape) in (_SKIPPED_TYPES | _FOOTER_TYPES):
                continue
            for text in _paragraphs(shape):
                self.builder.add(text, "notes", page=number, section=section, already_clean=True)

    def _comments(self, part: str, number: int, section: str, authors: dict[str, str]) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        for comment in root.iter():
            if local(comment.tag) not in ("cm", "reply"):
                continue
            # Legacy comments keep their text in p:text; modern ones in a DrawingML txBody.
            texts = [child.text or "" for child in comment if local(child.tag) == "text"]
            for child in comment:
                if local(child.tag) == "txBody":
                    texts.extend(_paragraphs(child))
            author = authors.get(comment.get("authorId") or "")
            self.builder.comment("\n".join(texts), author, None, Location(page=number, section=section))

    def _master(self, part: str) -> None:
        """Free text and footers of a master or layout; placeholder prompts are skipped."""
        root = self.package.xml(part)
        if root is None:
            return
        tree = next(root.iter(f"{{{NS_P}}}spTree"), None)
        for shape in _shapes(tree) if tree is not None else ():
            ph = _placeholder(shape)
            if ph is None:
                kind: BlockKind = "header"
            elif ph in ("ftr", "hdr"):
                kind = "footer"
            else:
                continue
            for text in _paragraphs(shape):
                if (kind, text) not in self.seen_master_text:
                    self.seen_master_text.add((kind, text))
                    self.builder.add(text, kind, section=None, style=f"master:{part.rpartition('/')[2]}",
                                     already_clean=True)


def read_pptx(path: Path, limits: Limits) -> Document:
    with SafeZip(path, limits, FIX) as package:
        if package.has("EncryptedPackage"):
            raise DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=path)
        return _PptxReader(path, package).read()
