"""Report formats of `clauselint lint`: the JSON contract against its schema, SARIF against the
official SARIF 2.1.0 schema, and the details each consumer relies on."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from clauselint.lint.findings import lint_codes, selected_codes
from clauselint.lint.runner import LintOptions, run
from clauselint.reports import lint_github, lint_json, lint_sarif, lint_text
from lint_support import use_scripted_engine

ROOT = Path(__file__).resolve().parent.parent
LINT_SCHEMA = json.loads((ROOT / "docs" / "schemas" / "lint-report.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

CONTRACT = """\
# Article 2 – Pilotage
[contradicted steering] Le titulaire arbitre seul les priorités du projet.
# Article 7 – Confidentialité
[present confidentiality] Le titulaire garde le secret sur les informations reçues.
[optional agile]
clauselint: ignore C101 — clause portée par l'acte d'engagement
COMMENT: clauselint: ignore C777 — faute de frappe
"""


@pytest.fixture()
def report(monkeypatch, tmp_path):
    use_scripted_engine(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lot 1").mkdir()
    (tmp_path / "lot 1" / "ccap.txt").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "cctp.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "notes.xlsx").write_text("x", encoding="utf-8")
    options = LintOptions(selected=selected_codes(None, None), category=3)
    return run(["lot 1", "cctp.txt", "."], options)


def test_json_matches_its_schema_and_lists_every_family_once(report):
    data = json.loads(lint_json.render(report))
    jsonschema.Draft202012Validator(LINT_SCHEMA).validate(data)
    ok, bad = data["files"]
    assert (ok["path"], bad["path"]) == ("lot 1/ccap.txt", "cctp.txt")
    assert [c["family"] for c in ok["clauses"]] == [
        "insignia", "consultant-mention", "conflict-of-interest", "agile", "evaluation", "cybersecurity",
        "data-destruction", "confidentiality", "intellectual-property", "steering",
    ]
    assert ok["context"] == {"category": 3, "agile": False, "personal_data": False, "sources": {"category": "option"}}
    steering = ok["clauses"][-1]
    assert steering == {
        "family": "steering", "status": "contradicted", "required": True, "confidence": 0.9,
        "evidence": {"text": "Le titulaire arbitre seul les priorités du projet.",
                     "location": {"page": None, "paragraph": 2, "section": "Article 2 – Pilotage", "line": 2},
                     "path": None},
    }
    assert bad == {"path": "cctp.txt", "error": "texte non UTF-8 : enregistrez-le en UTF-8", "context": None,
                   "clauses": [], "findings": [], "dossier": None, "members": None}
    codes = [(f["code"], f["severity"], f["suppressed"] is not None) for f in ok["findings"]]
    assert ("C101", "error", True) in codes and ("C104", "info", False) in codes and ("C210", "error", False) in codes
    assert ("C302", "warning", False) in codes


def test_the_schema_rejects_what_the_contract_forbids(report):
    data = json.loads(lint_json.render(report))
    broken = json.loads(json.dumps(data))
    broken["files"][0]["clauses"].pop()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(LINT_SCHEMA).validate(broken)
    broken = json.loads(json.dumps(data))
    broken["files"][1]["clauses"] = data["files"][0]["clauses"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(LINT_SCHEMA).validate(broken)


def test_sarif_is_valid_sarif_2_1_0(report, tmp_path):
    data = json.loads(lint_sarif.render(report, base=tmp_path))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(data)
    run_ = data["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(lint_codes())
    c101 = rules[0]
    assert c101["name"] == "missing-insignia"
    assert c101["helpUri"] == "docs/rules.md#c101-missing-insignia"
    assert c101["defaultConfiguration"] == {"level": "error"}
    assert c101["shortDescription"]["text"].startswith("Clause manquante — interdiction")
    results = run_["results"]
    c210 = next(r for r in results if r["ruleId"] == "C210")
    assert c210["level"] == "error" and rules[c210["ruleIndex"]]["id"] == "C210"
    location = c210["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "lot%201/ccap.txt", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 2, "startColumn": 1},
    }
    assert location["logicalLocations"] == [{"name": "Article 2 – Pilotage", "fullyQualifiedName": "Article 2 – Pilotage"}]
    c101_result = next(r for r in results if r["ruleId"] == "C101")
    assert c101_result["suppressions"] == [{"kind": "inSource", "justification": "clause portée par l'acte d'engagement"}]
    assert next(r for r in results if r["ruleId"] == "C104")["level"] == "note"
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == (
        "cctp.txt: erreur : texte non UTF-8 : enregistrez-le en UTF-8"
    )
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_help_uri_anchors_exist_in_docs_rules_md():
    headings = {line[3:] for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")}
    for code, (name, _) in lint_codes().items():
        assert f"{code} `{name}`" in headings  # GitHub turns this heading into #<code>-<name>
        assert lint_sarif.anchor(code, name) == f"{code.lower()}-{name}"


def test_text_summary_counts(report):
    assert lint_text.summary(report) == (
        "2 fichiers, 7 erreurs, 1 avertissement, 1 information, 1 ignorée, 1 illisible, 1 non analysé"
    )
    assert "notes.xlsx: non analysé : format .xlsx non pris en charge" in lint_text.render(report)


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [("a%b\r\nc", "a%25b%0D%0Ac", "a%25b%0D%0Ac"), ("x: y, z", "x: y, z", "x%3A y%2C z")],
)
def test_github_escaping(raw, data, prop):
    assert lint_github.escape_data(raw) == data
    assert lint_github.escape_property(raw) == prop


def test_github_lines(report):
    lines = lint_github.render(report).splitlines()
    assert lines[0].startswith("::notice file=lot 1/ccap.txt,line=1,col=1,title=C101 missing-insignia (ignorée)::ignorée "
                               "(clause portée par l'acte d'engagement) : clause manquante")
    assert "::error file=cctp.txt,title=clauselint %3A fichier illisible::erreur : texte non UTF-8 : enregistrez-le en UTF-8" in lines
    assert any(line.startswith("::warning file=lot 1/ccap.txt,line=7,col=1,title=C302 unused-suppression::") for line in lines)
