"""Install the State design system (DSFR) assets the web interface serves, at build time, from npm.

    python scripts/build_dsfr.py [--dest clauselint/web/static/dsfr] [--force]

Runs ``npm pack @gouvfr/dsfr@VERSION`` (npm checks the package's integrity against the registry)
and extracts only what the pages use: the compiled CSS and JS, the utility (icon) CSS, the icons,
the fonts and the favicons, plus the licence and terms of use. The folder is git-ignored: the
Marianne font and logo are reserved for State sites and are never committed. Without npm the
script says so and exits 0: ``clauselint serve`` then uses its own fallback stylesheet.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

DSFR_VERSION = "1.15.3"
PACKAGE = "@gouvfr/dsfr"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "clauselint" / "web" / "static" / "dsfr"
STAMP = "VERSION"
MAX_MEMBER_BYTES = 5 * 1024 * 1024

# Paths inside the npm tarball (under "package/") → where they go in the destination.
FILES = {
    "dist/dsfr.min.css": "dsfr.min.css",
    "dist/dsfr.module.min.js": "dsfr.module.min.js",
    "dist/dsfr.nomodule.min.js": "dsfr.nomodule.min.js",
    "dist/utility/utility.min.css": "utility/utility.min.css",
    "LICENSE.md": "LICENSE.md",
    "doc/legal/cgu.md": "cgu.md",
}
# Folders copied whole; the CSS refers to them relatively (fonts/…, icons/…, ../icons/…).
FOLDERS = {"dist/fonts/": "fonts/", "dist/icons/": "icons/", "dist/favicon/": "favicon/"}


def _target(member: str) -> str | None:
    if not member.startswith("package/"):
        return None
    inner = member[len("package/"):]
    if inner in FILES:
        return FILES[inner]
    for prefix, out in FOLDERS.items():
        if inner.startswith(prefix) and len(inner) > len(prefix):
            return out + inner[len(prefix):]
    return None


def _safe(relative: str) -> bool:
    parts = PurePosixPath(relative).parts
    return bool(parts) and not PurePosixPath(relative).is_absolute() and ".." not in parts


def extract(tarball: Path, dest: Path) -> int:
    """Extract the selected members into a staging folder, then swap it into ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dsfr-", dir=dest.parent))
    count = 0
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            for member in archive.getmembers():
                relative = _target(member.name)
                if relative is None or not member.isfile():
                    continue
                if not _safe(relative) or member.size > MAX_MEMBER_BYTES:
                    raise SystemExit(f"build_dsfr: élément suspect dans l'archive npm : {member.name}")
                source = archive.extractfile(member)
                if source is None:
                    continue
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
                count += 1
        missing = [name for name in FILES.values() if not (staging / name).is_file()]
        if missing:
            raise SystemExit(f"build_dsfr: fichiers absents de {PACKAGE}@{DSFR_VERSION} : {', '.join(missing)}")
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        (staging / STAMP).write_text(f"{PACKAGE}@{DSFR_VERSION}\nsha256 {digest}\n", encoding="utf-8")
        staging.chmod(0o755)
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def installed_version(dest: Path) -> str | None:
    stamp = dest / STAMP
    if not stamp.is_file():
        return None
    return stamp.read_text(encoding="utf-8").splitlines()[0].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--force", action="store_true", help="reinstall even when the version is already there")
    args = parser.parse_args(argv)
    wanted = f"{PACKAGE}@{DSFR_VERSION}"
    if not args.force and installed_version(args.dest) == wanted:
        print(f"DSFR : {wanted} déjà installé dans {args.dest}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("DSFR : npm absent ; l'interface web utilisera sa feuille de style de secours "
              "(installez npm puis relancez « make install » pour le système de design de l'État)")
        return 0
    with tempfile.TemporaryDirectory(prefix="clauselint-dsfr-") as tmp:
        result = subprocess.run([npm, "pack", wanted, "--silent"], cwd=tmp, capture_output=True, text=True)
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            print(f"DSFR : échec de « npm pack {wanted} » ({result.stderr.strip()[-300:]}) ; "
                  "l'interface web utilisera sa feuille de style de secours", file=sys.stderr)
            return 0
        count = extract(tarballs[0], args.dest)
    print(f"DSFR : {wanted} installé dans {args.dest} ({count} fichiers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
