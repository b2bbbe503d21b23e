"""In-document suppressions: a reviewer accepts a deviation with ``clauselint: ignore C104 — motif``.

The marker may sit anywhere in the text (body, header, footnote...) or in a Word comment. It
names codes (C104), rule names (missing-agile) or families (agile), separated by commas or
spaces, then optionally a dash or a colon and the motive. A suppressed finding is kept, marked
with the motive, and no longer counts for the exit code. A marker that suppresses nothing is
itself reported (C302), so that a stale or mistyped marker does not go unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from clauselint.documents.model import Location
from clauselint.lint.findings import UNUSED_SUPPRESSION, Finding, Suppression, lint_codes
from clauselint.library.families import BY_ID

if TYPE_CHECKING:
    from clauselint.documents.model import Document

_MARKER_RE = re.compile(r"clauselint\s*:\s*ignore\b(?P<rest>[^\n\r]*)", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[\s,;]*(?P<token>[A-Za-z]\d{3}\b|[a-z][a-z0-9]*(?:-[a-z0-9]+)*\b)")
_CODE_SHAPE = re.compile(r"^[A-Za-z]\d{3}$")
_SEPARATOR_RE = re.compile(r"^[\s,;]*(?:[—–\-:]+)\s*")
_TRAILING_QUOTES = "»\"'” \t"


def _known_target(token: str) -> bool:
    names = {name for name, _ in lint_codes().values()}
    return token in BY_ID or token in names


def parse_marker(rest: str) -> tuple[tuple[str, ...], str]:
    """``" C104, agile — marché au forfait"`` → ``(("C104", "agile"), "marché au forfait")``.

    Code-shaped tokens are always taken as targets (an unknown code is reported later);
    words only when they are a family or a rule name, so a motive written without a dash
    is not mistaken for targets.
    """
    targets: list[str] = []
    position = 0
    while True:
        match = _TOKEN_RE.match(rest, position)
        if not match:
            break
        token = match.group("token")
        if _CODE_SHAPE.match(token):
            targets.append(token.upper())
        elif _known_target(token):
            targets.append(token)
        else:
            break
        position = match.end()
    remainder = rest[position:]
    separator = _SEPARATOR_RE.match(remainder)
    if separator:
        remainder = remainder[separator.end():]
    reason = " ".join(remainder.split()).strip(_TRAILING_QUOTES)
    return tuple(targets), reason


def find_suppressions(document: "Document") -> list[Suppression]:
    """Every marker in the document's blocks and comments, in order, without duplicates."""
    found: list[Suppression] = []
    seen: set[tuple[tuple[str, ...], str, str]] = set()
    sources: list[tuple[str, str, Location | None]] = []
    for block in document.blocks:
        sources.append((block.text, "commentaire" if block.kind == "comment" else "texte", block.location))
    for comment in document.comments:
        sources.append((comment.text, "commentaire", comment.location))
    for text, source, location in sources:
        if "clauselint" not in text.lower():
            continue
        for match in _MARKER_RE.finditer(text):
            targets, reason = parse_marker(match.group("rest"))
            key = (targets, reason, source)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Suppression(
                    targets=targets,
                    reason=reason,
                    source=source,
                    location=location,
                    marker=" ".join(match.group(0).split()),
                )
            )
    return found


def _covers(target: str, finding: Finding) -> bool:
    return target in {finding.code, finding.name} or (finding.family is not None and target == finding.family)


def _codes_of(target: str) -> set[str]:
    codes = lint_codes()
    if target in codes:
        return {target}
    if target in BY_ID:
        return {BY_ID[target].missing_code, BY_ID[target].contradicted_code}
    return {code for code, (name, _) in codes.items() if name == target}


def apply_suppressions(
    findings: list[Finding], suppressions: list[Suppression], selected: frozenset[str]
) -> list[Finding]:
    """Mark the findings a marker covers, and add a C302 finding per target that matched nothing.

    A target whose rules are all deselected (``--select``/``--ignore``) is not reported as
    unused: the marker may well be needed when those rules run.
    """
    result: list[Finding] = []
    used: set[tuple[int, str]] = set()
    for finding in findings:
        for index, marker in enumerate(suppressions):
            target = next((t for t in marker.targets if _covers(t, finding)), None)
            if target is not None:
                used.add((index, target))
                finding = replace(finding, suppressed=marker)
                break
        result.append(finding)
    code, name = UNUSED_SUPPRESSION
    if code not in selected:
        return result
    for index, marker in enumerate(suppressions):
        if not marker.targets:
            result.append(_unused(marker, "le marqueur ne nomme aucun code ni aucune famille (ex. « clauselint: ignore C104 — motif »)"))
            continue
        for target in marker.targets:
            if (index, target) in used:
                continue
            codes = _codes_of(target)
            if not codes:
                result.append(_unused(marker, f"{target} n'est pas un code de règle de clauselint lint"))
            elif codes & selected:
                result.append(_unused(marker, f"aucune constatation {target} à ignorer dans ce document"))
    return result


def _unused(marker: Suppression, why: str) -> Finding:
    code, name = UNUSED_SUPPRESSION
    return Finding(
        code=code,
        name=name,
        family=None,
        severity="warning",
        message=f"marqueur sans effet « {marker.marker} » : {why} — voir clauselint rule {code}",
        location=marker.location,
    )
