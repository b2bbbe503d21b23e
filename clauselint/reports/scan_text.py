"""The `text` format of `clauselint scan`: summary by rule and by firm, then one line per finding."""

from __future__ import annotations

from typing import Any, TextIO

from clauselint.scan.summary import Entries, describe_signal

RULE_NAMES = {"D301": "unmarked-consultant-authorship", "D302": "administration-insignia-misuse"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def write(entries: Entries, summary: dict[str, Any], out: TextIO, verbose: bool = False) -> None:
    head = f"{_plural(summary['files'], 'fichier')} analysé{'s' if summary['files'] > 1 else ''}"
    details = []
    if "cached" in summary:
        details.append(f"{summary['cached']} repris de la base")
    if summary["errors"]:
        details.append(f"{summary['errors']} en erreur")
    skipped = summary.get("skipped") or {}
    if skipped:
        listing = ", ".join(f"{kind} : {count}" for kind, count in sorted(skipped.items()))
        details.append(f"{sum(skipped.values())} ignoré{'s' if sum(skipped.values()) > 1 else ''} ({listing})")
    out.write(head + (f" ({' ; '.join(details)})" if details else "") + "\n")
    out.write(f"Attribuables à un cabinet : {summary['consultant']} · avec mention de provenance : "
              f"{summary['provenance_mention']} · avec signes de l'administration : {summary['insignia']}\n")
    out.write("\nPar règle :\n")
    for code, count in summary["findings"].items():
        out.write(f"  {code} {RULE_NAMES.get(code, ''):<32} {count}\n")
    if summary["by_firm"]:
        out.write("\nPar cabinet :\n")
        width = max(len(f) for f in summary["by_firm"])
        for firm, counts in summary["by_firm"].items():
            out.write(f"  {firm:<{width}}  {_plural(counts['files'], 'fichier'):<12} D301 {counts['D301']}  D302 {counts['D302']}\n")
    findings_seen = False
    for entry in entries():
        if entry.get("error"):
            if not findings_seen:
                out.write("\nConstats :\n")
                findings_seen = True
            out.write(f"{entry['path']}: erreur : {entry['error']}\n")
            continue
        for finding in entry["findings"]:
            if not findings_seen:
                out.write("\nConstats :\n")
                findings_seen = True
            out.write(f"{entry['path']}: {finding['code']} {finding['message']}\n")
            shown = finding.get("signals", [])
            for signal in shown if verbose else shown[:3]:
                out.write(f"    {describe_signal(signal)}\n")
            if not verbose and len(shown) > 3:
                out.write(f"    … et {len(shown) - 3} autre(s) signal(s) (--format json pour tout voir)\n")
    if not findings_seen:
        out.write("\nAucun constat.\n")
    for warning in summary.get("warnings", []):
        out.write(f"attention : {warning}\n")
