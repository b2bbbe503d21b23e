"""Turn the command line's files, folders and globs into the list of documents to scan."""

from __future__ import annotations

import glob
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from clauselint.errors import ClauselintError

SCANNED = (".docx", ".docm", ".pptx", ".pptm", ".pdf", ".odt", ".ott", ".txt", ".md", ".markdown", ".html", ".htm")
_GLOB_CHARS = set("*?[")


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # extension → count of files not scanned
    warnings: list[str] = field(default_factory=list)  # French, one line each


def _kind(path: Path) -> str | None:
    if path.name.startswith("~$") or path.name.startswith(".~lock."):
        return "fichiers de verrouillage"
    suffix = path.suffix.lower()
    return None if suffix in SCANNED else (suffix or "sans extension")


def _walk(root: Path, found: Inputs, seen_files: set[str]) -> None:
    # Symbolic links are followed, but each real folder is entered once: a link loop ends.
    visited: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        found.warnings.append(f"{exc.filename}: dossier illisible ({exc.strerror or exc}) : ignoré")

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=on_error):
        try:
            info = os.stat(folder)
        except OSError as exc:
            on_error(exc)
            dirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in visited:
            found.warnings.append(f"{folder}: boucle de liens symboliques : dossier déjà parcouru, ignoré")
            dirs[:] = []
            continue
        visited.add(key)
        # Hidden folders (.git, .clauselint…) hold no deliverable.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            _add(Path(folder) / name, found, seen_files, explicit=False)


def _add(path: Path, found: Inputs, seen_files: set[str], explicit: bool) -> None:
    kind = _kind(path)
    if kind is not None:
        if explicit or not path.name.startswith("."):
            found.skipped[kind] += 1
        return
    if not explicit and path.name.startswith("."):
        return
    # Folders are entered once each (see _walk), so only a given path or a linked file can
    # repeat a file already listed; resolving every path would cost a syscall per component.
    try:
        real = os.path.realpath(path) if explicit or os.path.islink(path) else os.path.abspath(path)
    except OSError:
        real = str(path)
    if real in seen_files:
        return
    seen_files.add(real)
    found.files.append(path)


def expand(arguments: list[str]) -> Inputs:
    """Files as given, folders recursively, globs (``**`` too); unknown formats are counted, not read."""
    found = Inputs()
    seen: set[str] = set()
    if not arguments:
        raise ClauselintError("indiquez au moins un fichier ou un dossier (ex. clauselint scan livrables/)")
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            _walk(path, found, seen)
        elif path.exists() or path.is_symlink():
            _add(path, found, seen, explicit=True)
        elif _GLOB_CHARS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                raise ClauselintError("aucun fichier ne correspond à ce motif ; vérifiez-le (entre guillemets "
                                      "pour que clauselint l'interprète : \"livrables/**/*.docx\")", where=argument)
            for match in matches:
                candidate = Path(match)
                if candidate.is_dir():
                    _walk(candidate, found, seen)
                else:
                    _add(candidate, found, seen, explicit=True)
        else:
            raise ClauselintError("fichier ou dossier introuvable ; vérifiez le chemin", where=argument)
    return found
