"""The `csv` format of `clauselint scan`: one row per file, French headers, `;`-free values joined by ` | `."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from clauselint.scan.summary import Entries, describe_signal

HEADERS = ["chemin", "erreur", "cabinet", "cabinets", "signaux_cabinet", "mention", "preuve_mention",
           "signes_administration", "signaux_signes", "constats", "messages"]


def _join(items) -> str:
    return " | ".join(" ".join(str(i).split()) for i in items)


def write(entries: Entries, summary: dict[str, Any], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    for e in entries():
        evidence = e["provenance_mention"]["evidence"]
        writer.writerow([
            e["path"], e.get("error") or "",
            "oui" if e["authorship"]["consultant"] else "non", _join(e["authorship"]["firms"]),
            _join(describe_signal(s) for s in e["authorship"]["signals"]),
            "oui" if e["provenance_mention"]["present"] else "non", evidence["text"] if evidence else "",
            "oui" if e["insignia"]["present"] else "non", _join(describe_signal(s) for s in e["insignia"]["signals"]),
            _join(f["code"] for f in e["findings"]), _join(f["message"] for f in e["findings"]),
        ])
