"""Whole-library checks beyond each file's schema: families covered, rendering, detection hints."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from clauselint.errors import ClauselintError
from clauselint.library.families import FAMILY_IDS
from clauselint.library.loader import Library
from clauselint.library.model import Clause
from clauselint.library.render import render_clause, template_names


@dataclass
class ValidationReport:
    problems: list[str] = field(default_factory=list)
    detection_note: str = ""


def validate_library(library: Library, require_all_families: bool = True, detect: bool = False) -> ValidationReport:
    """``detect=True`` also runs the linter on each clause's own text (loads spaCy: seconds)."""
    report = ValidationReport()
    if require_all_families:
        missing = [f for f in FAMILY_IDS if f not in library.families_covered()]
        for fam in missing:
            report.problems.append(f"famille « {fam} » : aucune clause ; ajoutez-en une (family: {fam})")
    for clause in library:
        report.problems.extend(check_clause(clause))
    report.detection_note = (
        " ; chaque exemple positif ou contredit, et le texte de chaque clause, touche tous ses groupes d'ancres"
    )
    if detect and not report.problems:
        from clauselint.lint.selfcheck import detection_problems

        report.problems.extend(detection_problems(library))
        report.detection_note += " ; le vérificateur reconnaît le texte de chaque clause"
    return report


def check_clause(clause: Clause) -> list[str]:
    """Problems of one clause, each a French line starting with its file."""
    where = clause.source or clause.id
    problems: list[str] = []
    try:
        undeclared = sorted(template_names(clause) - set(clause.variables))
    except ClauselintError as exc:
        return [exc.one_line()]
    if undeclared:
        # Tender-wide values (acheteur, objet…) too: declared with a default, the clause renders alone.
        return [
            f"{where}: le texte utilise « {name} », qui n'est pas une variable de la clause ; "
            f"déclarez-la dans « variables » avec une valeur par défaut"
            for name in undeclared
        ]
    try:
        text = render_clause(clause)
        for name, value in _variants(clause):
            render_clause(clause, {name: value})
        used = template_names(clause)
    except ClauselintError as exc:
        return [exc.one_line()]
    if "{{" in text or "{%" in text:
        problems.append(f"{where}: le texte rendu contient encore « {{{{ » ou « {{% » ; vérifiez le gabarit")
    for name in clause.variables:
        if name not in used:
            problems.append(f"{where}: variable « {name} » déclarée mais absente du texte ; utilisez-la ou retirez-la")
    groups = clause.detect.anchors
    for kind, examples in (("positive", clause.detect.positive), ("contradicted", clause.detect.contradicted)):
        for example in examples:
            missed = first_missed_group(example, groups)
            if missed is not None:
                problems.append(
                    f"{where}: exemple « {kind} » « {_short(example)} » ne touche aucun terme du groupe d'ancres "
                    f"{missed + 1} [{', '.join(groups[missed])}] ; ajoutez un terme au groupe ou reformulez l'exemple"
                )
    if not any(first_missed_group(sentence, groups) is None for sentence in sentences(text)):
        problems.append(
            f"{where}: aucune phrase du texte de la clause ne touche tous les groupes d'ancres ; "
            "le vérificateur ne reconnaîtrait pas la clause elle-même"
        )
    return problems


def _variants(clause: Clause) -> list[tuple[str, object]]:
    """Every value of each choice, bool or small-range int variable, so that each branch of the text is rendered."""
    values: list[tuple[str, object]] = []
    for name, var in clause.variables.items():
        if var.type == "choice":
            values.extend((name, choice) for choice in var.choices or [])
        elif var.type == "bool":
            values.extend([(name, True), (name, False)])
        elif var.type == "int" and var.min is not None and var.max is not None and var.max - var.min <= 4:
            # A small range is a switch in disguise (e.g. the tender's category): render each value.
            values.extend((name, value) for value in range(int(var.min), int(var.max) + 1))
    return values


# --- anchor matching, approximated without spaCy -------------------------------------------------
# The linter matches anchors on lemmas; here a cheap stand-in (accent-folded prefixes of five
# letters) checks that the hints are consistent. It is deliberately lenient: it can only miss a
# match the linter would find through an irregular form (« doit » / « devoir »).

_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "un", "une", "a", "au", "aux", "et", "en", "s", "n", "qu", "se"}
_STEM = 5


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe").replace("æ", "ae")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


def term_hits(term: str, tokens: list[str]) -> bool:
    """A term hits when each of its significant words starts a token of the sentence."""
    words = [w for w in _words(term) if w not in _STOP] or _words(term)
    return all(any(tok.startswith(w[:_STEM]) for tok in tokens) for w in words)


def first_missed_group(sentence: str, groups: list[list[str]]) -> int | None:
    """Index of the first anchor group none of whose terms the sentence hits, or None."""
    tokens = _words(sentence)
    for index, group in enumerate(groups):
        if not any(term_hits(term, tokens) for term in group):
            return index
    return None


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for block in text.split("\n\n"):
        out.extend(s for s in re.split(r"(?<=[.;:!?])\s+", " ".join(block.split())) if s)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
