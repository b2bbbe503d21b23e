"""A document cut into sentences ("units") with their location and cheap lexical keys."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from clauselint.documents.model import Block, Document, Location
from clauselint.nlp.lexical import KeyIndex, word_keys
from clauselint.nlp.sentences import split_sentences

# Blocks that carry contract text (headers, footers and comments do not state obligations).
BODY_KINDS = frozenset({"paragraph", "heading", "table-cell", "textbox", "footnote", "endnote", "slide", "page", "notes"})


@dataclass
class Unit:
    index: int
    text: str  # whitespace folded
    kind: str  # the block's kind
    section: str | None
    block: int  # position of the block in document.blocks
    location: Location
    keys: list[str]
    keyset: frozenset[str]
    heading_like: bool = False  # a heading: evidence only with the sentence that follows
    filler: bool = False  # dot leaders of a table of contents or a form to fill in: never evidence
    _index: KeyIndex | None = field(default=None, repr=False)
    # Kept by the candidate stage, shared by every family (lint/detector.py): the anchor terms
    # the sentence matches, and the cheap TF-IDF vectors of the windows it starts.
    matched_terms: tuple[int, frozenset[int]] | None = field(default=None, repr=False, compare=False)
    cheap_vectors: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def key_index(self) -> KeyIndex:
        if self._index is None:
            self._index = KeyIndex(self.keys)
        return self._index


def _location(block: Block, block_text: str, start: int) -> Location:
    loc = block.location
    if loc.line is not None and start:
        loc = dataclasses.replace(loc, line=loc.line + block_text.count("\n", 0, start))
    return loc


def document_units(document: Document) -> list[Unit]:
    """The sentences of the document's body blocks, in reading order."""
    units: list[Unit] = []
    last_heading: str | None = None
    for b_index, block in enumerate(document.blocks):
        if block.kind not in BODY_KINDS or not block.text.strip():
            continue
        if block.kind == "heading":
            last_heading = " ".join(block.text.split())
        section = block.location.section if block.location.section is not None else last_heading
        for start, end in split_sentences(block.text):
            text = " ".join(block.text[start:end].split())
            if not text:
                continue
            keys = word_keys(text)
            letters = [c for c in text if c.isalpha()]
            filler = "....." in text or "……" in text or "_____" in text
            heading_like = block.kind == "heading" or (len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.6 * len(letters))
            units.append(
                Unit(
                    index=len(units),
                    text=text,
                    kind=block.kind,
                    section=section,
                    block=b_index,
                    location=_location(block, block.text, start),
                    keys=keys,
                    keyset=frozenset(keys),
                    heading_like=heading_like,
                    filler=filler,
                )
            )
    return units


def same_passage(a: Unit, b: Unit) -> bool:
    """Whether two adjacent units may be read together (same section, or same block)."""
    return a.block == b.block or a.section == b.section
