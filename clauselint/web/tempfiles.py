"""Private temporary folders for uploaded documents: one root per user, one folder per process, one per request.

Uploaded documents are the administration's data. Each request works in its own ``mkdtemp``
folder (mode 0700) under this process's folder, which lives under a root owned by the user
running the server (mode 0700). A request's folder is removed as soon as its response is sent;
the process's folder when the server stops; on start-up, folders left by processes that no
longer run (a crash) are removed.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from clauselint.errors import ClauselintError

_PROCESS_DIR = re.compile(r"^p(\d+)-[0-9a-f]+$")


def default_root() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"clauselint-web-{uid}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


class TempRoot:
    """The app's temporary root and this process's folder in it."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self._prepare_root()
        self.process_dir = self.root / f"p{os.getpid()}-{secrets.token_hex(4)}"
        self.process_dir.mkdir(mode=0o700)

    def _prepare_root(self) -> None:
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(self.root)
        except OSError as exc:
            raise ClauselintError(f"dossier temporaire impossible à créer ({exc.strerror or exc}) ; "
                                  "choisissez-en un autre avec --dossier-temporaire", where=self.root) from None
        # Refuse a root someone else prepared (a symlink, another owner): uploads would leak to them.
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise ClauselintError("le dossier temporaire n'est pas un dossier ordinaire ; supprimez-le ou choisissez-en "
                                  "un autre avec --dossier-temporaire", where=self.root)
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise ClauselintError("le dossier temporaire appartient à un autre utilisateur ; choisissez-en un autre "
                                  "avec --dossier-temporaire", where=self.root)
        os.chmod(self.root, 0o700)

    def clean_leftovers(self) -> int:
        """Remove the folders of processes that no longer run (a crash left them); return how many."""
        removed = 0
        for child in self.root.iterdir():
            if child == self.process_dir:
                continue
            match = _PROCESS_DIR.match(child.name)
            if match and _pid_alive(int(match.group(1))):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
            removed += 1
        return removed

    def request_dir(self) -> Path:
        """A new private folder for one request (mode 0700, unguessable name)."""
        self.process_dir.mkdir(mode=0o700, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="r", dir=self.process_dir))

    def remove(self, folder: Path) -> None:
        folder = Path(folder)
        if folder.parent != self.process_dir:  # never remove anything outside this process's folder
            raise ValueError(f"not a request folder: {folder}")
        shutil.rmtree(folder, ignore_errors=True)

    def requests_in_progress(self) -> list[Path]:
        return sorted(self.process_dir.iterdir()) if self.process_dir.exists() else []

    def close(self) -> None:
        shutil.rmtree(self.process_dir, ignore_errors=True)
