"""The plain-text and Markdown reader: paragraphs by blank lines with their first line number,
Markdown headings (#, underlined) and « Article N » lines as headings, list items and table
cells as their own blocks, Markdown inline markup removed."""

from __future__ import annotations

import re
from pathlib import Path

from clauselint.documents.limits import Limits
from clauselint.documents.model import Document
from clauselint.documents.safety import read_file_bytes
from clauselint.documents.structure import BlockBuilder, heading_rank, join_lines
from clauselint.errors import DocumentError

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)]|[a-z]\)|\d{1,2}°)\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_ENDS_PARAGRAPH = tuple(".!?:;")

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis *x*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # emphasis _x_ (not snake_case)
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"^\s{0,3}>\s?"), ""),  # block quote marker
    (re.compile(r"^\s*[-*+]\s+"), ""),  # bullet marker
]


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (old French files)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise DocumentError("fichier binaire, pas du texte : vérifiez son extension", where=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


class _TextReader:
    def __init__(self, path: Path, markdown: bool) -> None:
        self.markdown = markdown
        self.builder = BlockBuilder(path, "md" if markdown else "txt")
        self.current: list[str] = []
        self.start = 0

    def flush(self) -> None:
        if self.current:
            text = join_lines(self.current)
            self.builder.add(_inline(text) if self.markdown else text, "paragraph", line=self.start)
        self.current = []

    def read(self, text: str) -> Document:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        number = 0
        if self.markdown and lines and lines[0].strip() == "---":
            number = self._front_matter(lines)
        fence: str | None = None
        fence_lines: list[str] = []
        fence_start = 0
        while number < len(lines):
            line = lines[number]
            number += 1
            if self.markdown and fence is not None:
                if line.strip().startswith(fence):
                    self.builder.add("\n".join(fence_lines), "paragraph", line=fence_start)
                    fence = None
                else:
                    fence_lines.append(line)
                continue
            stripped = line.strip()
            if not stripped:
                self.flush()
                continue
            if self.markdown:
                if _FENCE.match(line):
                    self.flush()
                    fence, fence_lines, fence_start = _FENCE.match(line).group(1), [], number + 1
                    continue
                atx = _ATX.match(line)
                if atx:
                    self.flush()
                    self.builder.add(_inline(atx.group(2) or ""), rank=len(atx.group(1)), line=number)
                    continue
                setext = _SETEXT.match(line)
                if setext and len(self.current) == 1:
                    heading, self.current = self.current[0], []
                    self.builder.add(_inline(heading), rank=1 if setext.group(1)[0] == "=" else 2, line=self.start)
                    continue
                if _THEMATIC_BREAK.match(line):
                    self.flush()
                    continue
                if _TABLE_ROW.match(line):
                    self.flush()
                    if not _TABLE_RULE.match(line):
                        for cell in stripped.strip("|").split("|"):
                            self.builder.add(_inline(cell), "table-cell", line=number)
                    continue
            rank = heading_rank(stripped)
            if rank is not None and (not self.current or self.current[-1].endswith(_ENDS_PARAGRAPH)):
                self.flush()
                self.builder.add(_inline(stripped) if self.markdown else stripped, rank=rank, line=number)
                continue
            if _LIST_ITEM.match(line):
                self.flush()
            if not self.current:
                self.start = number
            self.current.append(stripped)
        if fence is not None and fence_lines:
            self.builder.add("\n".join(fence_lines), "paragraph", line=fence_start)
        self.flush()
        return self.builder.document

    def _front_matter(self, lines: list[str]) -> int:
        """Skip a YAML front matter block, keeping its title and author as metadata."""
        for index in range(1, min(len(lines), 200)):
            if lines[index].strip() in ("---", "..."):
                for entry in lines[1:index]:
                    key, sep, value = entry.partition(":")
                    key = key.strip().lower()
                    if sep and value.strip():
                        value = value.strip().strip("\"'")
                        target = {"title": "title", "titre": "title", "author": "creator", "auteur": "creator",
                                  "date": "created"}.get(key)
                        if target:
                            self.builder.metadata(target, value)
                return index + 1
        return 0



def read_text(path: Path, limits: Limits) -> Document:
    markdown = path.suffix.lower() in (".md", ".markdown")
    return _TextReader(path, markdown).read(decode(read_file_bytes(path), path))
