"""`lint --dossier`: the files of a folder are the pieces of one contract (RC, CCAP, CCTP, AE, annexes).

A standard clause may sit in any piece: the CCAP states the ban on insignia, the CCTP the agile
ceremonies, an annex the sworn statement. Each file is still read and analysed alone (a window
never joins two files); this module then gives the folder one entry of its own, whose status per
family is the best of its members', and moves the « missing » findings there: a clause is missing
from the contract only when no piece carries it. Contradictions stay on the file that holds them,
where the reviewer has to act.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from clauselint.library.families import BY_ID, FAMILY_IDS
from clauselint.lint.findings import (
    UNUSED_SUPPRESSION,
    ClauseStatus,
    Context,
    FileReport,
    Skipped,
    context_conditions,
    family_findings,
    sort_findings,
)
from clauselint.lint.suppress import apply_suppressions

if TYPE_CHECKING:
    from clauselint.library import Library

OUTSIDE_REASON = "document hors marché (mot-clé clauselint:hors-marche dans ses propriétés, comme la note interne d'assemble) : laissé hors du dossier"
MISSING_CODES = frozenset(f.missing_code for f in BY_ID.values())


def merged_context(members: Sequence[FileReport]) -> Context:
    """The contract's context from all its pieces: the first category found (the RC or the CCAP
    names the purchasing code), agile or personal data as soon as one piece says so."""
    category, sources = None, {}
    for report in members:
        ctx = report.context
        if ctx is not None and category is None and ctx.category is not None:
            category = ctx.category
            sources["category"] = f"{report.path} : {ctx.sources.get('category', 'trouvée')}"
    flags: dict[str, bool | None] = {}
    for key in ("agile", "personal_data"):
        values = [(r, getattr(r.context, key)) for r in members if r.context is not None]
        yes = [r for r, v in values if v]
        flags[key] = True if yes else (False if values else None)
        if yes:
            sources[key] = f"{yes[0].path} : {yes[0].context.sources.get(key, 'oui')}"
        elif values:
            sources[key] = "aucune pièce du dossier"
    if category is None:
        sources["category"] = "aucune pièce du dossier (toutes catégories)"
    return Context(category=category, agile=flags["agile"], personal_data=flags["personal_data"], sources=sources)


def merged_status(family: str, members: Sequence[FileReport], required: bool) -> ClauseStatus:
    """A contradiction anywhere wins (it must be resolved wherever it is), then a presence
    anywhere; the evidence is the most confident one, with the file it is in."""
    found = [(r, c) for r in members for c in r.clauses if c.family == family]
    for status in ("contradicted", "present"):
        hits = [(r, c) for r, c in found if c.status == status]
        if hits:
            report, best = max(hits, key=lambda rc: rc[1].confidence)
            return replace(best, required=required, evidence_path=report.path)
    # Missing: as sure as the least sure of the pieces.
    confidence = min((c.confidence for _, c in found), default=0.9)
    return ClauseStatus(family=family, status="missing", required=required, confidence=confidence)


def dossier_report(path: str, members: Sequence[FileReport], library: "Library", selected: frozenset[str]) -> FileReport:
    context = merged_context(members)
    required = library.required_families(context.category, context_conditions(context))
    clauses = [merged_status(f, members, f in required) for f in FAMILY_IDS]
    findings = [f for f in family_findings(clauses, context, library, selected) if f.code in MISSING_CODES]
    markers = [s for r in members for s in r.suppressions]
    # A marker that covers nothing here is already reported (C302) on the file that holds it.
    findings = [f for f in apply_suppressions(findings, markers, selected) if f.code != UNUSED_SUPPRESSION[0]]
    return FileReport(path=path, context=context, clauses=clauses, findings=sort_findings(findings),
                      suppressions=markers, members=[r.path for r in members])


def combine(
    files: list[FileReport], dossiers: dict[str, list[str]], library: "Library", selected: frozenset[str]
) -> tuple[list[FileReport], list[Skipped]]:
    """The run's entries with one entry per dossier, placed after its last member; the members
    keep their statuses and their contradictions, their « missing » findings go to the dossier.
    A document that says it is no piece of a contract (the buyer's internal note) is set aside."""
    outside = [f for f in files if f.outside_contract and f.error is None]
    skipped = [Skipped(f.path, OUTSIDE_REASON) for f in outside]
    files = [f for f in files if f not in outside]
    member_of = {m: d for d, ms in dossiers.items() for m in ms}
    by_path = {f.path: f for f in files}
    out: list[FileReport] = []
    last_member = {d: max((i for i, f in enumerate(files) if member_of.get(f.path) == d), default=None) for d in dossiers}
    for i, report in enumerate(files):
        dossier = member_of.get(report.path)
        if dossier is not None:
            report.dossier = dossier
            report.findings = [f for f in report.findings if f.code not in MISSING_CODES]
        out.append(report)
        for d, last in last_member.items():
            if last == i:
                members = [by_path[m] for m in dossiers[d] if m in by_path and by_path[m].error is None]
                if members:
                    out.append(dossier_report(d, members, library, selected))
    return out, skipped
