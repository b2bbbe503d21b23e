"""Self-detection: the linter must find each clause's own text present for the clause's family.

Called by ``clauses validate`` (through ``validate_library(..., detect=True)``): a library whose
detectors miss the library's own wording would report every conforming contract as missing.
"""

from __future__ import annotations

from pathlib import Path

from clauselint.documents.model import Block, Document, Location
from clauselint.library.families import BY_ID

_STATUS_FR = {"missing": "absente", "contradicted": "contredite", "present": "présente"}


def clause_document(clause, text: str) -> Document:
    """The rendered clause as a one-section document, one block per paragraph."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    blocks = [
        Block(p, location=Location(paragraph=i + 1, section=clause.title, line=None))
        for i, p in enumerate(paragraphs)
    ]
    return Document(path=Path(f"{clause.id}.md"), format="md", blocks=blocks)


def detection_problems(library, linter=None) -> list[str]:
    """One French line per clause whose own text is not found present by its family's detector."""
    from clauselint.errors import ClauselintError
    from clauselint.library.render import render_clause
    from clauselint.lint.engine import Linter

    linter = linter or Linter(library)
    clauses, documents = [], []
    for clause in library:
        try:
            text = render_clause(clause)
        except ClauselintError:
            continue  # a clause that does not render is reported by the rendering check
        clauses.append(clause)
        documents.append(clause_document(clause, text))
    problems = []
    for clause, analysis in zip(clauses, linter.analyse_many(documents)):
        status = analysis.status(clause.family)
        if status.status != "present":
            where = clause.source or clause.id
            problems.append(
                f"{where}: le vérificateur juge la clause elle-même {_STATUS_FR[status.status]} "
                f"(famille « {clause.family} », {BY_ID[clause.family].label.lower()}) ; ajoutez à « detect » "
                "des exemples positifs ou des ancres qui couvrent sa formulation"
            )
    return problems
