"""A document cut into sentences ("units") with their location and cheap lexical keys."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from clauselint.documents.model import Block, Document, Location
from clauselint.nlp.lexical import KeyIndex, word_keys
from clauselint.nlp.sentences import split_sentences

# Blocks that carry contract text (comments do not state obligations). Headers and footers are
# read too — a clause is sometimes repeated in the footer of every page — but each alone.
BODY_KINDS = frozenset({"paragraph", "heading", "table-cell", "textbox", "footnote", "endnote", "slide", "page", "notes", "header", "footer"})
MARGIN_KINDS = frozenset({"header", "footer"})


class Lex:
    """What the cheap pass derives from a sentence's text alone, computed once per distinct text.

    Shared by every unit with that text (boilerplate recurs within and across contracts): the
    stems, their set and position index, the anchor terms the sentence matches
    (``lint/detector.py``), the share of capitals, dot leaders.
    """

    __slots__ = ("keys", "keyset", "index", "matched", "shouting", "filler")

    def __init__(self, text: str) -> None:
        self.keys = word_keys(text)
        self.keyset = frozenset(self.keys)
        self.index: KeyIndex | None = None
        self.matched: tuple[int, frozenset[int]] | None = None
        letters = sum(map(str.isalpha, text))
        # at least 60 % of the letters in capitals (any upper-case character counts for the
        # quick test; only the letters for the exact one)
        self.shouting = (
            letters >= 4
            and sum(map(str.isupper, text)) >= 0.6 * letters
            and sum(map(str.isupper, filter(str.isalpha, text))) >= 0.6 * letters
        )
        self.filler = "....." in text or "……" in text or "_____" in text


_LEX: dict[str, Lex] = {}
_LEX_MAX = 20_000


def lex(text: str) -> Lex:
    found = _LEX.get(text)
    if found is None:
        if len(_LEX) >= _LEX_MAX:
            _LEX.clear()
        found = _LEX[text] = Lex(text)
    return found


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
    lex: Lex | None = field(default=None, repr=False, compare=False)
    # Kept by the candidate stage (lint/detector.py): the cheap TF-IDF vectors of the windows
    # the unit starts, shared by every family.
    cheap_vectors: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.lex is None:
            self.lex = Lex(self.text) if self.keys == word_keys(self.text) else None

    @property
    def key_index(self) -> KeyIndex:
        if self.lex is None:
            return KeyIndex(self.keys)
        if self.lex.index is None:
            self.lex.index = KeyIndex(self.keys)
        return self.lex.index

    @property
    def matched_terms(self) -> tuple[int, frozenset[int]] | None:
        """The anchor terms the text matches (kept by ``detector.TermRegistry``), shared by its units."""
        return self.lex.matched if self.lex is not None else None

    @matched_terms.setter
    def matched_terms(self, value: tuple[int, frozenset[int]]) -> None:
        if self.lex is not None:
            self.lex.matched = value


def _location(block: Block, block_text: str, start: int) -> Location:
    loc = block.location
    if loc.line is not None and start:
        loc = dataclasses.replace(loc, line=loc.line + block_text.count("\n", 0, start))
    return loc


_BLOCKS: dict[str, list[tuple[int, str, Lex]]] = {}


def _sentences(block_text: str) -> list[tuple[int, str, Lex]]:
    """(start, whitespace-folded text, Lex) of each sentence of a block, once per distinct block text."""
    found = _BLOCKS.get(block_text)
    if found is None:
        found = []
        for start, end in split_sentences(block_text):
            text = " ".join(block_text[start:end].split())
            if text:
                found.append((start, text, lex(text)))
        if len(_BLOCKS) >= _LEX_MAX:
            _BLOCKS.clear()
        _BLOCKS[block_text] = found
    return found


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
        if block.kind in MARGIN_KINDS:
            section = f"({block.kind} {b_index})"  # never read with the body text around it
        for start, text, found in _sentences(block.text):
            units.append(
                Unit(
                    index=len(units),
                    text=text,
                    kind=block.kind,
                    section=section,
                    block=b_index,
                    location=_location(block, block.text, start),
                    keys=found.keys,
                    keyset=found.keyset,
                    heading_like=block.kind == "heading" or found.shouting,
                    filler=found.filler,
                    lex=found,
                )
            )
    return units


def same_passage(a: Unit, b: Unit) -> bool:
    """Whether two adjacent units may be read together (same section, or same block)."""
    return a.block == b.block or a.section == b.section
