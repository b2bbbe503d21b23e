"""Atomic file writes: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from clauselint.errors import ClauselintError


def refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise ClauselintError(
            "le fichier existe déjà ; relancez avec --force pour le remplacer, "
            "ou choisissez un autre nom avec -o",
            where=path,
        )


@contextmanager
def open_atomic(path: Path, mode: str = "w") -> Iterator[IO]:
    """A handle on a temporary file beside ``path``, renamed over it once everything is written.

    ``mode`` is "w" (UTF-8 text) or "wb". On any error the temporary file is removed and
    ``path`` is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise ClauselintError("c'est un dossier ; donnez un nom de fichier", where=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ClauselintError(f"écriture impossible ({exc.strerror or exc}) ; choisissez un autre chemin", where=path) from None
    try:
        text = "b" not in mode
        with os.fdopen(fd, "w" if text else "wb", **({"encoding": "utf-8", "newline": ""} if text else {})) as handle:
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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, then rename it over ``path``."""
    with open_atomic(path, "wb") as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
