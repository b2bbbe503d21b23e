"""Figures of a scan run (by rule, by firm), computed in one streaming pass over the stored entries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from clauselint.scan.analyse import kind_label

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
RULES = ("D301", "D302")

Entries = Callable[[], Iterator[dict[str, Any]]]


def summarise(digests: Entries, stats=None) -> dict[str, Any]:
    """Figures from the per-file digests (clauselint.scan.store.digest), one streaming pass."""
    files = errors = consultant = mention = insignia = with_findings = 0
    by_rule: Counter = Counter()
    by_severity: Counter = Counter()
    by_firm: dict[str, Counter] = {}
    for item in digests():
        files += 1
        if item.get("e"):
            errors += 1
            continue
        consultant += bool(item["c"])
        mention += bool(item["m"])
        insignia += bool(item["i"])
        with_findings += bool(item["f"])
        by_rule.update(code for code, _severity, _firms in item["f"])
        by_severity.update(severity for _code, severity, _firms in item["f"])
        for firm in item["firms"]:
            counter = by_firm.setdefault(firm, Counter())
            counter["files"] += 1
            hit = False
            for code, _severity, firms in item["f"]:
                if firm in firms:
                    counter[code] += 1
                    hit = True
            if not hit:
                counter["clean"] += 1
    summary: dict[str, Any] = {
        "files": files,
        "errors": errors,
        "consultant": consultant,
        "provenance_mention": mention,
        "insignia": insignia,
        "files_with_findings": with_findings,
        "findings": {code: by_rule.get(code, 0) for code in RULES},
        "by_severity": {level: by_severity.get(level, 0) for level in ("error", "warning", "info")},
        "by_firm": {firm: {"files": c["files"], **{code: c.get(code, 0) for code in RULES}, "clean": c.get("clean", 0)}
                    for firm, c in sorted(by_firm.items(), key=lambda kv: (-kv[1]["files"], kv[0]))},
    }
    if stats is not None:
        summary.update(analysed=stats.analysed, cached=stats.cached, skipped=dict(stats.skipped),
                       seconds=round(stats.seconds, 3), warnings=list(stats.warnings))
    return summary


def at_or_above(summary: dict[str, Any], level: str) -> int:
    """How many findings reach ``level`` (the exit code's test)."""
    if level == "none":
        return 0
    floor = SEVERITY_RANK[level]
    return sum(count for severity, count in summary["by_severity"].items() if SEVERITY_RANK[severity] >= floor)


def describe_signal(signal: dict[str, Any]) -> str:
    value = " ".join(str(signal.get("value", "")).split())
    if len(value) > 80:
        value = value[:79] + "…"
    if signal["kind"] == "insignia.image":
        d = signal.get("distance", {})
        return f"image {value} ≈ {signal.get('what')} ({signal.get('how')}, écart {d.get('phash')}/{d.get('dhash')})"
    if signal["kind"] == "insignia.text":
        return f"{signal.get('what')} : « {value} »"
    return f"{kind_label(signal['kind'], quoted=False)} : « {value} »"
