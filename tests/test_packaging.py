"""The wheel ships the clause library, the templates and the rule catalogue, and runs from them alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _source_files(folder: str) -> set[str]:
    base = ROOT / folder
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    import importlib.util

    assert importlib.util.find_spec("hatchling"), "hatchling manquant : pip install -e '.[dev]'"
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the build backend comes from the venv (dev extras), nothing is downloaded.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("clauselint-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def _run(unpacked: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(unpacked)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_wheel_contains_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "clauselint/_data/clauses/insignia.md" in names
    for folder in ("clauses", "templates"):
        shipped = {n.removeprefix(f"clauselint/_data/{folder}/") for n in names if n.startswith(f"clauselint/_data/{folder}/")}
        assert shipped, f"{folder}/ absent du wheel"
        assert _source_files(folder) <= shipped, f"fichiers de {folder}/ absents du wheel"
    catalog = {p.name for p in (ROOT / "clauselint" / "rules" / "catalog").glob("*.md")}
    assert {f"clauselint/rules/catalog/{name}" for name in catalog} <= names


@pytest.mark.slow
def test_installed_wheel_reads_its_own_clauses(unpacked, tmp_path):
    where = _run(unpacked, tmp_path, "-c", "import clauselint, clauselint.paths as p; print(clauselint.__file__); print(p.builtin_clauses_dir())")
    assert where.returncode == 0, where.stderr
    module_file, clauses_dir = (Path(line) for line in where.stdout.splitlines())
    assert module_file.is_relative_to(unpacked)
    assert clauses_dir == unpacked / "clauselint" / "_data" / "clauses"

    listed = _run(unpacked, tmp_path, "-m", "clauselint", "clauses", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    ids = [row["id"] for row in rows]
    assert "insignia" in ids
    assert sorted(ids) == sorted(p.stem for p in clauses_dir.glob("*.md"))
    assert all(row["origin"] == "intégrée" for row in rows)


@pytest.mark.slow
def test_installed_wheel_classifies_with_its_rule_catalogue(unpacked, tmp_path):
    result = _run(unpacked, tmp_path, "-m", "clauselint", "classify", "33.04.06", "--externalisation", "85 %", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["T403"]
