"""The CLI's start path: fast, French, no spaCy."""

from __future__ import annotations

import subprocess
import sys

from clauselint import __version__


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"clauselint {__version__}"


def test_help_is_french_and_lists_commands(cli):
    result = cli("--help")
    assert result.exit_code == 0
    assert "Commandes" in result.stdout
    assert "clauses" in result.stdout
    assert "Affiche cette aide et quitte." in result.stdout


def test_help_does_not_import_spacy():
    code = "import sys; from clauselint.cli.app import app; sys.argv=['clauselint','--help'];\n" \
           "try:\n    app()\nexcept SystemExit:\n    pass\nprint('spacy' in sys.modules, 'docxtpl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


def test_unknown_option_is_a_french_usage_error(cli):
    result = cli("clauses", "list", "--bogus")
    assert result.exit_code == 2
    assert "option inconnue : --bogus" in result.output


def test_missing_argument_is_a_french_usage_error(cli):
    result = cli("clauses", "show")
    assert result.exit_code == 2
    assert "argument manquant" in result.output
