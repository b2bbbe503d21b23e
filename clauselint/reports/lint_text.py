"""The `text` format of `clauselint lint`: compiler-like finding lines, a status table per file, a summary.

Lines are built as rich ``Text`` so that a terminal gets colour and a file or a pipe gets the
same characters without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clauselint.library.families import FAMILY_IDS
from clauselint.lint.findings import (
    ClauseStatus,
    Context,
    FileReport,
    Finding,
    LintReport,
    excerpt,
    where,
)

if TYPE_CHECKING:
    from rich.text import Text

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_STYLE = {"présente": "green", "manquante": "bold red", "contredite": "bold red", "non exigée": "dim"}
_FAMILY_WIDTH = max(len(f) for f in FAMILY_IDS)
_STATUS_WIDTH = len("non exigée")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count < 2 else (plural_form or singular + 's')}"


def status_label(clause: ClauseStatus) -> str:
    if clause.status == "present":
        return "présente"
    if clause.status == "contradicted":
        return "contredite"
    return "manquante" if clause.required else "non exigée"


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    return "?" if value is None else (yes if value else no)


def context_line(context: Context) -> str:
    """« catégorie 3, non agile, avec données personnelles »."""
    category = f"catégorie {context.category}" if context.category else "catégorie indéterminée"
    agile = _yes_no(context.agile, "agile", "non agile")
    data = _yes_no(context.personal_data, "avec données personnelles", "sans données personnelles")
    return f"{category}, {agile}, {data}"


def finding_line(path: str, finding: Finding) -> "Text":
    from rich.text import Text

    line = Text(f"{path}:{finding.line}:1: ")
    line.append(finding.code, style=SEVERITY_STYLE[finding.severity] if finding.suppressed is None else "dim")
    line.append(f" {finding.message}", style="dim" if finding.suppressed is not None else "")
    if finding.suppressed is not None:
        reason = finding.suppressed.reason or "sans motif"
        line.append(f" [ignorée : {reason}]", style="dim")
    return line


def status_table(report: FileReport) -> list["Text"]:
    from rich.text import Text

    assert report.context is not None
    title = f"{report.path} — dossier de {plural(len(report.members), 'pièce')}, " if report.members is not None else f"{report.path} — "
    lines = [Text(title + context_line(report.context), style="bold")]
    for clause in report.clauses:
        label = status_label(clause)
        row = Text(f"  {clause.family:<{_FAMILY_WIDTH}}  ")
        row.append(f"{label:<{_STATUS_WIDTH}}", style=STATUS_STYLE[label])
        if clause.evidence_text and clause.status != "missing":
            place = where(clause.evidence_location)
            if clause.evidence_path:
                piece = clause.evidence_path.removeprefix(report.path.rstrip("/") + "/")
                place = f"{piece} › {place}"
            row.append(f"  « {excerpt(clause.evidence_text, 70)} » — {place}")
        lines.append(row)
    # rich keeps the padding spaces of a short last column: strip them for clean diffs.
    for line in lines:
        line.rstrip()
    return lines


def summary(report: LintReport) -> str:
    """« 3 fichiers, 5 erreurs, 2 avertissements, 1 information, 1 ignorée »."""
    parts = [
        plural(len(report.documents()), "fichier"),
        plural(report.count("error"), "erreur"),
        plural(report.count("warning"), "avertissement"),
        plural(report.count("info"), "information"),
        plural(report.suppressed_count(), "ignorée"),
    ]
    failed = len(report.failed_files())
    if failed:
        parts.append(plural(failed, "illisible"))
    if report.skipped:
        parts.append(plural(len(report.skipped), "non analysé"))
    dossiers = len(report.files) - len(report.documents())
    if dossiers:
        parts.insert(1, plural(dossiers, "dossier"))
    return ", ".join(parts)


def render_lines(report: LintReport) -> list["Text"]:
    from rich.text import Text

    lines: list[Text] = []
    for file in report.files:
        if file.error is not None:
            line = Text(f"{file.path}: ")
            line.append("erreur", style="bold red")
            line.append(f" : {file.error}")
            lines.append(line)
            continue
        lines.extend(finding_line(file.path, f) for f in file.findings)
    for skipped in report.skipped:
        lines.append(Text(f"{skipped.path}: non analysé : {skipped.reason}", style="dim"))
    for file in report.files:
        # A dossier's members are summed up by the dossier's own table.
        if file.error is None and file.context is not None and file.dossier is None:
            if lines:
                lines.append(Text(""))
            lines.extend(status_table(file))
    if lines:
        lines.append(Text(""))
    lines.append(Text(summary(report), style="bold"))
    return lines


def render(report: LintReport) -> str:
    """The report as plain text (what a file or a pipe receives)."""
    return "\n".join(line.plain for line in render_lines(report)) + "\n"
