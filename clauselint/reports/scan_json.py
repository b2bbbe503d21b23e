"""The `json` format of `clauselint scan` (contract version 1, documented in docs/scan.md), streamed."""

from __future__ import annotations

import json
from typing import Any, TextIO

from clauselint.scan.summary import Entries

VERSION = 1


def write(entries: Entries, summary: dict[str, Any], out: TextIO) -> None:
    out.write('{"version": %d, "files": [' % VERSION)
    first = True
    for entry in entries():
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(entry, ensure_ascii=False))
        first = False
    out.write('\n], "summary": ')
    out.write(json.dumps(summary, ensure_ascii=False))
    out.write("}\n")
