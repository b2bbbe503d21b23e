"""The .docx reader: body, tables, text boxes, notes, headers/footers, comments, tracked
changes and properties, read with zipfile + lxml (no python-docx at read time: ~15× faster)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from clauselint.documents.limits import Limits
from clauselint.documents.model import BlockKind, Document, Location
from clauselint.documents.ooxml import int_or_none, local, read_properties, relationships
from clauselint.documents.safety import SafeZip
from clauselint.documents.structure import BlockBuilder, clean, heading_rank
from clauselint.errors import DocumentError

FIX = "ouvrez-le dans Word ou LibreOffice et enregistrez-le à nouveau au format .docx"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_MC_ALTERNATE = f"{{{NS_MC}}}AlternateContent"
_MC_CHOICE = f"{{{NS_MC}}}Choice"
_MATH_T = f"{{{NS_MATH}}}t"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|titre|überschrift|título|titolo)\s*([1-9])$", re.IGNORECASE)

# Local names of the WordprocessingML elements the walker acts on.
_NAMES = (
    "p r t tab ptab br cr noBreakHyphen softHyphen del moveFrom ins moveTo delText instrText "
    "delInstrText rPr pPr txbxContent footnoteReference endnoteReference commentRangeStart "
    "commentRangeEnd tbl tr tc sdt sdtContent customXml smartTag hyperlink fldSimple body "
    "pStyle outlineLvl numPr ilvl numId style name basedOn footnote endnote comment sectPr "
    "drawing pict object"
).split()


class _Tags:
    """Full tag names for one WordprocessingML namespace (Transitional or Strict)."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.local = {f"{{{ns}}}{name}": name for name in _NAMES}
        for name in _NAMES:
            setattr(self, name + "_" if keyword.iskeyword(name) else name, f"{{{ns}}}{name}")
        self.val = f"{{{ns}}}val"
        self.id = f"{{{ns}}}id"
        self.author = f"{{{ns}}}author"
        self.type = f"{{{ns}}}type"


@dataclass
class _Para:
    """What one paragraph's walk found."""

    pieces: list[str] = field(default_factory=list)
    inserted_author: str | None = None
    inserted: bool = False
    textboxes: list[etree._Element] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # ("footnote"|"endnote", id)


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None  # 1-based heading level
    num: tuple[str, int | None] | None = None  # (numId, ilvl)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(value: int) -> str:
    out = []
    for amount, letters in _ROMAN:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def _letters(value: int) -> str:
    # Word repeats the letter past z: 27 → aa.
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman",):
        return _roman(value)
    if fmt in ("lowerRoman",):
        return _roman(value).lower()
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        return "1er" if value == 1 else f"{value}e"
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Word list numbering, to give numbered headings their label (« Article 7 – », « 7.2 »)."""

    def __init__(self, root: etree._Element | None, tags: _Tags) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str, bool]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        t = tags
        for abstract in root.iter(f"{{{t.ns}}}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{{{t.ns}}}lvl"):
                ilvl = int_or_none(lvl.get(f"{{{t.ns}}}ilvl")) or 0
                start = fmt = text = None
                legal = False
                for child in lvl:
                    name = local(child.tag)
                    if name == "start":
                        start = int_or_none(child.get(t.val))
                    elif name == "numFmt":
                        fmt = child.get(t.val)
                    elif name == "lvlText":
                        text = child.get(t.val)
                    elif name == "isLgl":
                        legal = child.get(t.val, "true") not in ("0", "false")
                levels[ilvl] = (start if start is not None else 1, fmt or "decimal", text or "", legal)
            self.levels[abstract.get(f"{{{t.ns}}}abstractNumId") or ""] = levels
        for num in root.iter(f"{{{t.ns}}}num"):
            abstract_id = None
            overrides: dict[int, int] = {}
            for child in num:
                name = local(child.tag)
                if name == "abstractNumId":
                    abstract_id = child.get(t.val)
                elif name == "lvlOverride":
                    ilvl = int_or_none(child.get(f"{{{t.ns}}}ilvl")) or 0
                    for start in child.iter(f"{{{t.ns}}}startOverride"):
                        value = int_or_none(start.get(t.val))
                        if value is not None:
                            overrides[ilvl] = value
            if abstract_id is not None:
                self.nums[num.get(f"{{{t.ns}}}numId") or ""] = (abstract_id, overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list's counter at this level and return the paragraph's label."""
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id)
        if not levels or ilvl not in levels:
            return ""
        # Counters are kept per num: a num with a start override restarts the list.
        key = num_id if overrides else abstract_id
        counters = self.counters.setdefault(key, [None] * 10)
        if ilvl >= len(counters):
            return ""
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        _, fmt, text, legal = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            current = counters[level] if counters[level] is not None else levels[level][0]
            level_fmt = "decimal" if (legal and level != ilvl) else levels[level][1]
            return _format_number(current, level_fmt)

        return clean(re.sub(r"%([1-9])", value, text))


