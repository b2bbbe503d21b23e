"""Whole-library checks beyond each file's schema: families covered, rendering, self-detection."""

from __future__ import annotations

from dataclasses import dataclass, field

from clauselint.errors import ClauselintError
from clauselint.library.families import FAMILY_IDS
from clauselint.library.loader import Library
from clauselint.library.render import render_clause


@dataclass
class ValidationReport:
    problems: list[str] = field(default_factory=list)
    detection_note: str = ""


def validate_library(library: Library, require_all_families: bool = True) -> ValidationReport:
    report = ValidationReport()
    if require_all_families:
        missing = [f for f in FAMILY_IDS if f not in library.families_covered()]
        for fam in missing:
            report.problems.append(f"famille « {fam} » : aucune clause ; ajoutez-en une (family: {fam})")
    for clause in library:
        where = clause.source or clause.id
        try:
            text = render_clause(clause)
        except ClauselintError as exc:
            report.problems.append(exc.one_line())
            continue
        if "{{" in text or "{%" in text:
            report.problems.append(f"{where}: le texte rendu contient encore « {{{{ » ou « {{% » ; vérifiez le gabarit")
    return report
