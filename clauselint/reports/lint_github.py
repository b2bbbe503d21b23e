"""The `github` format of `clauselint lint`: GitHub Actions workflow commands (annotations on the files).

Escaping follows GitHub's runner: in the message ``%``, CR and LF are percent-encoded; in a
property value ``:`` and ``,`` are too.
"""

from __future__ import annotations

from clauselint.lint.findings import LintReport
from clauselint.reports.lint_text import summary

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def render(report: LintReport) -> str:
    lines = []
    for file in report.files:
        if file.error is not None:
            lines.append(_command("error", f"erreur : {file.error}", file=file.path, title="clauselint : fichier illisible"))
            continue
        for finding in file.findings:
            title = f"{finding.code} {finding.name}"
            if finding.suppressed is None:
                lines.append(_command(COMMAND[finding.severity], finding.message, file=file.path,
                                      line=finding.line, col=1, title=title))
            else:
                # Kept visible, at the lowest level, so that an accepted deviation stays on record.
                reason = finding.suppressed.reason or "sans motif"
                lines.append(_command("notice", f"ignorée ({reason}) : {finding.message}", file=file.path,
                                      line=finding.line, col=1, title=f"{title} (ignorée)"))
    for skipped in report.skipped:
        lines.append(_command("notice", f"non analysé : {skipped.reason}", file=skipped.path, title="clauselint : non analysé"))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
