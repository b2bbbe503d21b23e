"""Find, in the Word XML, the sentence(s) the linter quoted as contradicting a clause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clauselint.fix.docx_edit import _char_map

if TYPE_CHECKING:
    from lxml import etree

    from clauselint.documents.model import Document, Location
    from clauselint.fix.docx_edit import DocxPackage

MAX_WINDOW = 3
_LEADING_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-z]\)|\d{1,2}°\)?|[-–—•])\s+")  # the engine quotes a sentence or a window of two adjacent ones


@dataclass
class Spot:
    paragraph: "etree._Element"
    start: int  # in the paragraph's folded text
    end: int
    text: str
    section: str | None


def locate_sentences(package: "DocxPackage", document: "Document", evidence: str | None,
                     location: "Location | None") -> list[Spot]:
    """The body sentences of the evidence (headings left out), each with its paragraph and span.

    The evidence is the engine's window of sentences (units); it is cut back into units, and
    each unit is found in the paragraph that holds it — when the same sentence occurs several
    times, the occurrence of the same rank as the unit's.
    """
    from clauselint.lint.units import document_units

    if not evidence:
        return []
    units = document_units(document)
    wanted = " ".join(evidence.split())
    chosen: list = []
    for i, unit in enumerate(units):
        if location is not None and unit.location != location:
            continue
        for size in range(1, MAX_WINDOW + 1):
            window = units[i:i + size]
            if " ".join(u.text for u in window) == wanted:
                chosen = window
                break
        if chosen:
            break
    if not chosen:
        return []
    body = [u for u in chosen if u.kind != "heading"] or chosen
    paragraphs = package.all_paragraphs()
    maps: dict[int, str] = {}
    spots: list[Spot] = []
    for unit in body:
        rank = sum(1 for u in units[: unit.index] if unit.text in u.text)
        found: list[tuple["etree._Element", int]] = []
        for k, para in enumerate(paragraphs):
            if unit.text not in para.text:
                continue
            text = maps.setdefault(k, _char_map(para.element, direct_only=False).text)
            start = text.find(unit.text)
            while start >= 0:
                found.append((para.element, start))
                start = text.find(unit.text, start + 1)
        if not found:
            return []
        element, start = found[min(rank, len(found) - 1)]
        end = start + len(unit.text)
        text = unit.text
        label = _LEADING_NUMBER.match(text)
        if label and start == 0:
            # « 9.1 À l'issue du marché… »: the paragraph's number is not part of the sentence.
            start += label.end()
            text = text[label.end():]
        full = maps[[id(p.element) for p in paragraphs].index(id(element))]
        # Take the space that follows a sentence in the middle of a paragraph with it.
        if end < len(full) and full[end] == " " and (start == 0 or full[start - 1] == " "):
            end += 1
        spots.append(Spot(element, start, end, text, unit.section))
    return spots
