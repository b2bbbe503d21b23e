"""The web server's settings: upload limits, temporary root, clause libraries, from options and configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clauselint.documents.limits import MB

DEFAULT_MAX_MEGABYTES = 20.0
DEFAULT_MAX_FILES = 50
CONFIG_SECTION = "serve"  # [tool.clauselint.serve] in pyproject.toml, [serve] in clauselint.toml
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_DSFR_DIR = STATIC_DIR / "dsfr"


@dataclass(frozen=True)
class WebSettings:
    """What every request of one server process is allowed and where it works."""

    max_file_bytes: int = int(DEFAULT_MAX_MEGABYTES * MB)
    max_files: int = DEFAULT_MAX_FILES
    temp_root: Path | None = None  # default: <system temp>/clauselint-web-<uid>
    library_folders: tuple[Path, ...] = ()
    dsfr_dir: Path = DEFAULT_DSFR_DIR
    a_priori_threshold: Any = None  # the ministry's threshold from the configuration, prefilled in the form
    warm_up: bool = True  # load the linter when the server starts rather than on the first review

    @property
    def max_request_bytes(self) -> int:
        """A whole upload: every file at its maximum, plus room for the form's other fields."""
        return self.max_file_bytes * self.max_files + 1 * MB

    @property
    def dsfr_available(self) -> bool:
        return (self.dsfr_dir / "dsfr.min.css").is_file()


SETTINGS_ENV = "CLAUSELINT_WEB_SETTINGS"  # hands the settings to uvicorn's worker processes (--workers)


def to_environment(settings: WebSettings) -> str:
    import json

    return json.dumps({
        "max_file_bytes": settings.max_file_bytes, "max_files": settings.max_files,
        "temp_root": str(settings.temp_root) if settings.temp_root else None,
        "library_folders": [str(p) for p in settings.library_folders], "dsfr_dir": str(settings.dsfr_dir),
        "a_priori_threshold": str(settings.a_priori_threshold) if settings.a_priori_threshold is not None else None,
        "warm_up": settings.warm_up,
    })


def from_environment(text: str) -> WebSettings:
    import json
    from decimal import Decimal

    data = json.loads(text)
    return WebSettings(
        max_file_bytes=int(data["max_file_bytes"]), max_files=int(data["max_files"]),
        temp_root=Path(data["temp_root"]) if data["temp_root"] else None,
        library_folders=tuple(Path(p) for p in data["library_folders"]), dsfr_dir=Path(data["dsfr_dir"]),
        a_priori_threshold=Decimal(data["a_priori_threshold"]) if data["a_priori_threshold"] else None,
        warm_up=bool(data["warm_up"]),
    )


def _number(value: Any, key: str, where: Any, integer: bool) -> float:
    from clauselint.errors import ConfigError

    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0 or (integer and str(value).strip() != str(number)):
        example = "max-fichiers = 20" if integer else "max-taille = 20"
        raise ConfigError(f"« {CONFIG_SECTION}.{key} » : « {value} » ? indiquez un nombre positif (ex. {example})",
                          where=where)
    return number


def load_settings(
    max_megabytes: float | None = None,
    max_files: int | None = None,
    library: list[Path] | None = None,
    temp_root: Path | None = None,
    warm_up: bool = True,
    start: Path | None = None,
) -> WebSettings:
    """Options win over ``[tool.clauselint.serve]`` (or ``[serve]`` of clauselint.toml), which win over defaults."""
    from clauselint.config import find_config
    from clauselint.errors import ClauselintError, ConfigError
    from clauselint.policy import configured_a_priori_threshold

    config = find_config(start)
    section = config.get(CONFIG_SECTION) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"« {CONFIG_SECTION} » doit être une section (ex. [tool.clauselint.serve])", where=config.path)
    if max_megabytes is not None and max_megabytes <= 0:
        raise ClauselintError(f"--max-taille : « {max_megabytes} » Mo ? indiquez une taille positive (ex. --max-taille 20)")
    if max_files is not None and max_files < 1:
        raise ClauselintError(f"--max-fichiers : « {max_files} » ? indiquez un nombre positif (ex. --max-fichiers 20)")
    megabytes = max_megabytes if max_megabytes is not None else (
        _number(section["max-taille"], "max-taille", config.path, False) if "max-taille" in section
        else DEFAULT_MAX_MEGABYTES)
    files = max_files if max_files is not None else (
        int(_number(section["max-fichiers"], "max-fichiers", config.path, True)) if "max-fichiers" in section
        else DEFAULT_MAX_FILES)
    threshold = configured_a_priori_threshold(config)
    return WebSettings(
        max_file_bytes=int(megabytes * MB),
        max_files=int(files),
        temp_root=temp_root,
        library_folders=tuple([*config.paths("library"), *(library or [])]),
        a_priori_threshold=threshold,
        warm_up=warm_up,
    )
