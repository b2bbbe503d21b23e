"""Findings of `clauselint lint`: the report's data model, rule selection and severities.

The engine (``lint/engine.py``) says, per family, whether a clause is present, missing or
contradicted; this module turns that into findings with a rule code, a severity and a French
message. Everything here is plain, picklable data: worker processes send it back to the parent,
and every report format (``clauselint/reports/``) reads only this model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clauselint.documents.model import Location
from clauselint.errors import ClauselintError
from clauselint.library.families import BY_ID, FAMILIES, FAMILY_IDS, Family

if TYPE_CHECKING:
    from clauselint.library import Library

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SEVERITY_FR = {"error": "erreur", "warning": "avertissement", "info": "information"}
STATUSES = ("present", "missing", "contradicted")

# Rules of this command that are not tied to one family (see clauselint/rules/catalog/).
PARTIAL_READING = ("C301", "partial-reading")
UNUSED_SUPPRESSION = ("C302", "unused-suppression")
OTHER_RULES: dict[str, str] = dict((PARTIAL_READING, UNUSED_SUPPRESSION))


def lint_codes() -> dict[str, tuple[str, str | None]]:
    """Every code `lint` can emit → (rule name, family id or None), in code order."""
    codes: dict[str, tuple[str, str | None]] = {}
    for fam in FAMILIES:
        codes[fam.missing_code] = (f"missing-{fam.id}", fam.id)
    for fam in FAMILIES:
        codes[fam.contradicted_code] = (f"contradicted-{fam.id}", fam.id)
    for code, name in OTHER_RULES.items():
        codes[code] = (name, None)
    return codes


@dataclass(frozen=True)
class Suppression:
    """A reviewer's ``clauselint: ignore CODE — motif`` marker, found in the document."""

    targets: tuple[str, ...]  # codes (C104) or family ids (agile), as written
    reason: str  # the motive, "" when none was given
    source: str  # "texte" (body, header...) or "commentaire" (a Word comment)
    location: Location | None = None
    marker: str = ""  # the marker as found, whitespace collapsed


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    family: str | None
    severity: str  # "error" | "warning" | "info"
    message: str  # French, one line
    location: Location | None = None  # None: the document as a whole (e.g. a missing clause)
    suppressed: Suppression | None = None

    @property
    def line(self) -> int:
        """The line shown in `path:line:col`: the evidence's line or paragraph, else 1."""
        if self.location is None:
            return 1
        return self.location.line or self.location.paragraph or 1

    def at_or_above(self, level: str) -> bool:
        return SEVERITY_RANK[self.severity] >= SEVERITY_RANK[level]


@dataclass(frozen=True)
class ClauseStatus:
    """The status of one family in one document, copied out of the engine's answer."""

    family: str
    status: str  # "present" | "missing" | "contradicted"
    required: bool
    confidence: float
    evidence_text: str | None = None
    evidence_location: Location | None = None
    evidence_path: str | None = None  # in a dossier's entry: the member file the evidence is in


