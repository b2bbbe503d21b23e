"""Edit a .docx as Word tracked changes: insert paragraphs (w:ins), delete text (w:del), add comments.

The package is opened with the readers' zip safety limits; only the parts that change are
re-serialised (the main document, the comments part, the relationships and the content types);
every other part is written back with the same bytes, name, order, date and compression.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from clauselint.documents.limits import Limits
from clauselint.documents.safety import SafeZip
from clauselint.errors import DocumentError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REL_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
FIX = "ouvrez-le dans Word ou LibreOffice et enregistrez-le à nouveau au format .docx"

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def w(name: str) -> str:
    return f"{{{W}}}{name}"


# Containers whose paragraphs are body-level blocks (content controls, custom XML).
_BLOCK_CONTAINERS = {w("sdt"), w("sdtContent"), w("customXml")}
# Paragraph-level marks that may sit between the runs of a sentence without holding text.
_TRANSPARENT_MARKS = {w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("permStart"), w("permEnd")}
# Run-level elements that count as one character of text (what the reader turns into a space or a line break).
_ONE_CHAR = {w("tab"): " ", w("ptab"): " ", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}


def _parser() -> etree.XMLParser:
    # Same refusals as the readers (no entities, no DTD, no network), but comments and processing
    # instructions are kept: this tree is written back.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_blank_text=False)


def parse_part(data: bytes, path: Path, part: str) -> etree._Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError(f"« {part} » contient une déclaration DOCTYPE/ENTITY (XML piégé ?) : fichier refusé, "
                            "vérifiez sa provenance", where=path)
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"XML endommagé dans « {part} » ({exc.msg}) : {FIX}", where=path) from exc


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def word_timestamp(moment: dt.datetime | None = None) -> str:
    """ISO 8601 in UTC without fractions, the form Word writes in w:date (2025-03-03T14:05:00Z)."""
    moment = moment or dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


# --- text of paragraphs -----------------------------------------------------------------------


def _runs_in_reading_order(p: etree._Element) -> Iterator[etree._Element]:
    """The runs a reader sees in a paragraph: deleted runs (w:del, w:moveFrom) are not text."""
    for child in p:
        tag = child.tag
        if tag == w("r"):
            yield child
        elif tag in (w("del"), w("moveFrom"), w("pPr")):
            continue
        elif isinstance(tag, str) and len(child):
            yield from _runs_in_reading_order(child)


def _run_pieces(run: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    for child in run:
        if child.tag == w("t"):
            if child.text:
                yield child, child.text
        elif child.tag in _ONE_CHAR:
            yield child, _ONE_CHAR[child.tag]


def paragraph_text(p: etree._Element) -> str:
    """The paragraph's visible text, folded the way the readers fold it (one space between words)."""
    raw = "".join(text for run in _runs_in_reading_order(p) for _, text in _run_pieces(run))
    return fold_spaces(raw)


