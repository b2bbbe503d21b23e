"""Layout facts shared by the template builder and the assembler: heading numbers, markers, file names."""

from __future__ import annotations

# How Word numbers the headings of each template (numbering.xml, %1 = the article's number).
# The assembler uses the same formats to fill the table of contents and the Markdown previews,
# so both show what Word shows.
HEADING_FORMATS: dict[str, tuple[str, str]] = {
    "rc": ("Article %1 –", "%1.%2"),
    "ccap": ("Article %1 –", "%1.%2"),
    "cctp": ("%1.", "%1.%2."),
    "ae": ("Article %1 –", "%1.%2"),
    "annexe": ("%1.", "%1.%2."),
    "note": ("%1.", "%1.%2."),
}

# What the buyer (or the candidate) must still write: highlighted in Word, bold in Markdown.
TODO_BUYER = "[À COMPLÉTER PAR L'ACHETEUR : {}]"
TODO_CANDIDATE = "[À COMPLÉTER PAR LE CANDIDAT : {}]"
TODO_PREFIX = "[À COMPLÉTER"

# The order of the standard clauses in the CCAP, by family: steering first, then how the
# consultants behave, then data, results, and the evaluation of the service last.
CCAP_FAMILY_ORDER: tuple[str, ...] = (
    "steering",
    "agile",
    "consultant-mention",
    "insignia",
    "conflict-of-interest",
    "confidentiality",
    "cybersecurity",
    "data-destruction",
    "intellectual-property",
    "evaluation",
)


# Table layouts the templates offer: name → relative column widths (in % of the text width).
TABLE_LAYOUTS: dict[str, tuple[int, ...]] = {
    "t2-label": (35, 65),  # label → value
    "t2-wide": (64, 36),  # long text → short value
    "t2-even": (50, 50),
    "t3": (20, 32, 48),
    "t3-text": (13, 55, 32),  # short code → long text → basis
    "t4": (17, 27, 18, 38),
}
DEFAULT_LAYOUT = {2: "t2-label", 3: "t3", 4: "t4"}


def heading_number(template: str, level: int, numbers: tuple[int, ...]) -> str:
    """The number Word shows before a heading: ``heading_number("ccap", 1, (3,))`` → « Article 3 – »."""
    text = HEADING_FORMATS[template][level - 1]
    for index, value in enumerate(numbers, start=1):
        text = text.replace(f"%{index}", str(value))
    return text
