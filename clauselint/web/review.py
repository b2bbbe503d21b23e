"""What the « Vérifier un contrat » page shows: each family's status, its evidence in the document's own text,
the rule's explanation and the library's wording — all read from the linter's report, never re-decided.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from clauselint.library.families import BY_ID

if TYPE_CHECKING:
    from clauselint.documents.model import Document, Location
    from clauselint.library import Library
    from clauselint.lint.findings import ClauseStatus, FileReport, Finding

CONTEXT_BLOCKS = 1  # body blocks shown before and after the evidence


@dataclass
class Piece:
    text: str
    marked: bool = False


@dataclass
class BlockView:
    pieces: list[Piece]
    kind: str
    where: str
    evidence: bool


@dataclass
class RuleView:
    code: str
    name: str
    summary: str
    sections: list[tuple[str, str]]  # (title, HTML rendered from the catalogue's Markdown)


@dataclass
class ClauseView:
    id: str
    title: str
    version: int
    basis: list[str]
    categories: str
    condition: str
    paragraphs: list[str]


@dataclass
class FamilyView:
    id: str
    label: str
    basis: str
    status: str  # present | missing | contradicted (the engine's)
    shown: str  # présente | manquante | contredite | non exigée
    badge: str  # DSFR badge modifier: success | error | warning | info
    required: bool
    requirement: str
    confidence: float
    where: str | None
    findings: list["Finding"]
    excerpt: list[BlockView]
    rule: RuleView
    clauses: list[ClauseView]


@dataclass
class ReviewView:
    display_name: str
    extension: str
    context: list[tuple[str, str, str]]  # (what, value, how it was found)
    families: list[FamilyView]
    other_findings: list["Finding"]
    counts: dict[str, int]
    json_href: str
    sarif_href: str
    pages: int | None  # PDFs only: other formats have no fixed pages
    words: int
    fixable: bool
    document_b64: str = ""

    @property
    def words_text(self) -> str:
        from clauselint import french

        return french.group_thousands(self.words)
    options: dict[str, str] = field(default_factory=dict)


def shown_status(status: "ClauseStatus") -> tuple[str, str]:
    """The family's status as the page says it, and the colour of its badge."""
    if status.status == "present":
        return "présente", "success"
    if status.status == "contradicted":
        return "contredite", "error" if status.required else "warning"
    if not status.required:
        return "non exigée", "info"
    return "manquante", "error"


def _marked(text: str, start: int, end: int) -> list[Piece]:
    out = []
    if start > 0:
        out.append(Piece(text[:start]))
    out.append(Piece(text[start:end], True))
    if end < len(text):
        out.append(Piece(text[end:]))
    return out


def _span(block_text: str, sentence: str, start_at: int) -> tuple[int, int] | None:
    """Where the (whitespace-folded) sentence sits in the block's own text."""
    words = sentence.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.compile(pattern).search(block_text, start_at)
    return (match.start(), match.end()) if match else None


def evidence_excerpt(document: "Document", text: str | None, location: "Location | None",
                     units: list[Any] | None = None) -> list[BlockView]:
    """The blocks holding the evidence, with the evidence marked, and their neighbours.

    The engine's evidence is a run of the document's units (sentences, clauselint.lint.units)
    starting at ``location``; the same units are cut again here to find their blocks and offsets.
    """
    from clauselint.lint.findings import where
    from clauselint.lint.units import BODY_KINDS, document_units

    if not text or location is None:
        return []
    units = units if units is not None else document_units(document)
    run: list[Any] = []
    for i, unit in enumerate(units):
        if unit.location != location or not text.startswith(unit.text):
            continue
        joined, j = unit.text, i
        while len(joined) < len(text) and j + 1 < len(units):
            j += 1
            joined += " " + units[j].text
        if joined == text:
            run = units[i: j + 1]
            break
    if not run:
        return []
    spans: dict[int, list[tuple[int, int]]] = {}
    cursor: dict[int, int] = {}
    for unit in run:
        block_text = document.blocks[unit.block].text
        found = _span(block_text, unit.text, cursor.get(unit.block, 0))
        if found:
            spans.setdefault(unit.block, []).append(found)
            cursor[unit.block] = found[1]
    body = [i for i, b in enumerate(document.blocks) if b.kind in BODY_KINDS and b.text.strip()]
    first, last = body.index(run[0].block), body.index(run[-1].block)
    chosen = body[max(0, first - CONTEXT_BLOCKS): last + CONTEXT_BLOCKS + 1]
    views = []
    for index in chosen:
        block = document.blocks[index]
        marks = spans.get(index)
        if marks:
            start, end = marks[0][0], marks[-1][1]
            pieces = _marked(block.text, start, end)
        else:
            pieces = [Piece(block.text)]
        views.append(BlockView(pieces=pieces, kind=block.kind, where=where(block.location), evidence=bool(marks)))
    return views


@cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


@cache
def rule_view(code: str) -> RuleView:
    from clauselint.rules.registry import SECTIONS, get_rule

    rule = get_rule(code)
    sections = [(title, _markdown().render(rule.sections[title].strip())) for title in SECTIONS]
    return RuleView(code=rule.code, name=rule.name, summary=rule.summary, sections=sections)


_CONDITIONS = {
    ("agile", True): "marché agile", ("agile", False): "marché non agile",
    ("personal_data", True): "avec données personnelles", ("personal_data", False): "sans données personnelles",
    ("pro_bono", True): "mission pro bono", ("pro_bono", False): "mission rémunérée",
}


def clause_view(clause: Any, text: str) -> ClauseView:
    from clauselint.library.render import paragraphs

    categories = ", ".join(str(c) for c in clause.applies.categories)
    condition = ", ".join(_CONDITIONS[(k, v)] for k, v in clause.applies.when.items())
    return ClauseView(id=clause.id, title=clause.title, version=clause.version, basis=list(clause.basis),
                      categories=categories, condition=condition, paragraphs=paragraphs(text))


_WORDING: dict[tuple[int, str], str] = {}


def _default_text(library: "Library", clause_id: str) -> str:
    from clauselint.library.render import render_clause

    key = (id(library), clause_id)
    if key not in _WORDING:
        _WORDING[key] = render_clause(library.get(clause_id))
    return _WORDING[key]


def library_wording(library: "Library", family: str) -> list[ClauseView]:
    """The family's clauses of the contract (CCAP) rendered with their default values."""
    out = []
    for clause in library.by_family(family):
        if "ccap" not in clause.applies.documents:
            continue
        out.append(clause_view(clause, _default_text(library, clause.id)))
    return out


def data_href(data: str | bytes, mime: str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")


def fixable(extension: str) -> bool:
    """Whether ``clauselint fix`` can amend this format: Word, or OpenDocument when LibreOffice converts it."""
    if extension == ".docx":
        return True
    if extension == ".odt":
        from clauselint.assemble.pdf import find_soffice

        return find_soffice() is not None
    return False


def build_view(document: "Document", report: "FileReport", library: "Library", display_name: str,
               extension: str) -> ReviewView:
    from clauselint.lint.findings import LintReport, requirement, where
    from clauselint.reports import lint_json, lint_sarif

    from clauselint.lint.units import document_units

    ctx = report.context
    units = document_units(document) if any(s.evidence_text for s in report.clauses) else []
    families = []
    for status in report.clauses:
        fam = BY_ID[status.family]
        shown, badge = shown_status(status)
        code = fam.contradicted_code if status.status == "contradicted" else fam.missing_code
        families.append(FamilyView(
            id=fam.id, label=fam.label, basis=fam.basis, status=status.status, shown=shown, badge=badge,
            required=status.required, requirement=requirement(fam, status.required, ctx, library),
            confidence=status.confidence,
            where=where(status.evidence_location) if status.evidence_text else None,
            findings=[f for f in report.findings if f.family == fam.id],
            excerpt=evidence_excerpt(document, status.evidence_text, status.evidence_location, units),
            rule=rule_view(code), clauses=library_wording(library, fam.id),
        ))
    counts = {key: sum(1 for f in families if f.shown == key)
              for key in ("présente", "manquante", "contredite", "non exigée")}
    context = []
    if ctx is not None:
        sources = ctx.sources or {}
        category = f"{ctx.category}" if ctx.category else "indéterminée (toutes catégories)"
        context = [
            ("Catégorie", category, str(sources.get("category", ""))),
            ("Méthode agile", "oui" if ctx.agile else "non", str(sources.get("agile", ""))),
            ("Données personnelles", "oui" if ctx.personal_data else "non", str(sources.get("personal_data", ""))),
        ]
    whole = LintReport(files=[report])
    return ReviewView(
        display_name=display_name, extension=extension, context=context, families=families,
        other_findings=[f for f in report.findings if f.family is None], counts=counts,
        json_href=data_href(lint_json.render(whole), "application/json"),
        sarif_href=data_href(lint_sarif.render(whole), "application/sarif+json"),
        pages=document.pages if document.format == "pdf" else None, words=document.word_count(),
        fixable=fixable(extension),
    )