@dataclass(frozen=True)
class Context:
    """What the contract is, as the engine understood it (or as the options forced it)."""

    category: int | None
    agile: bool | None
    personal_data: bool | None
    sources: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileReport:
    path: str  # as shown to the user (relative when possible)
    error: str | None = None  # French, when the file could not be read
    context: Context | None = None
    clauses: list[ClauseStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # The reviewer's markers found in the document (a dossier applies its members' markers).
    suppressions: list[Suppression] = field(default_factory=list)
    # `lint --dossier`: a member file names its dossier; the dossier's entry lists its members.
    dossier: str | None = None
    members: list[str] | None = None
    outside_contract: bool = False  # the document says it is no piece of a contract (documents.model)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str  # French


@dataclass
class LintReport:
    files: list[FileReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def active(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings if f.suppressed is None]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.active() if f.severity == severity)

    def suppressed_count(self) -> int:
        return sum(1 for fr in self.files for f in fr.findings if f.suppressed is not None)

    def documents(self) -> list[FileReport]:
        """The entries of files (a dossier's entry stands for its members, it is not a file)."""
        return [fr for fr in self.files if fr.members is None]

    def failed_files(self) -> list[FileReport]:
        return [fr for fr in self.files if fr.error is not None]

    def exit_code(self, fail_level: str) -> int:
        """2 when a file could not be read (an input error wins), 1 for findings at or above
        ``fail_level`` (suppressed ones excepted), else 0."""
        if self.failed_files():
            return 2
        return 1 if any(f.at_or_above(fail_level) for f in self.active()) else 0


# --- selection -------------------------------------------------------------------------------


def resolve_selectors(items: Iterable[str], option: str) -> set[str]:
    """Codes named by ``items``: codes (C101), code prefixes (C1, C2), rule names
    (missing-insignia) or family ids (agile → C104 and C204)."""
    codes = lint_codes()
    names = {name: code for code, (name, _) in codes.items()}
    chosen: set[str] = set()
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        upper = item.upper()
        if upper in codes:
            chosen.add(upper)
        elif item in names:
            chosen.add(names[item])
        elif item in BY_ID:
            chosen.update({BY_ID[item].missing_code, BY_ID[item].contradicted_code})
        elif len(upper) >= 2 and upper[0] == "C" and upper[1:].isdigit() and any(c.startswith(upper) for c in codes):
            chosen.update(c for c in codes if c.startswith(upper))
        else:
            raise ClauselintError(
                f"{option} : « {item} » n'est ni un code de règle (ex. C101), ni un nom de règle "
                f"(ex. missing-insignia), ni une famille ({', '.join(FAMILY_IDS)}) ; "
                "voyez la liste avec « clauselint rule --all »"
            )
    return chosen


def split_list(value: str | Sequence[str] | None) -> list[str]:
    """``"C101,agile"`` or ``["C101", "agile"]`` → ``["C101", "agile"]``."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [part.strip() for item in value for part in str(item).split(",") if part.strip()]


def selected_codes(select: Sequence[str] | None, ignore: Sequence[str] | None) -> frozenset[str]:
    """The codes to report: ``select`` (default: all) minus ``ignore``."""
    base = resolve_selectors(select, "--select") if select else set(lint_codes())
    return frozenset(base - resolve_selectors(ignore or [], "--ignore"))


# --- from the engine's answer to findings ----------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def excerpt(text: str, limit: int = 80) -> str:
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def where(location: Location | None) -> str:
    """« Article 7 – Confidentialité, p. 3 »; « ligne 12 » for a text file without headings."""
    if location is None:
        return "document entier"
    parts = []
    if location.section:
        parts.append(location.section)
    if location.page:
        parts.append(f"p. {location.page}")
    if not parts:
        if location.line:
            parts.append(f"ligne {location.line}")
        elif location.paragraph:
            parts.append(f"paragraphe {location.paragraph}")
    return ", ".join(parts) or "document entier"


_CONDITION_WHEN = {
    ("agile", True): "marché agile",
    ("agile", False): "marché non agile",
    ("personal_data", True): "avec données personnelles",
    ("personal_data", False): "sans données personnelles",
    ("pro_bono", True): "mission pro bono",
    ("pro_bono", False): "mission non pro bono",
}


def context_conditions(context: Context) -> dict[str, bool]:
    return {"agile": bool(context.agile), "personal_data": bool(context.personal_data), "pro_bono": False}


def requirement(fam: Family, required: bool, context: Context, library: "Library | None") -> str:
    """Why the family is (or is not) required here, e.g. « exigée en catégorie 3, marché agile »."""
    cat = f" en catégorie {context.category}" if context.category else ""
    if library is None or not context.category:
        return ("exigée" if required else "non exigée") + cat
    conditions = context_conditions(context)
    ccap = [c for c in library.by_family(fam.id) if "ccap" in c.applies.documents]
    in_category = [c for c in ccap if context.category in c.applies.categories]
    if required:
        matching = [c for c in in_category if c.applies.matches(context.category, conditions)]
        extra = sorted({_CONDITION_WHEN[(k, v)] for c in matching[:1] for k, v in c.applies.when.items()})
        return "exigée" + cat + "".join(f", {e}" for e in extra)
    if in_category:
        # The family exists for this category but only under conditions this contract does not meet.
        unmet = sorted({_CONDITION_WHEN[(k, conditions.get(k, False))] for c in in_category
                        for k, v in c.applies.when.items() if conditions.get(k, False) != v})
        if unmet:
            return "non exigée" + cat + " : " + ", ".join(unmet)
    return "non exigée" + cat


def family_findings(
    clauses: Sequence[ClauseStatus], context: Context, library: "Library | None", selected: frozenset[str]
) -> list[Finding]:
    """Findings for the families' statuses: C1nn for a missing clause, C2nn for a contradicted one.

    Severity: missing + required → error, missing + not required → info,
    contradicted → error (warning when the family is not required).
    """
    findings: list[Finding] = []
    for status in clauses:
        fam = BY_ID[status.family]
        why = requirement(fam, status.required, context, library)
        label = _lower_first(fam.label)
        if status.status == "missing" and fam.missing_code in selected:
            code = fam.missing_code
            kind = "clause manquante" if status.required else "clause absente"
            findings.append(
                Finding(
                    code=code,
                    name=f"missing-{fam.id}",
                    family=fam.id,
                    severity="error" if status.required else "info",
                    message=f"{kind} : {label} (famille {fam.id}, {why}) — voir clauselint rule {code}",
                )
            )
        elif status.status == "contradicted" and fam.contradicted_code in selected:
            code = fam.contradicted_code
            quote = f" : « {excerpt(status.evidence_text)} »" if status.evidence_text else ""
            findings.append(
                Finding(
                    code=code,
                    name=f"contradicted-{fam.id}",
                    family=fam.id,
                    severity="error" if status.required else "warning",
                    message=f"clause contredite : {label} (famille {fam.id}, {why}){quote} — voir clauselint rule {code}",
                    location=status.evidence_location,
                )
            )
    return findings


def reader_warnings(warnings: Iterable[str], selected: frozenset[str]) -> list[Finding]:
    """C301: what the reader could not read but read past (e.g. PDF pages without a text layer)."""
    code, name = PARTIAL_READING
    if code not in selected:
        return []
    return [
        Finding(
            code=code,
            name=name,
            family=None,
            severity="warning",
            message=f"lecture partielle : {' '.join(w.split()).rstrip('.')} — voir clauselint rule {code}",
        )
        for w in dict.fromkeys(warnings)
    ]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line, f.code))
