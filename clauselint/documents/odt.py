"""The OpenDocument text reader (.odt, .ott): paragraphs and headings, lists, tables, frames,
notes, annotations, tracked changes, master-page headers/footers and meta.xml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from clauselint.documents.limits import Limits
from clauselint.documents.model import BlockKind, Document, Location
from clauselint.documents.ooxml import int_or_none
from clauselint.documents.safety import SafeZip
from clauselint.documents.structure import BlockBuilder, clean, heading_rank
from clauselint.errors import DocumentError

FIX = "ouvrez-le dans LibreOffice et enregistrez-le à nouveau au format .odt"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xlink": "http://www.w3.org/1999/xlink",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}


def _q(name: str) -> str:
    prefix, _, local_name = name.partition(":")
    return f"{{{NS[prefix]}}}{local_name}"


T_P, T_H, T_LIST, T_ITEM, T_HEADER_ITEM = _q("text:p"), _q("text:h"), _q("text:list"), _q("text:list-item"), _q("text:list-header")
T_S, T_TAB, T_BR = _q("text:s"), _q("text:tab"), _q("text:line-break")
T_NOTE, T_NOTE_BODY, T_NOTE_CITATION = _q("text:note"), _q("text:note-body"), _q("text:note-citation")
T_CHANGE_START, T_CHANGE_END, T_CHANGE = _q("text:change-start"), _q("text:change-end"), _q("text:change")
T_TRACKED, T_SECTION = _q("text:tracked-changes"), _q("text:section")
T_SOFT_BREAK, T_SEQ_DECLS = _q("text:soft-page-break"), _q("text:sequence-decls")
O_ANNOTATION, O_ANNOTATION_END, O_FORMS = _q("office:annotation"), _q("office:annotation-end"), _q("office:forms")
TABLE, TABLE_ROW, TABLE_CELL = _q("table:table"), _q("table:table-row"), _q("table:table-cell")
TABLE_ROW_GROUPS = {_q("table:table-header-rows"), _q("table:table-rows"), _q("table:table-row-group")}
DRAW_FRAME, DRAW_TEXT_BOX = _q("draw:frame"), _q("draw:text-box")
DRAW_SHAPES = {_q(f"draw:{n}") for n in ("custom-shape", "rect", "ellipse", "polygon", "path", "g", "line", "connector")}
_DRAWINGS = {DRAW_FRAME, DRAW_TEXT_BOX, *DRAW_SHAPES}
DRAW_SKIPPED = {_q("svg:title"), _q("svg:desc"), _q("draw:image"), _q("office:event-listeners")}
_INDEXES = {_q(f"text:{n}") for n in ("table-of-content", "illustration-index", "table-index", "object-index",
                                       "user-index", "alphabetical-index", "bibliography", "index-body",
                                       "index-title")}
_TRANSPARENT_BLOCKS = {T_SECTION, _q("text:index-title")}
_TEXT_ID, _XML_ID = _q("text:id"), _q("xml:id")
_OFFICE_NAME, _OUTLINE = _q("office:name"), _q("text:outline-level")
_STYLE_NAME = _q("text:style-name")


@dataclass
class _Para:
    pieces: list[str] = field(default_factory=list)
    inserted: bool = False
    author: str | None = None
    boxes: list[etree._Element] = field(default_factory=list)
    notes: list[etree._Element] = field(default_factory=list)


class _OdtReader:
    def __init__(self, path: Path, package: SafeZip) -> None:
        self.path = path
        self.package = package
        self.builder = BlockBuilder(path, "odt")
        self.changes: dict[str, tuple[str, str | None]] = {}  # change id → (kind, author)
        self.open_insertions: dict[str, str | None] = {}
        self.open_annotations: dict[str, list[str]] = {}
        self.pending_comments: list[tuple[str, str | None, str | None, Location]] = []
        self.anchors: dict[str, str] = {}

    def read(self) -> Document:
        content = self.package.xml("content.xml")
        if content is None:
            raise DocumentError(f"« content.xml » absent : {FIX}", where=self.path)
        body = content.find(f"{_q('office:body')}/{_q('office:text')}")
        if body is None:
            raise DocumentError("ce n'est pas un document texte OpenDocument (classeur ou présentation ?) : "
                                "enregistrez-le au format .odt", where=self.path)
        for tracked in body.iter(T_TRACKED):
            self._tracked_changes(tracked)
        self._container(body, "body")
        for name, author, anchor_id, location in self.pending_comments:
            anchor = self.anchors.get(anchor_id) if anchor_id else None
            self.builder.comment(name, author, anchor, location)
        self._master_pages()
        self._meta()
        doc = self.builder.document
        doc.image_names = [n for n in self.package.names() if n.startswith("Pictures/") and not n.endswith("/")]
        return doc

    # --- parts other than the body ---

    def _tracked_changes(self, tracked: etree._Element) -> None:
        for region in tracked:
            cid = region.get(_TEXT_ID) or region.get(_XML_ID) or ""
            for change in region:
                kind = etree.QName(change).localname if isinstance(change.tag, str) else ""
                author = None
                for creator in change.iter(_q("dc:creator")):
                    author = (creator.text or "").strip() or None
                    break
                self.changes[cid] = (kind, author)
                self.builder.revision_author(author)

    def _master_pages(self) -> None:
        styles = self.package.xml("styles.xml")
        if styles is None:
            return
        seen: set[tuple[str, str]] = set()
        for part in ("header", "footer"):
            for master in styles.iter(_q("style:master-page")):
                for region in master:
                    name = etree.QName(region).localname if isinstance(region.tag, str) else ""
                    if name.split("-")[0] != part:
                        continue
                    mark = len(self.builder.blocks)
                    self._container(region, part)
                    added = self.builder.blocks[mark:]
                    del self.builder.blocks[mark:]
                    for block in added:
                        if (block.kind, block.text) not in seen:
                            seen.add((block.kind, block.text))
                            self.builder.add(block.text, block.kind, section=None, already_clean=True)

    def _meta(self) -> None:
        root = self.package.xml("meta.xml")
        meta = root.find(_q("office:meta")) if root is not None else None
        if meta is None:
            return
        keys = {
            _q("meta:initial-creator"): "creator", _q("dc:creator"): "last_modified_by", _q("dc:title"): "title",
            _q("dc:subject"): "subject", _q("dc:description"): "description", _q("dc:language"): "language",
            _q("meta:creation-date"): "created", _q("dc:date"): "modified", _q("meta:generator"): "application",
            _q("meta:editing-cycles"): "revision", _q("meta:editing-duration"): "editing_duration",
            _q("meta:print-date"): "last_printed", _q("meta:printed-by"): "printed_by",
        }
        add = self.builder.metadata
        keywords = []
        for child in meta:
            tag = child.tag
            if tag in keys:
                add(keys[tag], "".join(child.itertext()))
            elif tag == _q("meta:keyword"):
                keywords.append("".join(child.itertext()).strip())
            elif tag == _q("meta:user-defined"):
                name = child.get(_q("meta:name"))
                if name:
                    add(f"custom.{name}", "".join(child.itertext()))
            elif tag == _q("meta:template"):
                add("template", child.get(_q("xlink:title")) or child.get(_q("xlink:href")))
            elif tag == _q("meta:document-statistic"):
                add("pages", child.get(_q("meta:page-count")))
                add("words", child.get(_q("meta:word-count")))
        if keywords:
            add("keywords", ";".join(k for k in keywords if k))
        self.builder.document.pages = int_or_none(self.builder.document.metadata.get("pages"))

    # --- body ---

    def _container(self, element: etree._Element, context: str) -> None:
        for child in element:
            tag = child.tag
            if tag == T_P or tag == T_H:
                self._paragraph(child, context)
            elif tag == T_LIST:
                for item in child:
                    if item.tag in (T_ITEM, T_HEADER_ITEM):
                        self._container(item, context)
            elif tag == TABLE:
                self._table(child, context)
            elif tag in _TRANSPARENT_BLOCKS:
                self._container(child, context)
            elif tag in _INDEXES:
                self._container(child, "toc" if context == "body" else context)
            elif tag in (T_TRACKED, T_SEQ_DECLS, O_FORMS, T_SOFT_BREAK):
                continue
            elif tag == T_CHANGE_START or tag == T_CHANGE_END:
                self._change_mark(child)
            elif tag in _DRAWINGS:
                self._container(child, context)

    def _paragraph(self, p: etree._Element, context: str) -> None:
        para = _Para()
        self._inline(p, para)
        for anchor in self.open_annotations.values():
            anchor.append("\n")
        text = clean("".join(para.pieces))
        if text:
            rank = None
            if context == "body":
                if p.tag == T_H:
                    rank = int_or_none(p.get(_OUTLINE)) or 1
                else:
                    rank = heading_rank(text)
            kind: BlockKind = _KIND[context]
            self.builder.add(text, kind, rank=rank, inserted=para.inserted, author=para.author,
                             style=(p.get(_STYLE_NAME) or None), already_clean=True,
                             section=True if context in ("body", "textbox", "toc") else None)
        self._after(para, context)

    def _after(self, para: _Para, context: str) -> None:
        section = self.builder.section()
        for note in para.notes:
            body = note.find(T_NOTE_BODY)
            if body is not None:
                kind: BlockKind = "endnote" if note.get(_q("text:note-class")) == "endnote" else "footnote"
                self.builder.add(self._text_of(body), kind, section=section)
        for box in para.boxes:
            self._container(box, "textbox" if context in ("body", "textbox", "toc") else context)

    def _inline(self, element: etree._Element, para: _Para) -> None:
        if element.text:
            self._emit(element.text, para)
        for child in element:
            tag = child.tag
            if tag == T_S:
                self._emit(" " * (int_or_none(child.get(_q("text:c"))) or 1), para)
            elif tag == T_TAB:
                self._emit(" ", para)
            elif tag == T_BR:
                self._emit("\n", para)
            elif tag == T_NOTE:
                para.notes.append(child)
            elif tag == O_ANNOTATION:
                self._annotation(child)
            elif tag == O_ANNOTATION_END:
                name = child.get(_OFFICE_NAME) or ""
                if name in self.open_annotations:
                    self.anchors[name] = "".join(self.open_annotations.pop(name))
            elif tag == T_CHANGE_START or tag == T_CHANGE_END:
                self._change_mark(child)
            elif tag == T_CHANGE:
                pass  # a deletion's position; the deleted text lives in tracked-changes
            elif tag in _DRAWINGS:
                # A frame holds a text box or an image, a shape its own paragraphs: their text
                # is read as text-box blocks after the paragraph, not inside it.
                para.boxes.append(child)
            elif tag in DRAW_SKIPPED or tag == T_SOFT_BREAK:
                pass
            elif isinstance(tag, str):
                self._inline(child, para)
            if child.tail:
                self._emit(child.tail, para)

    def _emit(self, text: str, para: _Para) -> None:
        para.pieces.append(text)
        if self.open_insertions and text.strip():
            para.inserted = True
            para.author = para.author or next(iter(self.open_insertions.values()))
        for anchor in self.open_annotations.values():
            anchor.append(text)

    def _change_mark(self, mark: etree._Element) -> None:
        cid = mark.get(_q("text:change-id")) or ""
        kind, author = self.changes.get(cid, ("", None))
        if kind != "insertion":
            return
        if mark.tag == T_CHANGE_START:
            self.open_insertions[cid] = author
        else:
            self.open_insertions.pop(cid, None)

    def _annotation(self, annotation: etree._Element) -> None:
        author = None
        lines = []
        for child in annotation:
            if child.tag == _q("dc:creator"):
                author = (child.text or "").strip() or None
            elif child.tag in (T_P, T_LIST):
                lines.append(self._text_of_element(child))
        name = annotation.get(_OFFICE_NAME)
        location = Location(paragraph=self.builder.next_index(), section=self.builder.section())
        if name:
            self.open_annotations[name] = []
        self.pending_comments.append(("\n".join(x for x in lines if x), author, name, location))

    def _table(self, table: etree._Element, context: str) -> None:
        for row in _rows(table):
            for cell in row:
                if cell.tag != TABLE_CELL:
                    continue  # covered cells of a merge hold nothing
                mark = len(self.builder.blocks)
                self._container(cell, "cell")
                added = self.builder.blocks[mark:]
                if not added:
                    continue
                # The cell's paragraphs make one block; its text boxes and notes follow.
                del self.builder.blocks[mark:]
                cell_blocks = [b for b in added if b.kind == "table-cell"]
                others = [b for b in added if b.kind != "table-cell"]
                kind: BlockKind = "table-cell" if context == "body" else _KIND[context]
                if cell_blocks:
                    self.builder.add("\n".join(b.text for b in cell_blocks), kind, already_clean=True,
                                     inserted=any(b.inserted for b in cell_blocks),
                                     author=next((b.author for b in cell_blocks if b.author), None),
                                     section=True if context in ("body", "textbox") else None)
                for block in others:
                    self.builder.add(block.text, block.kind, section=block.location.section, already_clean=True,
                                     inserted=block.inserted, author=block.author)

    def _text_of(self, element: etree._Element) -> str:
        mark = len(self.builder.blocks)
        self._container(element, "note")
        texts = [b.text for b in self.builder.blocks[mark:]]
        del self.builder.blocks[mark:]
        return "\n".join(texts)

    def _text_of_element(self, element: etree._Element) -> str:
        para = _Para()
        saved, self.open_annotations = self.open_annotations, {}
        self._inline(element, para)
        self.open_annotations = saved
        return clean("".join(para.pieces))


_KIND: dict[str, BlockKind] = {
    "body": "paragraph", "toc": "paragraph", "textbox": "textbox", "header": "header", "footer": "footer",
    "cell": "table-cell", "note": "footnote",
}


def _rows(table: etree._Element):
    for child in table:
        if child.tag == TABLE_ROW:
            yield child
        elif child.tag in TABLE_ROW_GROUPS:
            yield from _rows(child)


def read_odt(path: Path, limits: Limits) -> Document:
    with SafeZip(path, limits, FIX) as package:
        manifest = package.read("META-INF/manifest.xml")
        if manifest is not None and b"encryption-data" in manifest:
            raise DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=path)
        mimetype = (package.read("mimetype") or b"").decode("ascii", "replace").strip()
        if mimetype and not mimetype.startswith("application/vnd.oasis.opendocument.text"):
            raise DocumentError(f"ce n'est pas un document texte OpenDocument ({mimetype}) : "
                                "enregistrez-le au format .odt", where=path)
        return _OdtReader(path, package).read()
