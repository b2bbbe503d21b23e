"""One document model for every format: blocks of text with their location, plus metadata.

Readers fill it; they know nothing of rules. The linter and the scanner read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# A document that carries this keyword (core properties) says it is no piece of a contract — e.g.
# the buyer's internal note `assemble` writes; `lint --dossier` leaves it out of the dossier.
OUTSIDE_CONTRACT_KEYWORD = "clauselint:hors-marche"

# Where a block sits in the document. "body" includes table cells (kind="table-cell").
BlockKind = Literal[
    "paragraph", "heading", "table-cell", "header", "footer", "footnote", "endnote",
    "textbox", "comment", "slide", "notes", "page",
]


@dataclass(frozen=True)
class Location:
    """Where a reader finds a block: page (when known), paragraph number, heading path."""

    page: int | None = None
    paragraph: int | None = None  # 1-based index of the block among the document's blocks
    section: str | None = None  # the heading path, e.g. "Article 7 – Confidentialité"
    line: int | None = None  # 1-based line in a text file (or the paragraph number for binary formats)

    def as_dict(self) -> dict[str, object]:
        return {"page": self.page, "paragraph": self.paragraph, "section": self.section, "line": self.line}


@dataclass(frozen=True)
class Block:
    text: str
    kind: BlockKind = "paragraph"
    location: Location = field(default_factory=Location)
    heading_level: int | None = None  # for kind="heading"
    inserted: bool = False  # a tracked insertion (kept, flagged)
    author: str | None = None  # comment or tracked-change author, when known
    style: str | None = None  # the paragraph style name, when known


@dataclass
class Comment:
    """A reviewer's comment, kept apart from the body."""

    text: str
    author: str | None = None
    anchor: str | None = None  # the commented text, when known
    location: Location = field(default_factory=Location)


@dataclass
class Document:
    path: Path
    format: str  # "docx", "pdf", "odt", "pptx", "txt", "md", "html"
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # Core/app/custom metadata with stable lower-case keys, the same in every format
    # (docs/documents.md lists them): "title", "creator" (the person who created it),
    # "last_modified_by", "created", "modified" (ISO 8601), "company", "manager", "template",
    # "application" (the software that wrote it), "producer" (PDF), "custom.<name>"...
    metadata: dict[str, str] = field(default_factory=dict)
    # Authors of tracked changes (insertions and deletions), in order of appearance.
    revision_authors: list[str] = field(default_factory=list)
    pages: int | None = None
    # Embedded images: their names inside the package (e.g. "ppt/media/image1.png"), for the
    # scanner; the bytes are read on demand with clauselint.documents.read_image().
    image_names: list[str] = field(default_factory=list)
    # Things the reader noticed but could read past (French, one line each), e.g. pages
    # without a text layer in an otherwise readable PDF.
    warnings: list[str] = field(default_factory=list)

    def outside_contract(self) -> bool:
        keywords = self.metadata.get("keywords", "").replace(",", ";").split(";")
        return OUTSIDE_CONTRACT_KEYWORD in (k.strip() for k in keywords)

    def body(self) -> list[Block]:
        """Blocks a reader of the body sees (no comments, headers or footers)."""
        return [b for b in self.blocks if b.kind in {"paragraph", "heading", "table-cell", "textbox", "footnote", "endnote", "slide", "page"}]

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)
