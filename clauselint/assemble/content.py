"""What a document of the package says, as plain data: titles, cover facts and a flat list of items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clauselint.assemble.layout import DEFAULT_LAYOUT, TABLE_LAYOUTS, TODO_PREFIX, heading_number

# Characters XML 1.0 forbids, and the ones docxtpl would turn into paragraph or page breaks
# (\a, \f): a spec value is text, it never changes the document's structure.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    return _FORBIDDEN.sub("", str(text))


# A marker the buyer or the candidate must replace: « [À COMPLÉTER PAR L'ACHETEUR : …] ».
_TODO_RE = re.compile(r"\[À COMPLÉTER[^\]]*\]")


def runs(text: str) -> list[dict[str, Any]]:
    """Split a paragraph into runs; the « à compléter » markers are flagged (highlighted in Word)."""
    out: list[dict[str, Any]] = []
    position = 0
    for match in _TODO_RE.finditer(text):
        if match.start() > position:
            out.append({"text": text[position:match.start()], "todo": False})
        out.append({"text": match.group(0), "todo": True})
        position = match.end()
    if position < len(text) or not out:
        out.append({"text": text[position:], "todo": False})
    return out


@dataclass
class Item:
    """One block of the body: a heading (h1, h2), a paragraph (p), a bullet, or a table (table2/3/4)."""

    kind: str
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    number: str = ""  # headings: the number Word shows (for the TOC and the Markdown preview)
    layout: str = ""  # tables: one of layout.TABLE_LAYOUTS

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "runs": runs(self.text),
            "header": self.header,
            "rows": self.rows,
            "layout": self.layout,
        }


@dataclass
class Document:
    """One file of the package, before it is laid out by a template (Word) or as Markdown."""

    key: str  # stable id: rc, ccap, cctp, ae, annexe-1…, note
    template: str  # the template's name (templates/<name>.docx)
    filename: str  # the file's stem in the package folder (no extension)
    title: str
    subtitle: str
    object: str
    reference: str
    notice: str = ""  # a warning on the cover (the note is internal)
    footnote: str = ""
    cover: list[tuple[str, str]] = field(default_factory=list)
    body: list[Item] = field(default_factory=list)
    clauses: list[tuple[str, int]] = field(default_factory=list)  # (id, version) of the clauses it contains
    _numbers: list[int] = field(default_factory=list)

    # Building the body, in reading order. Python numbers the headings the way Word will, so
    # that cross-references (« article 9 du présent CCAP »), the TOC and Markdown agree.
    def h1(self, title: str) -> int:
        self._numbers[:] = [(self._numbers[0] if self._numbers else 0) + 1]
        number = heading_number(self.template, 1, tuple(self._numbers))
        self.body.append(Item("h1", clean(title), number=number))
        return self._numbers[0]

    def h2(self, title: str) -> None:
        if not self._numbers:
            raise ValueError("h2 before any h1")
        if len(self._numbers) == 1:
            self._numbers.append(0)
        self._numbers[1] += 1
        number = heading_number(self.template, 2, tuple(self._numbers))
        self.body.append(Item("h2", clean(title), number=number))

    def p(self, *parts: str) -> None:
        """A paragraph; its parts are joined with a space (a marker may be one of them)."""
        self.body.append(Item("p", clean(" ".join(part for part in parts if part))))

    def caption(self, text: str) -> None:
        """A form's own heading (centred, not numbered, not in the TOC)."""
        self.body.append(Item("caption", clean(text)))

    def bullet(self, *parts: str, level: int = 1) -> None:
        kind = "bullet" if level == 1 else "bullet2"
        self.body.append(Item(kind, clean(" ".join(part for part in parts if part))))

    def table(self, header: list[str], rows: list[list[str]], layout: str | None = None) -> None:
        width = len(header)
        layout = layout or DEFAULT_LAYOUT.get(width, "")
        if TABLE_LAYOUTS.get(layout) is None or len(TABLE_LAYOUTS[layout]) != width or any(len(r) != width for r in rows):
            raise ValueError(f"table of {width} columns, layout {layout!r}, rows of {sorted({len(r) for r in rows})}")
        if self.body and self.body[-1].kind == "p":
            self.body[-1].kind = "lead"  # the paragraph announcing the table stays on its page
        self.body.append(Item("table", header=[clean(h) for h in header],
                              rows=[[clean(c) for c in r] for r in rows], layout=layout))

    def current_article(self) -> int:
        return self._numbers[0] if self._numbers else 0

    def toc(self) -> list[dict[str, Any]]:
        return [
            {"level": 1 if item.kind == "h1" else 2, "text": f"{item.number} {item.text}"}
            for item in self.body
            if item.kind in ("h1", "h2")
        ]

    def todo_count(self) -> int:
        count = 0
        for item in self.body:
            count += item.text.count(TODO_PREFIX)
            count += sum(cell.count(TODO_PREFIX) for row in item.rows for cell in row)
        return count