def fold_spaces(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


@dataclass
class _CharMap:
    """A paragraph's folded text, and for each of its characters the run and piece it comes from."""

    text: str
    origin: list[tuple[etree._Element, etree._Element, int]]  # (run, piece, offset in the piece)


def _char_map(p: etree._Element, direct_only: bool) -> _CharMap:
    chars: list[tuple[str, etree._Element, etree._Element, int]] = []
    runs = [c for c in p if c.tag == w("r")] if direct_only else list(_runs_in_reading_order(p))
    for run in runs:
        for piece, text in _run_pieces(run):
            for offset, ch in enumerate(text):
                if _INVISIBLE.match(ch):
                    continue
                chars.append((ch, run, piece, offset))
    out: list[str] = []
    origin: list[tuple[etree._Element, etree._Element, int]] = []
    for ch, run, piece, offset in chars:
        if ch.isspace():
            if not out or out[-1] == " ":
                continue
            out.append(" ")
        else:
            out.append(ch)
        origin.append((run, piece, offset))
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return _CharMap("".join(out), origin)


# --- the package ------------------------------------------------------------------------------


@dataclass
class Paragraph:
    """A body-level paragraph (outside tables and text boxes), in reading order."""

    element: etree._Element
    text: str


@dataclass
class DocxPackage:
    """A .docx opened for editing."""

    path: Path
    infos: list[zipfile.ZipInfo]
    data: dict[str, bytes]
    main_part: str
    root: etree._Element
    changed: dict[str, etree._Element] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    _next_id: int = 0
    author: str = "clauselint"
    date: str = ""

    # --- opening and saving

    @classmethod
    def open(cls, path: Path, limits: Limits | None = None) -> "DocxPackage":
        limits = limits or Limits()
        with SafeZip(path, limits, FIX) as package:
            if package.has("EncryptedPackage"):
                raise DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=path)
            with zipfile.ZipFile(path) as plain:
                infos = list({info.filename: info for info in reversed(plain.infolist())}.values())[::-1]
            data = {}
            for info in infos:
                if info.is_dir():
                    continue
                content = package.read(info.filename)
                data[info.filename] = content if content is not None else b""
        main = "word/document.xml"
        if "_rels/.rels" in data:
            rels = parse_part(data["_rels/.rels"], path, "_rels/.rels")
            for rel in rels:
                if rel.get("Type") == REL_OFFICE_DOCUMENT:
                    main = rel.get("Target", main).lstrip("/")
        if main not in data:
            raise DocumentError(f"partie principale absente ({main}) : {FIX}", where=path)
        root = parse_part(data[main], path, main)
        if root.tag == f"{{{W_STRICT}}}document":
            raise DocumentError("document au format « Strict Open XML », que clauselint fix ne modifie pas : "
                                "enregistrez-le dans Word au format « Document Word (*.docx) » puis relancez",
                                where=path)
        if root.tag != w("document") or root.find(w("body")) is None:
            raise DocumentError(f"« {main} » n'est pas un document Word : {FIX}", where=path)
        package_ = cls(path=path, infos=infos, data=data, main_part=main, root=root)
        package_.changed[main] = root
        package_._next_id = package_._max_id() + 1
        package_.date = word_timestamp()
        return package_

    def _max_id(self) -> int:
        """The largest numeric w:id in any WordprocessingML part (revisions, comments, bookmarks...)."""
        highest = 0
        for name, content in self.data.items():
            if not name.endswith(".xml") or not name.startswith("word/"):
                continue
            # Any prefix: a part may bind the WordprocessingML namespace to another one than « w ».
            for match in re.finditer(rb'(?<![\w-])(?:[A-Za-z_][\w.-]*:)?id="(\d+)"', content):
                highest = max(highest, int(match.group(1)))
        return highest

    def new_id(self) -> str:
        value = self._next_id
        self._next_id += 1
        return str(value)

    def save(self) -> bytes:
        """The edited package: changed parts re-serialised, the others copied byte for byte."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self.infos:
                name = info.filename
                if name in self.changed:
                    content = serialise(self.changed[name])
                else:
                    content = self.data.get(name, b"")
                clone = copy.copy(info)
                target.writestr(clone, content, compress_type=info.compress_type)
            for name in self.added:
                info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, serialise(self.changed[name]))
        return out.getvalue()

    # --- parts

    def _xml(self, name: str) -> etree._Element:
        if name not in self.changed:
            self.changed[name] = parse_part(self.data[name], self.path, name)
        return self.changed[name]

    def _rels_name(self) -> str:
        folder, base = posixpath.split(self.main_part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def part_of_relationship(self, rel_type: str) -> str | None:
        name = self._rels_name()
        if name not in self.data and name not in self.changed:
            return None
        for rel in self._xml(name):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                folder = posixpath.dirname(self.main_part)
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        return None

    def styles(self) -> etree._Element | None:
        name = self.part_of_relationship("http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles")
        return parse_part(self.data[name], self.path, name) if name and name in self.data else None

    def comments_root(self) -> etree._Element:
        """The comments part, created with its relationship and content type when absent."""
        name = self.part_of_relationship(REL_COMMENTS)
        if name and (name in self.data or name in self.changed):
            return self._xml(name)
        folder = posixpath.dirname(self.main_part)
        name = posixpath.join(folder, "comments.xml")
        root = etree.Element(w("comments"), nsmap={"w": W, "r": R})
        self.changed[name] = root
        self.added.append(name)
        rels_name = self._rels_name()
        if rels_name in self.data:
            rels = self._xml(rels_name)
        else:
            rels = etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL})
            self.changed[rels_name] = rels
            self.added.append(rels_name)
        used = {rel.get("Id") for rel in rels}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship", Id=f"rId{number}", Type=REL_COMMENTS,
                         Target=posixpath.relpath(name, folder))
        types = self._xml("[Content_Types].xml")
        part_name = "/" + name
        if not any(o.get("PartName") == part_name for o in types.iter(f"{{{NS_CT}}}Override")):
            etree.SubElement(types, f"{{{NS_CT}}}Override", PartName=part_name, ContentType=CT_COMMENTS)
        return root

    # --- reading the body

    @property
    def body(self) -> etree._Element:
        return self.root.find(w("body"))

    def body_paragraphs(self) -> list[Paragraph]:
        """Body-level paragraphs in reading order (through content controls; not in tables)."""
        out: list[Paragraph] = []

        def walk(container: etree._Element) -> None:
            for child in container:
                if child.tag == w("p"):
                    out.append(Paragraph(child, paragraph_text(child)))
                elif child.tag in _BLOCK_CONTAINERS:
                    walk(child)

        walk(self.body)
        return out

    def all_paragraphs(self) -> list[Paragraph]:
        """Every paragraph of the body, tables included, in document order (not text boxes)."""
        out = []
        for p in self.body.iter(w("p")):
            if any(a.tag == w("txbxContent") for a in p.iterancestors()):
                continue
            out.append(Paragraph(p, paragraph_text(p)))
        return out

    def top_level(self, element: etree._Element) -> etree._Element:
        """The body child that holds ``element`` (a paragraph in a content control → the control)."""
        body = self.body
        while element.getparent() is not None and element.getparent() is not body:
            element = element.getparent()
        return element

    # --- tracked changes

    def _change(self, kind: str) -> etree._Element:
        return etree.Element(w(kind), {w("id"): self.new_id(), w("author"): self.author, w("date"): self.date})

    def new_paragraph(self, ppr: etree._Element | None, rpr: etree._Element | None, text: str) -> etree._Element:
        """A paragraph whose mark and text are tracked insertions (rejecting it removes it whole)."""
        p = etree.Element(w("p"))
        props = copy.deepcopy(ppr) if ppr is not None else etree.Element(w("pPr"))
        clean_paragraph_properties(props)
        mark = props.find(w("rPr"))
        if mark is None:
            mark = etree.SubElement(props, w("rPr"))
        mark.insert(0, self._change("ins"))
        p.append(props)
        if text:
            ins = self._change("ins")
            ins.append(make_run(rpr, text))
            p.append(ins)
        return p

    def comment(self, paragraphs: list[str]) -> str:
        """Add a comment (one w:p per paragraph) to the comments part; returns its id."""
        root = self.comments_root()
        cid = self.new_id()
        initials = "CL"
        node = etree.SubElement(root, w("comment"), {w("id"): cid, w("author"): self.author, w("date"): self.date,
                                                     w("initials"): initials})
        for index, text in enumerate(paragraphs):
            p = etree.SubElement(node, w("p"))
            if index == 0:
                ref = etree.SubElement(p, w("r"))
                etree.SubElement(ref, w("annotationRef"))
            p.append(make_run(None, text))
        return cid

    def anchor_comment(self, first: etree._Element, last: etree._Element, cid: str, inserted: bool) -> None:
        """Mark paragraphs ``first``..``last`` as the comment's range; the reference run ends ``last``.

        In inserted paragraphs the reference run is itself an insertion, so rejecting the
        insertion takes the comment with it.
        """
        start = etree.Element(w("commentRangeStart"), {w("id"): cid})
        ppr = first.find(w("pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            first.insert(0, start)
        last.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        last.append(self.reference(cid, inserted))

    def anchor_comment_on_runs(self, first: etree._Element, last: etree._Element, cid: str,
                               end_paragraph: etree._Element | None = None, inserted: bool = False) -> None:
        """Comment range from before ``first`` to after ``last`` (sibling runs or changes), or to the
        end of ``end_paragraph`` when given (a range closing in inserted paragraphs)."""
        first.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
        end = etree.Element(w("commentRangeEnd"), {w("id"): cid})
        if end_paragraph is not None:
            end_paragraph.append(end)
        else:
            last.addnext(end)
        end.addnext(self.reference(cid, inserted))

    def reference(self, cid: str, inserted: bool) -> etree._Element:
        run = etree.Element(w("r"))
        rpr = etree.SubElement(run, w("rPr"))
        etree.SubElement(rpr, w("rStyle"), {w("val"): "CommentReference"})
        etree.SubElement(run, w("commentReference"), {w("id"): cid})
        if not inserted:
            return run
        ins = self._change("ins")
        ins.append(run)
        return ins

    def isolate(self, p: etree._Element, start: int, end: int) -> list[etree._Element] | None:
        """Split runs so that characters ``start``..``end`` of the paragraph's folded text are
        exactly a sequence of whole sibling runs; returns those runs.

        Only runs that are direct children of the paragraph are split; None when the span
        reaches into a hyperlink, a field, a content control or an earlier revision.
        """
        direct = _char_map(p, direct_only=True)
        full = _char_map(p, direct_only=False)
        if direct.text != full.text or not (0 <= start < end <= len(direct.text)):
            return None
        first_run, first_piece, first_offset = direct.origin[start]
        last_run, last_piece, last_offset = direct.origin[end - 1]
        # Split at the end first: the left part stays in ``last_run``, so the start's piece and
        # offset remain valid when both ends fall in the same run.
        _split(last_run, last_piece, last_offset + 1)
        first_in = _split(first_run, first_piece, first_offset)
        if first_in is None:
            return None
        if first_run is last_run:
            last_run = first_in
        runs: list[etree._Element] = []
        node = first_in
        while node is not None:
            if node.tag == w("r"):
                runs.append(node)
            elif node.tag not in _TRANSPARENT_MARKS:
                return None
            if node is last_run:
                return runs
            node = node.getnext()
        return None

    def delete_runs(self, runs: list[etree._Element]) -> etree._Element:
        """Wrap sibling runs in one tracked deletion (their w:t become w:delText)."""
        deletion = self._change("del")
        runs[0].addprevious(deletion)
        node = deletion.getnext()
        last = runs[-1]
        while node is not None:
            following = node.getnext()
            if node.tag == w("r"):
                for t in node.findall(w("t")):
                    t.tag = w("delText")
                for t in node.findall(w("instrText")):
                    t.tag = w("delInstrText")
            deletion.append(node)
            if node is last:
                break
            node = following
        return deletion


def _split(run: etree._Element, piece: etree._Element, offset: int) -> etree._Element | None:
    """Split ``run`` before character ``offset`` of ``piece`` (a w:t, or a one-character element
    for which 0 is before and 1 after it). Returns the run that starts at the split: ``run``
    itself when nothing precedes, a new run placed after it, or None when nothing follows."""
    children = [c for c in run if c.tag != w("rPr")]
    index = children.index(piece)
    before, after = children[:index], children[index + 1:]
    if piece.tag == w("t"):
        text = piece.text or ""
        head, tail = text[:offset], text[offset:]
        has_left, has_right = bool(before) or bool(head), bool(after) or bool(tail)
    else:
        has_left = bool(before) or offset == 1
        has_right = bool(after) or offset == 0
    if not has_left:
        return run
    if not has_right:
        return None
    right = etree.Element(w("r"), dict(run.attrib))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        right.append(copy.deepcopy(rpr))
    if piece.tag == w("t"):
        piece.text = head
        _preserve(piece)
        if tail:
            t = etree.SubElement(right, w("t"))
            t.text = tail
            _preserve(t)
    elif offset == 0:
        right.append(piece)
    for child in after:
        right.append(child)
    run.addnext(right)
    return right


def _preserve(t: etree._Element) -> None:
    if t.text and (t.text[0].isspace() or t.text[-1].isspace()):
        t.set(XML_SPACE, "preserve")


def make_run(rpr: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(w("r"))
    if rpr is not None:
        props = copy.deepcopy(rpr)
        clean_run_properties(props)
        if len(props):
            run.append(props)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index:
            etree.SubElement(run, w("br"))
        t = etree.SubElement(run, w("t"))
        t.text = line
        t.set(XML_SPACE, "preserve")
    return run


def clean_paragraph_properties(ppr: etree._Element) -> None:
    """A copied pPr without what belongs to the original paragraph only: its section break,
    its own revision marks and the history of its formatting."""
    for tag in ("sectPr", "pPrChange"):
        for node in ppr.findall(w(tag)):
            ppr.remove(node)
    mark = ppr.find(w("rPr"))
    if mark is not None:
        for tag in ("ins", "del", "moveFrom", "moveTo", "rPrChange"):
            for node in mark.findall(w(tag)):
                mark.remove(node)


def clean_run_properties(rpr: etree._Element) -> None:
    for tag in ("rPrChange", "ins", "del", "highlight", "vanish", "specVanish", "webHidden"):
        for node in rpr.findall(w(tag)):
            rpr.remove(node)


def first_text_run_properties(p: etree._Element) -> etree._Element | None:
    for run in _runs_in_reading_order(p):
        if any(text.strip() for _, text in _run_pieces(run)):
            rpr = run.find(w("rPr"))
            return rpr
    return None


def paragraph_properties(p: etree._Element) -> etree._Element | None:
    return p.find(w("pPr"))


def style_id(p: etree._Element) -> str | None:
    ppr = p.find(w("pPr"))
    if ppr is None:
        return None
    style = ppr.find(w("pStyle"))
    return style.get(w("val")) if style is not None else None


def has_numbering(p: etree._Element) -> bool:
    ppr = p.find(w("pPr"))
    return ppr is not None and ppr.find(w("numPr")) is not None


def has_section_break(element: etree._Element) -> bool:
    ppr = element.find(w("pPr")) if element.tag == w("p") else None
    return ppr is not None and ppr.find(w("sectPr")) is not None


def has_content(element: etree._Element) -> bool:
    """Text, a table, a drawing: anything a reader sees (an empty spacer or a page break is not)."""
    if element.tag != w("p"):
        return element.tag != w("sectPr")
    if paragraph_text(element):
        return True
    return any(True for _ in element.iter(w("drawing"), w("pict"), w("object")))


