"""The `sarif` format of `clauselint lint`: SARIF 2.1.0, for code-scanning dashboards and editors.

Rules come from the catalogue (clauselint/rules/catalog/); a suppressed finding is a result with
an ``inSource`` suppression carrying the motive; a file that could not be read is a tool
execution notification.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from clauselint import __version__
from clauselint.lint.findings import FileReport, Finding, LintReport, lint_codes, where

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = "docs/rules.md"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def anchor(code: str, name: str) -> str:
    """The GitHub anchor of a rule's heading in docs/rules.md (« ## C101 `missing-insignia` »)."""
    return f"{code.lower()}-{name}"


def _descriptors() -> list[dict[str, Any]]:
    from clauselint.rules.registry import all_rules

    catalogue = all_rules()
    out = []
    for code, (name, _family) in lint_codes().items():
        rule = catalogue.get(code)
        if rule is None:  # the catalogue meta-test keeps this from happening in a release
            continue
        out.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": " ".join(rule.sections["Ce que vérifie la règle"].split())},
                "help": {"text": rule.doc(), "markdown": rule.doc()},
                "helpUri": f"{RULES_DOC}#{anchor(code, rule.name)}",
                "defaultConfiguration": {"level": LEVEL[rule.severity]},
            }
        )
    return out


def _uri(path: str, base: Path) -> tuple[str, str | None]:
    """A relative URI against %SRCROOT% (the current folder) when the file is under it."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return quote(candidate.as_posix()), "SRCROOT"
    try:
        return quote(candidate.resolve().relative_to(base).as_posix()), "SRCROOT"
    except ValueError:
        return candidate.resolve().as_uri(), None


def _artifact(path: str, base: Path) -> dict[str, Any]:
    uri, base_id = _uri(path, base)
    location: dict[str, Any] = {"uri": uri}
    if base_id:
        location["uriBaseId"] = base_id
    return location


def _result(file: FileReport, item: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": item.line, "startColumn": 1}
    physical = {"artifactLocation": _artifact(file.path, base), "region": region}
    loc: dict[str, Any] = {"physicalLocation": physical}
    if item.location is not None and item.location.section:
        loc["logicalLocations"] = [{"name": item.location.section, "fullyQualifiedName": item.location.section}]
    result: dict[str, Any] = {
        "ruleId": item.code,
        "level": LEVEL[item.severity],
        "message": {"text": item.message},
        "locations": [loc],
        "properties": {"family": item.family, "where": where(item.location)},
    }
    if item.code in index:
        result["ruleIndex"] = index[item.code]
    if item.suppressed is not None:
        result["suppressions"] = [
            {"kind": "inSource", "justification": item.suppressed.reason or "sans motif"}
        ]
    return result


def as_data(report: LintReport, base: Path | None = None) -> dict[str, Any]:
    base = (base or Path.cwd()).resolve()
    rules = _descriptors()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    notifications = []
    for file in report.files:
        if file.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{file.path}: erreur : {file.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": _artifact(file.path, base)}}],
                }
            )
            continue
        results.extend(_result(file, f, index, base) for f in file.findings)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "clauselint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": base.as_uri().rstrip("/") + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not report.failed_files(),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(report: LintReport, base: Path | None = None) -> str:
    return json.dumps(as_data(report, base), ensure_ascii=False, indent=2) + "\n"