class _DocxReader:
    def __init__(self, path: Path, package: SafeZip) -> None:
        self.path = path
        self.package = package
        self.builder = BlockBuilder(path, "docx")
        self.open_comments: dict[str, list[str]] = {}
        self.comment_anchor: dict[str, str] = {}
        self.comment_location: dict[str, Location] = {}
        self.note_sections: dict[tuple[str, str], str | None] = {}
        self.styles: dict[str, _Style] = {}
        self.default_style: str | None = None
        self._resolved: dict[str, tuple[str, int | None, tuple[str, int | None] | None]] = {}

    # --- package ---

    def read(self) -> Document:
        main = self._main_part()
        root = self.package.xml(main)
        if root is None:
            raise DocumentError(f"partie principale absente ({main}) : {FIX}", where=self.path)
        ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
        if local(root.tag) != "document":
            raise DocumentError(f"« {main} » n'est pas un document Word : {FIX}", where=self.path)
        self.t = _Tags(ns)
        rels = relationships(self.package, main)
        by_type: dict[str, list[str]] = {}
        for _, kind, target in rels:
            by_type.setdefault(kind, []).append(target)
        self._read_styles(by_type.get("styles", []))
        numbering = by_type.get("numbering", [])
        self.numbering = _Numbering(self.package.xml(numbering[0]) if numbering else None, self.t)

        body = root.find(self.t.body)
        if body is not None:
            self._container(body, "body")
        for kind in ("footnote", "endnote"):
            for part in by_type.get(kind + "s", []):
                self._notes(part, kind)
        seen: set[tuple[str, str]] = set()
        for kind in ("header", "footer"):
            for part in sorted(by_type.get(kind, []), key=_natural):
                self._header_footer(part, kind, seen)
        for part in by_type.get("comments", []):
            self._comments(part)
        read_properties(self.package, self.builder)
        doc = self.builder.document
        doc.pages = int_or_none(doc.metadata.get("pages"))
        doc.image_names = [n for n in self.package.names() if n.startswith("word/media/") and not n.endswith("/")]
        return doc

    def _main_part(self) -> str:
        for _, kind, target in relationships(self.package, ""):
            if kind == "officeDocument":
                return target
        return "word/document.xml"

    # --- styles ---

    def _read_styles(self, parts: list[str]) -> None:
        root = self.package.xml(parts[0]) if parts else None
        if root is None:
            return
        t = self.t
        for style in root.iter(t.style):
            if style.get(t.type, "paragraph") != "paragraph":
                continue
            sid = style.get(f"{{{t.ns}}}styleId") or ""
            info = _Style()
            for child in style:
                tag = child.tag
                if tag == t.name:
                    info.name = child.get(t.val) or ""
                elif tag == t.basedOn:
                    info.based_on = child.get(t.val)
                elif tag == t.pPr:
                    info.outline, info.num = self._outline_and_num(child)
            self.styles[sid] = info
            if style.get(f"{{{t.ns}}}default") in ("1", "true"):
                self.default_style = sid

    def _outline_and_num(self, ppr: etree._Element) -> tuple[int | None, tuple[str, int | None] | None]:
        t = self.t
        outline = None
        num = None
        for child in ppr:
            if child.tag == t.outlineLvl:
                value = int_or_none(child.get(t.val))
                if value is not None:
                    outline = value + 1 if value < 9 else 0  # 9 = body text
            elif child.tag == t.numPr:
                num_id = ilvl = None
                for item in child:
                    if item.tag == t.numId:
                        num_id = item.get(t.val)
                    elif item.tag == t.ilvl:
                        ilvl = int_or_none(item.get(t.val))
                if num_id is not None:
                    num = (num_id, ilvl)
        return outline, num

    def _style(self, sid: str | None) -> tuple[str, int | None, tuple[str, int | None] | None]:
        """(name, heading level or None, numbering) of a paragraph style, following basedOn."""
        sid = sid or self.default_style or ""
        if sid in self._resolved:
            return self._resolved[sid]
        name, outline, num = "", None, None
        seen: set[str] = set()
        current: str | None = sid
        first = True
        while current and current not in seen and current in self.styles:
            seen.add(current)
            style = self.styles[current]
            if first:
                name = style.name
                first = False
                match = _HEADING_STYLE_RE.match(name.strip())
                if match:
                    outline = int(match.group(1))
            if outline is None and style.outline is not None:
                outline = style.outline
            if num is None and style.num is not None:
                num = style.num
            current = style.based_on
        result = (name, outline or None, num)
        self._resolved[sid] = result
        return result

    # --- walking ---

    def _walk(self, element: etree._Element, para: _Para) -> None:
        t = self.t
        for child in element:
            name = t.local.get(child.tag)
            if name == "t":
                if child.text:
                    self._emit(child.text, para)
            elif name == "r" or name in ("hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple"):
                self._walk(child, para)
            elif name in ("tab", "ptab"):
                self._emit(" ", para)
            elif name in ("br", "cr"):
                self._emit("\n", para)
            elif name == "noBreakHyphen":
                self._emit("-", para)
            elif name in ("del", "moveFrom"):
                self.builder.revision_author(child.get(t.author))
            elif name in ("ins", "moveTo"):
                author = child.get(t.author)
                self.builder.revision_author(author)
                before = len(para.pieces)
                self._walk(child, para)
                if "".join(para.pieces[before:]).strip():
                    para.inserted = True
                    para.inserted_author = para.inserted_author or author
            elif name in ("rPr", "pPr", "delText", "instrText", "delInstrText", "softHyphen"):
                continue
            elif name == "txbxContent":
                para.textboxes.append(child)
            elif name in ("footnoteReference", "endnoteReference"):
                para.notes.append((name[:-9], child.get(t.id) or ""))
            elif name in ("commentRangeStart", "commentRangeEnd"):
                self._comment_mark(child, name)
            elif child.tag == _MC_ALTERNATE:
                # Choice and Fallback hold the same content twice: read the first Choice only.
                for option in child:
                    if option.tag == _MC_CHOICE:
                        self._walk(option, para)
                        break
            elif child.tag == _MATH_T:
                if child.text:
                    self._emit(child.text, para)
            elif isinstance(child.tag, str) and len(child):
                self._walk(child, para)

    def _comment_mark(self, mark: etree._Element, name: str) -> None:
        cid = mark.get(self.t.id) or ""
        if name == "commentRangeStart":
            self.open_comments[cid] = []
            self.comment_location[cid] = Location(paragraph=self.builder.next_index(), section=self.builder.section())
        elif cid in self.open_comments:
            self.comment_anchor[cid] = "".join(self.open_comments.pop(cid))

    def _emit(self, text: str, para: _Para) -> None:
        para.pieces.append(text)
        for anchor in self.open_comments.values():
            anchor.append(text)

    def _paragraph(self, p: etree._Element) -> tuple[_Para, etree._Element | None]:
        para = _Para()
        ppr = None
        for child in p:
            if child.tag == self.t.pPr:
                ppr = child
                break
        self._walk(p, para)
        for anchor in self.open_comments.values():
            anchor.append("\n")  # an anchor spanning paragraphs keeps them apart
        if ppr is not None:
            # An inserted or deleted paragraph mark: pPr/rPr/ins or pPr/rPr/del.
            mark = ppr.find(self.t.rPr)
            if mark is not None:
                for change in mark:
                    if change.tag == self.t.ins or change.tag == self.t.del_:
                        self.builder.revision_author(change.get(self.t.author))
        return para, ppr

    def _container(self, element: etree._Element, context: str) -> None:
        """Blocks of a body-like container (body, header, footer, text box, cell content)."""
        t = self.t
        for child in element:
            tag = child.tag
            if tag == t.p:
                self._body_paragraph(child, context)
            elif tag == t.tbl:
                self._table(child, context)
            elif tag in (t.sdt, t.sdtContent, t.customXml):
                self._container(child, context)
            elif tag in (t.commentRangeStart, t.commentRangeEnd):
                self._comment_mark(child, t.local[tag])
            elif tag == _MC_ALTERNATE:
                for option in child:
                    if option.tag == _MC_CHOICE:
                        self._container(option, context)
                        break

    def _body_paragraph(self, p: etree._Element, context: str) -> None:
        para, ppr = self._paragraph(p)
        text = clean("".join(para.pieces))
        style_name, rank, num = None, None, None
        if text or para.textboxes:
            style_id = direct_outline = direct_num = None
            if ppr is not None:
                for child in ppr:
                    if child.tag == self.t.pStyle:
                        style_id = child.get(self.t.val)
                        break
                direct_outline, direct_num = self._outline_and_num(ppr)
            style_name, rank, num = self._style(style_id)
            if direct_outline is not None:
                rank = direct_outline or None
            num = direct_num or num
            label = ""
            if num is not None and num[0] not in ("0", ""):
                label = self.numbering.label(num[0], num[1] or 0)
            if context != "body":
                rank = None
            elif rank is not None:
                if label:
                    text = clean(f"{label} {text}")
            elif not (style_name or "").lower().startswith("toc"):
                rank = heading_rank(text)
        if text:
            kind = _KIND[context]
            self.builder.add(text, kind, rank=rank, style=style_name or None, inserted=para.inserted,
                             author=para.inserted_author, already_clean=True,
                             section=True if context in ("body", "textbox") else None)
        self._after_paragraph(para, context)

    def _after_paragraph(self, para: _Para, context: str) -> None:
        section = self.builder.section()
        for note in para.notes:
            self.note_sections.setdefault(note, section)
        for box in para.textboxes:
            self._container(box, "textbox" if context in ("body", "textbox") else context)

    def _table(self, tbl: etree._Element, context: str) -> None:
        t = self.t
        for row in _children(tbl, t.tr, (t.sdt, t.sdtContent, t.customXml)):
            for cell in _children(row, t.tc, (t.sdt, t.sdtContent, t.customXml)):
                self._cell(cell, context)

    def _cell(self, cell: etree._Element, context: str) -> None:
        t = self.t
        lines: list[str] = []
        inserted, author = False, None
        later: list[tuple[_Para, str]] = []

        def flush() -> None:
            nonlocal lines, inserted, author
            text = "\n".join(line for line in lines if line)
            if text:
                kind: BlockKind = "table-cell" if context == "body" else _KIND[context]
                self.builder.add(text, kind, inserted=inserted, author=author, already_clean=True,
                                 section=True if context in ("body", "textbox") else None)
            for para, ctx in later:
                self._after_paragraph(para, ctx)
            lines, inserted, author = [], False, None
            later.clear()

        for child in _children(cell, None, (t.sdt, t.sdtContent, t.customXml)):
            if child.tag == t.p:
                para, _ = self._paragraph(child)
                lines.append(clean("".join(para.pieces)))
                if para.inserted:
                    inserted, author = True, author or para.inserted_author
                later.append((para, context))
            elif child.tag == t.tbl:
                flush()
                self._table(child, context)
        flush()

    # --- other parts ---

    def _notes(self, part: str, kind: str) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        t = self.t
        for note in root.iter(getattr(t, kind)):
            if note.get(t.type) not in (None, "normal"):
                continue  # separators
            text = self._text_of(note)
            self.builder.add(text, kind, already_clean=True,  # type: ignore[arg-type]
                             section=self.note_sections.get((kind, note.get(t.id) or "")))

    def _header_footer(self, part: str, kind: str, seen: set[tuple[str, str]]) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        mark = len(self.builder.blocks)
        self._container(root, kind)
        # Sections often repeat the same header: keep each text once.
        kept = []
        for block in self.builder.blocks[mark:]:
            if (block.kind, block.text) not in seen:
                seen.add((block.kind, block.text))
                kept.append(block)
        if len(kept) != len(self.builder.blocks) - mark:
            del self.builder.blocks[mark:]
            for block in kept:
                self.builder.add(block.text, block.kind, section=None, already_clean=True,
                                 inserted=block.inserted, author=block.author, style=block.style)

    def _comments(self, part: str) -> None:
        root = self.package.xml(part)
        if root is None:
            return
        t = self.t
        for comment in root.iter(t.comment):
            cid = comment.get(t.id) or ""
            saved = self.open_comments
            self.open_comments = {}  # a comment's own text is not an anchor
            text = self._text_of(comment)
            self.open_comments = saved
            self.builder.comment(text, comment.get(t.author), self.comment_anchor.get(cid),
                                 self.comment_location.get(cid, Location()))

    def _text_of(self, element: etree._Element) -> str:
        """All the text of a note or comment, paragraphs joined by line breaks."""
        lines = []
        for p in element.iter(self.t.p):
            para, _ = self._paragraph(p)
            lines.append(clean("".join(para.pieces)))
        return "\n".join(line for line in lines if line)


_KIND: dict[str, BlockKind] = {
    "body": "paragraph", "textbox": "textbox", "header": "header", "footer": "footer",
    "footnote": "footnote", "endnote": "endnote",
}


def _children(element: etree._Element, wanted: str | None, transparent: tuple[str, ...]):
    """Children with tag ``wanted`` (any tag when None), looking through content controls."""
    for child in element:
        if child.tag in transparent:
            yield from _children(child, wanted, transparent)
        elif wanted is None or child.tag == wanted:
            yield child


def _natural(name: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def read_docx(path: Path, limits: Limits) -> Document:
    with SafeZip(path, limits, FIX) as package:
        if package.has("EncryptedPackage"):
            raise DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=path)
        if not package.has("[Content_Types].xml") and not package.has("word/document.xml"):
            raise DocumentError(f"archive zip qui n'est pas un document Word : {FIX}", where=path)
        return _DocxReader(path, package).read()
