"""`clauselint scan` on the labelled deliverables corpus: exact findings, cache, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "deliverables"
FILES = CORPUS / "files"
TEST_HASHES = CORPUS / "test_insignia_hashes.yaml"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def _scan_json(cli, tmp_path: Path, folder: Path, *extra: str):
    out = tmp_path / "scan.json"
    result = cli("scan", folder, "--empreintes", TEST_HASHES, "--db", tmp_path / "scan.db", "-j", "1",
                 "-f", "json", "-o", out, *extra)
    return result, json.loads(out.read_text(encoding="utf-8"))


def _check_against_expected(data: dict) -> None:
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert sorted(by_name) == sorted(EXPECTED["files"])
    for name, want in EXPECTED["files"].items():
        got = by_name[name]
        assert bool(got["error"]) == want.get("error", False), name
        assert got["authorship"]["firms"] == want["firms"], name
        assert got["authorship"]["consultant"] == bool(want["firms"]), name
        assert got["provenance_mention"]["present"] == want["mention"], name
        assert got["insignia"]["present"] == want["insignia"], name
        assert [f["code"] for f in got["findings"]] == want["findings"], name
    for name, kinds in EXPECTED["signals"].items():
        got = {s["kind"] for s in by_name[name]["authorship"]["signals"]}
        assert set(kinds) <= got, (name, got)


@pytest.fixture(scope="module")
def corpus_scan(tmp_path_factory):
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    tmp = tmp_path_factory.mktemp("scan")
    runner = CliRunner()
    out = tmp / "scan.json"
    args = ["scan", str(FILES), "--empreintes", str(TEST_HASHES), "--db", str(tmp / "scan.db"), "-j", "1",
            "-f", "json", "-o", str(out)]
    first = runner.invoke(app, args, catch_exceptions=False)
    data = json.loads(out.read_text(encoding="utf-8"))
    return tmp, first, data


def test_corpus_gives_exactly_the_expected_findings(corpus_scan):
    _tmp, first, data = corpus_scan
    assert first.exit_code == 1  # D301/D302 are errors
    assert data["version"] == 1
    _check_against_expected(data)
    assert data["summary"]["skipped"] == EXPECTED["skipped"]
    assert data["summary"]["findings"] == {"D301": 8, "D302": 5}
    assert data["summary"]["errors"] == 1


def test_json_contract_fields(corpus_scan):
    _tmp, _first, data = corpus_scan
    entry = next(f for f in data["files"] if f["path"].endswith("rapport-etape-metadonnees.docx"))
    assert entry["error"] is None
    assert entry["authorship"] == {
        "consultant": True, "firms": ["Wavestone"],
        "signals": [{"kind": "metadata.company", "value": "Wavestone", "firm": "Wavestone", "location": {"zone": "metadata"}}],
    }
    assert entry["provenance_mention"] == {"present": False, "evidence": None, "missing": ["Wavestone"]}
    assert entry["insignia"] == {"present": False, "signals": []}
    [finding] = entry["findings"]
    assert finding["code"] == "D301" and finding["name"] == "unmarked-consultant-authorship"
    assert finding["severity"] == "error"
    assert finding["message"] == (
        "document attribuable à Wavestone (métadonnée « company ») sans mention explicite de l'intervention "
        "du prestataire sur la page de garde, en en-tête ou en pied de page")
    assert finding["location"] == {"zone": "metadata"}
    mention = next(f for f in data["files"] if f["path"].endswith("etude-opportunite-mention.docx"))
    assert mention["provenance_mention"]["evidence"]["text"] == "Document réalisé par Deloitte pour le compte de la DINUM"
    assert mention["provenance_mention"]["evidence"]["firms"] == ["Deloitte"]


def test_rescan_reuses_every_result(corpus_scan, cli):
    tmp, _first, data = corpus_scan
    out = tmp / "again.json"
    result = cli("scan", FILES, "--empreintes", TEST_HASHES, "--db", tmp / "scan.db", "-j", "1", "-f", "json", "-o", out)
    again = json.loads(out.read_text(encoding="utf-8"))
    assert result.exit_code == 1
    assert again["summary"]["cached"] == 17 and again["summary"]["analysed"] == 0
    assert again["files"] == data["files"]


def test_another_firm_list_is_another_rule_set(corpus_scan, cli):
    tmp, _first, _data = corpus_scan
    out = tmp / "firm.json"
    cli("scan", FILES / "rapport-etape-metadonnees.docx", "--firm", "Dupont Conseil", "--empreintes", TEST_HASHES,
        "--db", tmp / "scan.db", "-f", "json", "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["cached"] == 0 and data["summary"]["analysed"] == 1


def test_text_report_summary_then_findings(cli, tmp_path):
    result = cli("scan", FILES / "rapport-etape-metadonnees.docx", FILES / "note-fiscale-cgi.md",
                 FILES / "tableau-suivi.xlsx", "--db", tmp_path / "s.db")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "2 fichiers analysés (0 repris de la base ; 1 ignoré (.xlsx : 1))"
    assert lines[1] == "Attribuables à un cabinet : 1 · avec mention de provenance : 0 · avec signes de l'administration : 0"
    assert "  D301 unmarked-consultant-authorship   1" in lines
    assert "  Wavestone  1 fichier    D301 1  D302 0" in lines
    finding = next(line for line in lines if ": D301 " in line)
    assert finding.startswith(f"{FILES / 'rapport-etape-metadonnees.docx'}: D301 document attribuable à Wavestone")
    assert "    métadonnée company : « Wavestone »" in lines


def test_fail_level_none_and_clean_exit(cli, tmp_path):
    dirty = cli("scan", FILES / "benchmark-ey.docx", "--db", tmp_path / "s.db", "--fail-level", "none")
    assert dirty.exit_code == 0
    clean = cli("scan", FILES / "note-fiscale-cgi.md", "--db", tmp_path / "s.db")
    assert clean.exit_code == 0
    assert "Aucun constat." in clean.stdout


def test_input_errors_exit_2(cli, tmp_path):
    missing = cli("scan", tmp_path / "absent", "--db", tmp_path / "s.db")
    assert missing.exit_code == 2
    assert "introuvable" in missing.stderr
    nothing = cli("scan", str(tmp_path / "*.docx"), "--db", tmp_path / "s.db")
    assert nothing.exit_code == 2
    assert "aucun fichier ne correspond" in nothing.stderr
    bad = cli("scan", FILES, "-f", "xml", "--db", tmp_path / "s.db")
    assert bad.exit_code == 2
    assert "format « xml » inconnu" in bad.stderr


def test_csv_one_row_per_file(cli, tmp_path):
    out = tmp_path / "scan.csv"
    cli("scan", FILES, "--empreintes", TEST_HASHES, "--db", tmp_path / "s.db", "-f", "csv", "-o", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 17
    row = next(r for r in rows if r["chemin"].endswith("note-cadrage-commentaires.docx"))
    assert row["cabinet"] == "oui" and row["cabinets"] == "Capgemini" and row["constats"] == "D301"
    assert "adresse électronique : « claire.dumas@capgemini.com »" in row["signaux_cabinet"]


def test_sarif_results(cli, tmp_path):
    out = tmp_path / "scan.sarif"
    cli("scan", FILES, "--empreintes", TEST_HASHES, "--db", tmp_path / "s.db", "-f", "sarif", "-o", out)
    sarif = json.loads(out.read_text(encoding="utf-8"))
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["D301", "D302"]
    assert len(run["results"]) == 13
    assert {r["ruleId"] for r in run["results"]} == {"D301", "D302"}
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert "fichier-endommage.docx: erreur : archive endommagée" in notification["message"]["text"]


def test_html_is_self_contained(cli, tmp_path):
    out = tmp_path / "scan.html"
    cli("scan", FILES, "--empreintes", TEST_HASHES, "--db", tmp_path / "s.db", "-f", "html", "-o", out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No external resource: no src/href to another document, no remote URL but the SVG namespace.
    assert not re.search(r"\b(?:src|href)\s*=", page)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "<svg" in page and "Constats par cabinet" in page and "Constats par règle" in page
    assert page.count('<span class="code D301"') == 8
    assert "rapport-final-embleme.docx" in page


def test_builder_regenerates_the_same_labels(tmp_path):
    """The kept builder still produces a corpus that gives the expected findings."""
    import subprocess

    out = tmp_path / "files"
    fixtures = tmp_path / "fixtures"
    subprocess.run([sys.executable, str(CORPUS / "build_deliverables.py"), "--out", str(out), "--fixtures", str(fixtures)],
                   check=True, capture_output=True)
    from typer.testing import CliRunner

    from clauselint.cli.app import app

    report = tmp_path / "r.json"
    CliRunner().invoke(app, ["scan", str(out), "--empreintes", str(TEST_HASHES), "--db", str(tmp_path / "s.db"),
                             "-j", "1", "-f", "json", "-o", str(report)], catch_exceptions=False)
    _check_against_expected(json.loads(report.read_text(encoding="utf-8")))
    assert sorted(p.name for p in fixtures.rglob("*.docx")) == ["clean.docx", "clean.docx", "trigger.docx", "trigger.docx"]


@pytest.mark.parametrize("code", ["D301", "D302"])
def test_rule_fixtures(cli, tmp_path, code):
    folder = ROOT / "tests" / "fixtures" / "rules" / code
    out = tmp_path / "r.json"
    cli("scan", folder / "trigger.docx", folder / "clean.docx", "--db", tmp_path / "s.db", "-f", "json", "-o", out)
    data = {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in json.loads(out.read_text())["files"]}
    assert code in data["trigger.docx"]
    assert data["clean.docx"] == []


def test_rule_command_prints_the_docs(cli):
    result = cli("rule", "D301")
    assert result.exit_code == 0
    assert "unmarked-consultant-authorship" in result.stdout
    assert "Circulaire n° 6391/SG du 7 février 2023, § 2" in result.stdout
    assert "administration-insignia-misuse" in cli("rule", "D302").stdout
