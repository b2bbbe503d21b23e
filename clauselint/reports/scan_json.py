"""The `json` format of `clauselint scan` (contract version 1, documented in docs/scan.md), streamed."""

from __future__ import annotations

import json
from typing import Any, TextIO

from clauselint.scan.summary import Entries

VERSION = 1


def write(entries: Entries, summary: dict[str, Any], out: TextIO, raw: Entries | None = None) -> None:
    """``raw`` yields each entry already as JSON text (the store keeps it so): nothing is re-parsed."""
    out.write('{"version": %d, "files": [' % VERSION)
    first = True
    for text in raw() if raw is not None else (json.dumps(e, ensure_ascii=False) for e in entries()):
        out.write("\n  " if first else ",\n  ")
        out.write(text)
        first = False
    out.write('\n], "summary": ')
    out.write(json.dumps(summary, ensure_ascii=False))
    out.write("}\n")
