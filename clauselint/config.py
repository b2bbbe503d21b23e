"""Project configuration: ``clauselint.toml`` or ``[tool.clauselint]`` in ``pyproject.toml``, found upward."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clauselint.errors import ConfigError

CONFIG_NAMES = ("clauselint.toml", "pyproject.toml")


@dataclass
class Config:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def paths(self, key: str) -> list[Path]:
        """A list of paths, relative to the configuration file."""
        raw = self.values.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise ConfigError(f"« {key} » doit être une liste de chemins (ex. {key} = [\"ma-bibliotheque\"])", where=self.path)
        return [(self.base / p).resolve() for p in raw]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"TOML invalide ({exc}) ; corrigez la syntaxe", where=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"lecture impossible ({exc})", where=path) from None
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("clauselint")
        return section if isinstance(section, dict) else None
    return data.get("tool", {}).get("clauselint", data)


def find_config(start: Path | None = None) -> Config:
    """The nearest configuration from ``start`` (default: the current folder) up to the root."""
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                values = _read(candidate)
                if values is not None:
                    return Config(path=candidate, values=values)
    return Config()
