"""Options and helpers shared by the commands (no heavy imports here: this is the CLI's start path)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from clauselint.library import Library

LibraryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--library",
        "-L",
        help="Dossier de clauses d'un ministère, ajouté à la bibliothèque intégrée (répétable) ; "
        "une clause de même id remplace la clause intégrée.",
        show_default=False,
    ),
]

FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Format de sortie : text ou json."),
]


def console(stderr: bool = False) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def load_library(extra: list[Path] | None) -> "Library":
    """The built-in library plus the configured and the given user libraries, in that order."""
    from clauselint.config import find_config
    from clauselint.library import load_library as _load

    config = find_config()
    folders = [*config.paths("library"), *(extra or [])]
    return _load(folders)


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    from clauselint.errors import ClauselintError

    if value not in allowed:
        raise ClauselintError(f"format « {value} » inconnu ; formats possibles : {', '.join(allowed)}")
    return value


def is_terminal() -> bool:
    return sys.stdout.isatty()


def parse_category(value: object, where: object, option: str) -> int | None:
    """A category 1, 2 or 3 from an option (``where`` None) or a configuration file (``where`` its path)."""
    from clauselint.errors import ClauselintError, ConfigError

    if value is None:
        return None
    if isinstance(value, bool) or str(value).strip() not in {"1", "2", "3"}:
        message = f"{option} : catégorie « {value} » inconnue ; la circulaire en définit trois : 1, 2 ou 3"
        raise ConfigError(message, where=where) if where else ClauselintError(message)
    return int(str(value).strip())
