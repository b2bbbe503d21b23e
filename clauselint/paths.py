"""Where the built-in data (clause library, templates) lives, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # In a wheel the data is shipped as clauselint/_data/<name> (see pyproject's
    # force-include); in a source checkout or an editable install it sits at the
    # repository's top level, next to the package.
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


@cache
def builtin_clauses_dir() -> Path:
    return _data_dir("clauses")


@cache
def builtin_templates_dir() -> Path:
    return _data_dir("templates")
