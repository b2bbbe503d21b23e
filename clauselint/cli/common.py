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

def context_options(default: str) -> tuple[object, object, object]:
    """The contract-context options of `lint` and `fix` (category, agile, personal data), with how
    each command finds the value when the option is absent (`default`, in French)."""
    category = Annotated[
        str | None,
        typer.Option("--categorie", "-c", help=f"Catégorie de la prestation (1, 2 ou 3) ; défaut : {default}.",
                     show_default=False),
    ]
    agile = Annotated[
        bool | None,
        typer.Option("--agile/--non-agile", help=f"Marché exécuté en méthode agile ou non ; défaut : {default}.",
                     show_default=False),
    ]
    personal_data = Annotated[
        bool | None,
        typer.Option("--donnees-personnelles/--sans-donnees-personnelles",
                     help=f"Le marché porte ou non sur des données personnelles ; défaut : {default}.",
                     show_default=False),
    ]
    return category, agile, personal_data


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
