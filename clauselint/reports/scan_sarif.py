"""The `sarif` format of `clauselint scan`: SARIF 2.1.0 like the linter's, one result per finding;
a file that could not be read is a tool execution notification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from clauselint import __version__
from clauselint.scan.summary import Entries

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = "docs/rules.md"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
CODES = ("D301", "D302")


def _rules() -> list[dict[str, Any]]:
    from clauselint.rules.registry import get_rule

    out = []
    for code in CODES:
        rule = get_rule(code)
        out.append({
            "id": code, "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": " ".join(rule.sections["Ce que vérifie la règle"].split())},
            "help": {"text": rule.doc(), "markdown": rule.doc()},
            "helpUri": f"{RULES_DOC}#{code.lower()}-{rule.name}",
            "defaultConfiguration": {"level": LEVEL[rule.severity]},
        })
    return out


def _artifact(path: str, base: Path) -> dict[str, Any]:
    candidate = Path(path)
    if not candidate.is_absolute():
        return {"uri": quote(candidate.as_posix()), "uriBaseId": "SRCROOT"}
    try:
        return {"uri": quote(candidate.resolve().relative_to(base).as_posix()), "uriBaseId": "SRCROOT"}
    except ValueError:
        return {"uri": candidate.resolve().as_uri()}


def write(entries: Entries, summary: dict[str, Any], out: TextIO, base: Path | None = None) -> None:
    base = (base or Path.cwd()).resolve()
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    notifications = []
    head = {
        "$schema": SCHEMA_URI, "version": "2.1.0",
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1])
    out.write(', "runs": [{"tool": ')
    out.write(json.dumps({"driver": {"name": "clauselint", "version": __version__, "semanticVersion": __version__,
                                     "rules": rules}}, ensure_ascii=False))
    out.write(', "originalUriBaseIds": ')
    out.write(json.dumps({"SRCROOT": {"uri": base.as_uri().rstrip("/") + "/"}}))
    out.write(', "columnKind": "unicodeCodePoints", "results": [')
    first = True
    for entry in entries():
        if entry.get("error"):
            notifications.append({
                "level": "error", "message": {"text": f"{entry['path']}: erreur : {entry['error']}"},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(entry["path"], base)}}],
            })
            continue
        for finding in entry["findings"]:
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": _artifact(entry["path"], base)}}
            zone = finding.get("location", {}).get("zone")
            if zone:
                location["logicalLocations"] = [{"name": zone, "kind": "member"}]
            result = {
                "ruleId": finding["code"], "ruleIndex": index[finding["code"]], "level": LEVEL[finding["severity"]],
                "message": {"text": finding["message"]}, "locations": [location],
                "properties": {"firms": finding.get("firms", []), "signals": finding.get("signals", [])},
            }
            out.write("\n  " if first else ",\n  ")
            out.write(json.dumps(result, ensure_ascii=False))
            first = False
    out.write('\n], "invocations": ')
    out.write(json.dumps([{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
                         ensure_ascii=False))
    out.write("}]}\n")
