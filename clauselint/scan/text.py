"""Text helpers for the scanner: length-preserving folding (accents, case, typography) and e-mails."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Typographic variants a Word or PowerPoint file carries, mapped to their plain form so that
# one pattern matches both; every replacement is one character for one character, so an offset
# in the folded text is an offset in the original.
_TYPOGRAPHY = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ",
    "\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"',
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _TYPOGRAPHY:
        return _TYPOGRAPHY[char]
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower-case, accent-free, plain-typography text of exactly the same length as ``text``."""
    if text.isascii():
        return text.lower().replace("\t", " ")
    return "".join(_fold_char(c) for c in text)


def squash(text: str, limit: int = 200) -> str:
    """One line of at most ``limit`` characters, for evidence shown to a user."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]{0,63}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w-])")


def emails(text: str) -> list[tuple[str, str]]:
    """The e-mail addresses in ``text`` as (address, lower-case domain)."""
    if "@" not in text:
        return []
    return [(m.group(0), m.group(1).lower()) for m in EMAIL_RE.finditer(text)]


def lines(text: str) -> list[str]:
    """Non-empty lines of a block (a PDF page or a slide is one block with many lines)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
