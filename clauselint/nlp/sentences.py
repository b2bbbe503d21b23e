"""A rule-based sentence splitter for French contract text (no spaCy: it runs on every block).

spaCy's splitters break after « art. » and inside « 1°) … ; 2°) » lists. This one splits on
end punctuation followed by a capital, a digit or an opening quote, except after the
abbreviations contracts use (« art. », « n° », « M. », « cf. », « p. »...), initials and
numbered headings (« 9.2.1 »); it also splits before list items that start a new line and at
blank lines. Offsets are kept so that evidence points into the original block text.
"""

from __future__ import annotations

import re

# Lower-cased words after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """art arts al alin cf chap ch p pp ex n no nos num vol réf ref cod anc env hab tél tel
    min max mm m mme mmes mlle mlles me dr pr st ste sté ets éts etc av bd ht ttc hors
    c-à-d c.-à-d i.e e.g op cit ibid id fig tab ann annexe sect§ tit liv part""".split()
)

_END_RE = re.compile(r"([.!?…]+)([»”\"')\]]*)(\s+)")
_NEXT_START_RE = re.compile(r"[«\"“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9•\-–—]")
# A new line that starts a list item or follows a line ending with « : » or « ; ».
_LINE_BREAK_RE = re.compile(r"\n\s*(?=(?:[-–—•▪●*]|\d{1,2}°|\(?[a-z]\)|\d{1,2}[.)]\s|[IVX]{1,4}[.)]\s))|\n\s*\n|(?<=[:;])[ \t]*\n")
_WORD_BEFORE_RE = re.compile(r"([\w°.\-]+)$")
_MAX_WORDS = 120


def _word_before(text: str, dot: int) -> re.Match[str] | None:
    """``_WORD_BEFORE_RE.search(text, 0, dot)``, looking back a little first (the same match:
    a match starting at the window's edge may go on before it, and is then searched in full)."""
    start = max(0, dot - 48)
    match = _WORD_BEFORE_RE.search(text, start, dot)
    if match is not None and match.start() == start and start > 0:
        match = _WORD_BEFORE_RE.search(text, 0, dot)
    return match


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _word_before(text, dot)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if not word:
        return False
    if word in ABBREVIATIONS or word.endswith("°"):
        return True
    # Initials (« J. Dupont ») and single letters (« a. », « b. »).
    if len(word) == 1 and word.isalpha():
        return True
    # Numbered headings at the start of a line: « 9.2. Le titulaire », « 4.5.7. »
    if re.fullmatch(r"\d+(?:\.\d+)*", word):
        before = text[: match.start(1)].rstrip(" \t")
        return not before or before.endswith("\n")
    return False


_HEADING_WORD_RE = re.compile(r"(?i)^(?:article|art\.|chapitre|titre|section|annexe|partie)\b")


def _heading_line_breaks(text: str) -> list[int]:
    """Cuts after lines that look like headings (mostly capitals, or « Article 5 – ... »)."""
    cuts = []
    offset = 0
    lines = text.split("\n")
    for line in lines[:-1]:
        offset += len(line) + 1
        stripped = line.strip()
        letters = [c for c in stripped if c.isalpha()]
        if not letters or stripped[-1:] in ",;":
            continue
        upper = sum(c.isupper() for c in letters) / len(letters)
        if (upper >= 0.6 and len(letters) >= 3) or (_HEADING_WORD_RE.match(stripped) and len(stripped.split()) <= 14 and stripped[-1:] not in ".:"):
            cuts.append(offset)
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed, empty ones dropped."""
    cuts = {0, len(text)}
    for m in _LINE_BREAK_RE.finditer(text):
        cuts.add(m.end())
    if "\n" in text:
        cuts.update(_heading_line_breaks(text))
    for m in _END_RE.finditer(text):
        dot = m.start(1)
        after = m.end()
        if after >= len(text):
            continue
        if m.group(1) == "." and _is_abbreviation(text, dot):
            continue
        if not _NEXT_START_RE.match(text, after):
            continue
        cuts.add(after)
    ordered = sorted(cuts)
    spans: list[tuple[int, int]] = []
    for start, end in zip(ordered, ordered[1:]):
        spans.extend(_trim_and_bound(text, start, end))
    return spans


def _trim_and_bound(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    # A very long « sentence » (an enumeration, a table flattened by a PDF extractor) is cut at
    # its semicolons so that evidence stays readable and windows stay local.
    if len(text[start:end].split()) <= _MAX_WORDS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for m in re.finditer(r";\s+", text[start:end]):
        cut = start + m.end()
        if len(text[piece_start:cut].split()) >= 12:
            pieces.append((piece_start, start + m.start() + 1))
            piece_start = cut
    pieces.append((piece_start, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (convenience for tests and examples)."""
    return [text[a:b] for a, b in split_sentences(text)]
