"""Errors a user can fix: one French line naming the file, what is wrong and how to fix it."""

from __future__ import annotations

import re
from pathlib import Path

_BREAKS = re.compile(r"[ \t\r\n]+")


class ClauselintError(Exception):
    """An error caused by the user's input; the CLI prints it on one line and exits 2.

    ``where`` is a file (optionally ``file:line``) and ``message`` says, in French,
    what is wrong and how to fix it.
    """

    exit_code = 2

    def __init__(self, message: str, where: str | Path | None = None) -> None:
        self.message = message
        self.where = str(where) if where is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        # Fold line breaks only: no-break spaces are French typography (« 9 000 000 € »).
        text = _BREAKS.sub(" ", self.message).strip()
        return f"{self.where}: {text}" if self.where else text


class LibraryError(ClauselintError):
    """A clause file or a clause library is invalid."""


class SpecError(ClauselintError):
    """A tender spec is invalid."""


class PolicyError(ClauselintError):
    """A value the policy engine cannot classify (e.g. a code outside the circular's annex)."""


class DocumentError(ClauselintError):
    """A document cannot be read (corrupt, encrypted, too large, no text layer...)."""


class ConfigError(ClauselintError):
    """A configuration file is invalid."""
