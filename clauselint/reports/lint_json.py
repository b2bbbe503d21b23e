"""The `json` format of `clauselint lint`: a stable contract (docs/lint-json.md, docs/schemas/lint-report.schema.json).

Version 1. Adding a key is a compatible change; renaming or removing one bumps ``version``.
"""

from __future__ import annotations

import json
from typing import Any

from clauselint.documents.model import Location
from clauselint.lint.findings import FileReport, Finding, LintReport, Suppression

VERSION = 1


def location(value: Location | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"page": value.page, "paragraph": value.paragraph, "section": value.section, "line": value.line}


def _suppression(value: Suppression | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "reason": value.reason,
        "targets": list(value.targets),
        "source": value.source,
        "marker": value.marker,
        "location": location(value.location),
    }


def finding(value: Finding) -> dict[str, Any]:
    return {
        "code": value.code,
        "name": value.name,
        "family": value.family,
        "severity": value.severity,
        "message": value.message,
        "location": location(value.location),
        "suppressed": _suppression(value.suppressed),
    }


def file_entry(value: FileReport) -> dict[str, Any]:
    context = None
    if value.context is not None:
        context = {
            "category": value.context.category,
            "agile": value.context.agile,
            "personal_data": value.context.personal_data,
            "sources": value.context.sources,
        }
    return {
        "path": value.path,
        "error": value.error,
        "context": context,
        "clauses": [
            {
                "family": c.family,
                "status": c.status,
                "required": c.required,
                "confidence": c.confidence,
                "evidence": None
                if c.evidence_text is None
                else {"text": c.evidence_text, "location": location(c.evidence_location), "path": c.evidence_path},
            }
            for c in value.clauses
        ],
        "findings": [finding(f) for f in value.findings],
        "dossier": value.dossier,
        "members": value.members,
    }


def as_data(report: LintReport) -> dict[str, Any]:
    return {"version": VERSION, "files": [file_entry(f) for f in report.files]}


def render(report: LintReport) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
