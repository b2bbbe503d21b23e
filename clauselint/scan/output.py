"""Streamed atomic output: the report is written to a temporary file beside the target, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from clauselint.errors import ClauselintError


@contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only once everything is written."""
    path = Path(path)
    if path.is_dir():
        raise ClauselintError("c'est un dossier ; donnez un nom de fichier à --output", where=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ClauselintError(f"écriture impossible ({exc.strerror or exc}) ; choisissez un autre chemin", where=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
