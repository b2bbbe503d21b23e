"""scripts/build_dsfr.py: only the DSFR's compiled assets are extracted from the npm tarball, safely."""

from __future__ import annotations

import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_dsfr", ROOT / "scripts" / "build_dsfr.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tarball(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


REQUIRED = {
    "package/dist/dsfr.min.css": b".fr-btn{}",
    "package/dist/dsfr.module.min.js": b"",
    "package/dist/dsfr.nomodule.min.js": b"",
    "package/dist/utility/utility.min.css": b"",
    "package/LICENSE.md": b"Licence Ouverte",
    "package/doc/legal/cgu.md": b"Modalites",
}


def test_only_the_assets_are_extracted(build, tmp_path):
    tarball = _tarball(tmp_path / "dsfr.tgz", {
        **REQUIRED,
        "package/dist/fonts/Marianne-Regular.woff2": b"font",
        "package/dist/icons/system/check-line.svg": b"<svg/>",
        "package/src/dsfr/core.scss": b"// source",
        "package/example/index.html": b"<html>",
    })
    dest = tmp_path / "static" / "dsfr"
    count = build.extract(tarball, dest)
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == ["LICENSE.md", "VERSION", "cgu.md", "dsfr.min.css", "dsfr.module.min.js", "dsfr.nomodule.min.js",
                     "fonts/Marianne-Regular.woff2", "icons/system/check-line.svg", "utility/utility.min.css"]
    assert count == 8
    assert build.installed_version(dest) == f"@gouvfr/dsfr@{build.DSFR_VERSION}"


def test_a_member_escaping_the_folder_is_refused(build, tmp_path):
    tarball = _tarball(tmp_path / "dsfr.tgz", {**REQUIRED, "package/dist/fonts/../../../../evil.css": b"x"})
    dest = tmp_path / "dsfr"
    with pytest.raises(SystemExit, match="élément suspect"):
        build.extract(tarball, dest)
    assert not dest.exists() and not (tmp_path / "evil.css").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["dsfr.tgz"]  # the staging folder is gone too


def test_an_incomplete_package_is_refused(build, tmp_path):
    members = dict(REQUIRED)
    del members["package/dist/dsfr.min.css"]
    with pytest.raises(SystemExit, match="fichiers absents de @gouvfr/dsfr.*dsfr.min.css"):
        build.extract(_tarball(tmp_path / "dsfr.tgz", members), tmp_path / "dsfr")


def test_without_npm_the_build_says_so_and_succeeds(build, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    assert build.main(["--dest", str(tmp_path / "dsfr")]) == 0
    assert "npm absent ; l'interface web utilisera sa feuille de style de secours" in capsys.readouterr().out
    assert not (tmp_path / "dsfr").exists()
