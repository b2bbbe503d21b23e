"""Shared fixtures: the CLI runner, the built-in library, folders under the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def library():
    from clauselint.library import load_library

    return load_library()


@pytest.fixture()
def cli():
    """Run the CLI in-process; returns typer's Result (exit_code, stdout, stderr)."""
    from clauselint.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
