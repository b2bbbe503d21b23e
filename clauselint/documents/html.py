"""The HTML reader: the text of block elements (headings h1–h6, paragraphs, list items, table
cells) with their source line, via lxml.html — no network, no entity resolution, no scripts."""

from __future__ import annotations

import re
from pathlib import Path

from clauselint.documents.limits import Limits
from clauselint.documents.model import BlockKind, Document
from clauselint.documents.structure import BlockBuilder
from clauselint.documents.safety import read_file_bytes
from clauselint.errors import DocumentError

_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "center",
}
_SKIPPED = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
            "canvas", "video", "audio", "select", "button", "input", "textarea"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_META_KEYS = {"author": "creator", "dc.creator": "creator", "dcterms.creator": "creator", "description": "subject",
              "keywords": "keywords", "generator": "application", "dc.title": "title"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class _HtmlReader:
    def __init__(self, path: Path) -> None:
        self.builder = BlockBuilder(path, "html")

    def read(self, root) -> Document:
        self._metadata(root)
        body = root.find("body")
        self._block(body if body is not None else root, None)
        return self.builder.document

    def _metadata(self, root) -> None:
        add = self.builder.metadata
        title = root.find(".//title")
        if title is not None:
            add("title", title.text_content())
        for meta in root.iter("meta"):
            key = _META_KEYS.get((meta.get("name") or "").strip().lower())
            if key:
                add(key, meta.get("content"))
        add("language", root.get("lang"))

    def _kind(self, tag: str, inherited: BlockKind | None) -> BlockKind:
        if tag in ("td", "th"):
            return "table-cell"
        if tag == "header":
            return "header"
        if tag == "footer":
            return "footer"
        return inherited or "paragraph"

    def _block(self, element, inherited: BlockKind | None) -> None:
        tag = _tag(element)
        kind = self._kind(tag, inherited)
        rank = _HEADINGS.get(tag)
        pieces: list[str] = []
        line = element.sourceline

        def emit() -> None:
            text = "".join(pieces)
            pieces.clear()
            if kind in ("header", "footer"):
                self.builder.add(text, kind, line=line, section=None)
            else:
                self.builder.add(text, kind, rank=rank, line=line)

        if element.text:
            pieces.append(element.text)
        for child in element:
            child_tag = _tag(child)
            if child_tag in _SKIPPED or not child_tag:
                pass
            elif child_tag in _BLOCKS:
                emit()
                self._block(child, kind if kind in ("header", "footer", "table-cell") else None)
                line = child.sourceline
            elif child_tag == "br":
                pieces.append("\n")
            else:
                self._inline(child, pieces)
            if child.tail:
                if not "".join(pieces).strip():
                    line = child.sourceline
                pieces.append(child.tail)
        emit()

    def _inline(self, element, pieces: list[str]) -> None:
        if element.text:
            pieces.append(element.text)
        for child in element:
            child_tag = _tag(child)
            if child_tag == "br":
                pieces.append("\n")
            elif child_tag and child_tag not in _SKIPPED:
                self._inline(child, pieces)
            if child.tail:
                pieces.append(child.tail)


def _tag(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def read_html(path: Path, limits: Limits) -> Document:
    import lxml.html
    from lxml import etree

    text = _decode(read_file_bytes(path), path)
    # lxml refuses a str that still declares its encoding; it is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        return BlockBuilder(path, "html").document
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"HTML illisible ({exc}) : vérifiez le fichier", where=path) from exc
    return _HtmlReader(path).read(root)
