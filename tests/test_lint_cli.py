"""`clauselint lint`: exact output and exit codes, options, configuration, inputs, parallel runs.

Most tests route the runner to a stand-in engine (tests/lint_support.py) so that the exact text
is pinned whatever the detector decides; the tests at the end run the real engine.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lint_support import use_scripted_engine

CONTRACT = """\
CCAP du marché de maintenance
# Article 7 – Confidentialité
[present confidentiality] Le titulaire garde le secret sur les informations reçues.
[contradicted insignia] Le titulaire peut utiliser le logo du ministère.
[present consultant-mention] Les documents mentionnent l'intervention des consultants.
[present conflict-of-interest] Le titulaire déclare les liens d'intérêts.
[optional agile] Marché au forfait.
[present evaluation] L'administration évalue la prestation.
[present cybersecurity] Le titulaire respecte la PSSI.
[present data-destruction] Les données sont détruites en fin de marché.
[present intellectual-property] Les résultats sont cédés.
[present steering] L'administration pilote la prestation.
"""


@pytest.fixture()
def scripted(monkeypatch, tmp_path):
    use_scripted_engine(monkeypatch)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


C201_MESSAGE = (
    "clause contredite : interdiction d'utiliser les signes distinctifs de l'administration "
    "(famille insignia, exigée en catégorie 3) : « Le titulaire peut utiliser le logo du ministère. » — voir "
    "clauselint rule C201"
)
C104_MESSAGE = (
    "clause absente : exécution en méthode agile (famille agile, non exigée en catégorie 3) — voir clauselint rule C104"
)
C201 = f"ccap.txt:4:1: C201 {C201_MESSAGE}"
C104 = f"ccap.txt:1:1: C104 {C104_MESSAGE}"
TABLE = """\
ccap.txt — catégorie 3, non agile, sans données personnelles
  insignia               contredite  « Le titulaire peut utiliser le logo du ministère. » — Article 7 – Confidentialité
  consultant-mention     présente    « Les documents mentionnent l'intervention des consultants. » — Article 7 – Confidentialité
  conflict-of-interest   présente    « Le titulaire déclare les liens d'intérêts. » — Article 7 – Confidentialité
  agile                  non exigée
  evaluation             présente    « L'administration évalue la prestation. » — Article 7 – Confidentialité
  cybersecurity          présente    « Le titulaire respecte la PSSI. » — Article 7 – Confidentialité
  data-destruction       présente    « Les données sont détruites en fin de marché. » — Article 7 – Confidentialité
  confidentiality        présente    « Le titulaire garde le secret sur les informations reçues. » — Article 7 – Confidentialité
  intellectual-property  présente    « Les résultats sont cédés. » — Article 7 – Confidentialité
  steering               présente    « L'administration pilote la prestation. » — Article 7 – Confidentialité
"""


def test_text_report_exact(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT)
    result = cli("lint", "ccap.txt")
    assert result.exit_code == 1
    assert result.stdout == f"{C104}\n{C201}\n\n{TABLE}\n1 fichier, 1 erreur, 0 avertissement, 1 information, 0 ignorée\n"


def test_fail_level_and_select_and_ignore(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT)
    assert cli("lint", "ccap.txt", "--ignore", "insignia").exit_code == 0
    assert cli("lint", "ccap.txt", "--ignore", "insignia", "--fail-level", "info").exit_code == 1
    only = cli("lint", "ccap.txt", "--select", "C1", "--format", "github")
    assert only.exit_code == 0
    assert only.stdout.splitlines()[0].startswith("::notice file=ccap.txt,line=1,col=1,title=C104 missing-agile::")
    assert "C201" not in only.stdout
    assert cli("lint", "ccap.txt", "--select", "contradicted-insignia", "-f", "json").exit_code == 1


def test_unknown_selector_is_a_usage_error(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT)
    result = cli("lint", "ccap.txt", "--select", "C101,agil")
    assert result.exit_code == 2
    assert result.stderr.startswith("clauselint: erreur : --select : « agil » n'est ni un code de règle (ex. C101)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--categorie", "4"), "--categorie : catégorie « 4 » inconnue ; la circulaire en définit trois : 1, 2 ou 3"),
        (("--fail-level", "fatal"), "--fail-level : niveau « fatal » inconnu ; niveaux possibles : error, warning, info"),
        (("--format", "xml"), "format « xml » inconnu ; formats possibles : text, json, sarif, github"),
        (("-j", "0"), "-j/--jobs : « 0 » processus ? indiquez un nombre ≥ 1"),
    ],
)
def test_bad_options(cli, scripted, args, message):
    write(scripted / "ccap.txt", CONTRACT)
    result = cli("lint", "ccap.txt", *args)
    assert result.exit_code == 2
    assert result.stderr == f"clauselint: erreur : {message}\n"


def test_github_format_escapes_and_lists_suppressed(cli, scripted):
    write(scripted / "dossier, 1" / "ccap.txt", CONTRACT + "clauselint: ignore C201 — logo autorisé : 100 % validé\n")
    result = cli("lint", "dossier, 1", "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "::notice file=dossier%2C 1/ccap.txt,line=1,col=1,title=C104 missing-agile::" + C104_MESSAGE,
        "::notice file=dossier%2C 1/ccap.txt,line=4,col=1,title=C201 contradicted-insignia (ignorée)::ignorée "
        "(logo autorisé : 100 %25 validé) : " + C201_MESSAGE,
        "1 fichier, 0 erreur, 0 avertissement, 1 information, 1 ignorée",
    ]


def test_suppressed_in_text_and_json(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT + "clauselint: ignore insignia — charte partagée, décision du 3 mars\n")
    text = cli("lint", "ccap.txt")
    assert text.exit_code == 0
    assert f"{C201} [ignorée : charte partagée, décision du 3 mars]\n" in text.stdout
    assert text.stdout.endswith("1 fichier, 0 erreur, 0 avertissement, 1 information, 1 ignorée\n")
    data = json.loads(cli("lint", "ccap.txt", "-f", "json").stdout)
    (c201,) = [f for f in data["files"][0]["findings"] if f["code"] == "C201"]
    assert c201["suppressed"] == {
        "reason": "charte partagée, décision du 3 mars",
        "targets": ["insignia"],
        "source": "texte",
        "marker": "clauselint: ignore insignia — charte partagée, décision du 3 mars",
        "location": {"page": None, "paragraph": 13, "section": "Article 7 – Confidentialité", "line": 13},
    }


def test_suppression_in_a_comment(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT + "COMMENT: clauselint: ignore C201 — vu avec la DAJ\n")
    data = json.loads(cli("lint", "ccap.txt", "-f", "json").stdout)
    (c201,) = [f for f in data["files"][0]["findings"] if f["code"] == "C201"]
    assert (c201["suppressed"]["source"], c201["suppressed"]["reason"]) == ("commentaire", "vu avec la DAJ")


def test_bad_files_among_good_ones(cli, scripted):
    write(scripted / "a.txt", CONTRACT)
    (scripted / "b.txt").write_bytes(b"\xff\xfe\x00caf\xe9")
    write(scripted / "c.xlsx", "x")
    write(scripted / "d" / "e.txt", CONTRACT.replace("[contradicted insignia]", "[present insignia]"))
    write(scripted / "d" / "notes.csv", "x")
    result = cli("lint", "a.txt", "b.txt", "c.xlsx", "absent.docx", "d", "--format", "text")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert "b.txt: erreur : texte non UTF-8 : enregistrez-le en UTF-8" in lines
    assert "c.xlsx: erreur : format .xlsx non pris en charge ; formats lus : .docx .pdf .odt .txt .md .html" in lines
    assert "absent.docx: erreur : fichier introuvable ; vérifiez le chemin" in lines
    assert "d/notes.csv: non analysé : format .csv non pris en charge ; formats lus : .docx .pdf .odt .txt .md .html" in lines
    assert any(line.startswith("a.txt:4:1: C201 ") for line in lines)
    assert any(line.startswith("d/e.txt — catégorie 3") for line in lines)
    assert lines[-1] == "5 fichiers, 1 erreur, 0 avertissement, 2 informations, 0 ignorée, 3 illisibles, 1 non analysé"
    data = json.loads(cli("lint", "a.txt", "b.txt", "c.xlsx", "absent.docx", "d", "-f", "json").stdout)
    assert [(f["path"], f["error"] is None) for f in data["files"]] == [
        ("a.txt", True), ("b.txt", False), ("c.xlsx", False), ("absent.docx", False), ("d/e.txt", True),
    ]


def test_globs_are_expanded_for_shells_that_do_not(cli, scripted):
    write(scripted / "m" / "a.txt", CONTRACT)
    write(scripted / "m" / "sous" / "b.txt", CONTRACT)
    write(scripted / "m" / "c.md", CONTRACT)
    data = json.loads(cli("lint", "m/**/*.txt", "-f", "json").stdout)
    assert [f["path"] for f in data["files"]] == ["m/a.txt", "m/sous/b.txt"]
    none = cli("lint", "m/*.pdf")
    assert none.exit_code == 2
    assert none.stdout.splitlines()[0] == "m/*.pdf: erreur : aucun fichier ne correspond à ce motif ; vérifiez le chemin"


def test_configuration_found_upward_and_options_win(cli, scripted):
    write(scripted / "pyproject.toml", '[tool.clauselint]\nignore = ["insignia"]\nfail-level = "info"\ncategorie = 2\n')
    write(scripted / "marches" / "lot1" / "ccap.txt", CONTRACT)
    os.chdir(scripted / "marches" / "lot1")
    result = cli("lint", "ccap.txt", "-f", "json")
    assert result.exit_code == 1  # the info C104 fails at fail-level info
    data = json.loads(result.stdout)
    assert data["files"][0]["context"]["category"] == 2
    assert [f["code"] for f in data["files"][0]["findings"]] == ["C104"]
    assert cli("lint", "ccap.txt", "--fail-level", "error").exit_code == 0
    assert cli("lint", "ccap.txt", "--ignore", "C104", "--fail-level", "error").exit_code == 1  # C201 is back


def test_bad_configuration_names_the_file(cli, scripted):
    write(scripted / "clauselint.toml", 'fail-level = "grave"\n')
    write(scripted / "ccap.txt", CONTRACT)
    result = cli("lint", "ccap.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"clauselint: erreur : {scripted / 'clauselint.toml'}: fail-level : niveau « grave » inconnu ; "
        "niveaux possibles : error, warning, info\n"
    )


def test_output_file_is_written_atomically_and_never_over_an_input(cli, scripted):
    write(scripted / "ccap.txt", CONTRACT)
    result = cli("lint", "ccap.txt", "-f", "json", "-o", "rapports/lint.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "rapport écrit dans rapports/lint.json (1 fichier, 1 erreur, 0 avertissement, 1 information, 0 ignorée)\n"
    assert json.loads((scripted / "rapports" / "lint.json").read_text(encoding="utf-8"))["version"] == 1
    assert [p.name for p in (scripted / "rapports").iterdir()] == ["lint.json"]  # no temporary file left
    again = cli("lint", "ccap.txt", "-o", "rapports/lint.json")  # a report may be replaced
    assert again.exit_code == 1
    assert (scripted / "rapports" / "lint.json").read_text(encoding="utf-8").startswith("ccap.txt:1:1: C104")
    refused = cli("lint", "ccap.txt", "-o", "ccap.txt")
    assert refused.exit_code == 2
    assert "le rapport écraserait un document à vérifier" in refused.stderr
    assert (scripted / "ccap.txt").read_text(encoding="utf-8") == CONTRACT


def test_no_argument_is_a_usage_error(cli, scripted):
    result = cli("lint")
    assert result.exit_code == 2
    assert "CHEMIN" in result.output


def test_help_ends_with_an_example(cli):
    result = cli("lint", "--help")
    assert result.exit_code == 0
    assert "Exemples : clauselint lint ccap.docx" in result.stdout



def test_context_options_reach_the_engine_and_win_over_the_configuration(cli, scripted):
    write(scripted / "clauselint.toml", "categorie = 2\n")
    write(scripted / "ccap.txt", CONTRACT)
    data = json.loads(cli("lint", "ccap.txt", "-f", "json", "--categorie", "1", "--agile",
                          "--donnees-personnelles").stdout)
    context = data["files"][0]["context"]
    assert (context["category"], context["agile"], context["personal_data"]) == (1, True, True)


# --- the real readers (stand-in engine) -------------------------------------------------------


@pytest.fixture()
def real_readers(monkeypatch, tmp_path):
    from lint_support import use_scripted_linter_only

    use_scripted_linter_only(monkeypatch)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _docx_with_comment(path: Path, comment: str) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Article 7 – Confidentialité", level=1)
    paragraph = document.add_paragraph("[contradicted insignia] Le titulaire peut utiliser le logo du ministère.")
    document.add_comment(paragraph.runs, text=comment, author="Relectrice", initials="RL")
    document.save(path)
    return path


def test_suppression_by_a_word_comment(cli, real_readers):
    _docx_with_comment(real_readers / "ccap.docx", "clauselint: ignore C201 — charte partagée, décision du 3 mars")
    data = json.loads(cli("lint", "ccap.docx", "--select", "C201", "-f", "json").stdout)
    (finding,) = data["files"][0]["findings"]
    assert finding["location"] == {"page": None, "paragraph": 2, "section": "Article 7 – Confidentialité", "line": 2}
    assert finding["suppressed"]["source"] == "commentaire"
    assert finding["suppressed"]["reason"] == "charte partagée, décision du 3 mars"
    text = cli("lint", "ccap.docx", "--select", "C201")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0].endswith("— voir clauselint rule C201 [ignorée : charte partagée, décision du 3 mars]")


def test_a_corrupt_docx_among_good_files(cli, real_readers):
    _docx_with_comment(real_readers / "bon.docx", "relu")
    (real_readers / "casse.docx").write_bytes(b"PK\x03\x04 ceci n'est pas un zip complet")
    (real_readers / "vide.docx").write_bytes(b"")
    result = cli("lint", "bon.docx", "casse.docx", "vide.docx", "--select", "C201")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("bon.docx:2:1: C201 clause contredite")
    errors = [line for line in lines if ": erreur : " in line]
    assert [line.split(":", 1)[0] for line in errors] == ["casse.docx", "vide.docx"]
    assert all(len(line) > len("casse.docx: erreur : ") + 10 for line in errors)
    assert lines[-1].endswith("2 illisibles")


@pytest.mark.parametrize(("name", "expected"), [("trigger.pdf", 1), ("clean.pdf", 0)])
def test_partial_reading_of_a_scanned_page(cli, real_readers, root, name, expected):
    pdf = root / "tests" / "fixtures" / "rules" / "C301" / name
    result = cli("lint", str(pdf), "--select", "C301", "-f", "json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["C301"] * expected
    if expected:
        assert findings[0]["message"] == (
            "lecture partielle : pages sans couche texte (numérisées ?) : 2 ; leur texte n'est pas lu — "
            "voir clauselint rule C301"
        )
        assert findings[0]["severity"] == "warning"
    assert result.exit_code == 0  # a warning does not fail at the default level


# --- the rule catalogue against the library ---------------------------------------------------


def test_each_family_rule_points_to_clauses_of_its_family(library):
    import re

    from clauselint.library.families import FAMILIES
    from clauselint.rules.registry import all_rules

    rules = all_rules()
    for fam in FAMILIES:
        for code in (fam.missing_code, fam.contradicted_code):
            rule = rules[code]
            assert rule.family == fam.id
            shown = re.findall(r"`clauselint clauses show ([a-z0-9-]+)`", rule.sections["À la place"])
            assert shown, f"{code}: « À la place » ne dit pas comment afficher la clause"
            for clause_id in shown:
                assert clause_id in library, f"{code}: clause « {clause_id} » absente de la bibliothèque"
                assert library.get(clause_id).family == fam.id
            assert fam.basis.split(", ", 1)[1].split(" et ")[0] in rule.sections["Base légale"]


# --- the real engine --------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
LINT_RULES = sorted(p.name for p in FIXTURES.glob("C*"))
# Fixture documents the detection engine still gets wrong (lint/engine.py is another module's
# work; these are reported to it). Each stays visible as an expected failure until fixed.
# Measured on the engine of the working tree at the time of writing: most misses are headings taken
# as evidence of presence (« ARTICLE 1 – Objet du marché » for evaluation, at 0.99).
# Known misses of the detection engine on these fixtures (docs/detection.md): the agile and
# evaluation triggers are taken as present on a sentence that only declares the method or
# mentions the subject, and the IP/steering contradictions are too far from the library's
# contradicted examples. Strict: when the engine improves, the test says so and the entry goes.
ENGINE_MISSES = {
    ("C104", "trigger"),
    ("C210", "trigger"),
}


def _fixture_cases():
    for code in LINT_RULES:
        for kind in ("trigger", "clean"):
            marks = [pytest.mark.slow]
            if (code, kind) in ENGINE_MISSES:
                marks.append(pytest.mark.xfail(reason="known engine miss, see ENGINE_MISSES", strict=True))
            yield pytest.param(code, kind, marks=marks, id=f"{code}-{kind}")


@pytest.mark.parametrize(("code", "kind"), list(_fixture_cases()))
def test_rule_fixture_with_only_that_rule_selected(cli, code, kind):
    pytest.importorskip("clauselint.lint.engine")
    (document,) = sorted((FIXTURES / code).glob(f"{kind}.*"))
    # The C302 markers name C101: select it too, so that the clean marker has something to suppress.
    selection = code if code != "C302" else "C302,C101"
    result = cli("lint", str(document), "--select", selection, "-f", "json", "-j", "1")
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["error"] is None
    codes = [f["code"] for f in entry["findings"] if f["code"] == code]
    if kind == "trigger":
        assert codes == [code], f"{document} ne déclenche pas {code}"
    else:
        assert codes == [], f"{document} déclenche {code}"


@pytest.mark.slow
def test_parallel_run_gives_the_same_report(cli, tmp_path, monkeypatch):
    pytest.importorskip("clauselint.lint.engine")
    import shutil

    for code in ("C101", "C201", "C302"):
        shutil.copy(FIXTURES / code / "trigger.txt", tmp_path / f"{code}.txt")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    one = cli("lint", ".", "-f", "json", "-j", "1")
    two = cli("lint", ".", "-f", "json", "-j", "2")
    assert (one.exit_code, two.exit_code) == (1, 1)
    assert two.stdout == one.stdout
    assert [f["path"] for f in json.loads(one.stdout)["files"]] == ["C101.txt", "C201.txt", "C302.txt"]


def test_max_size_feeds_the_readers_limits(cli, real_readers):
    (real_readers / "gros.txt").write_text("Le titulaire garde le secret. " * 50_000, encoding="utf-8")
    result = cli("lint", "gros.txt", "--max-taille", "1")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "gros.txt: erreur : fichier trop volumineux (1,4 Mo, limite 1 Mo) : augmentez la limite avec l'option --max-taille"
    )
    assert cli("lint", "gros.txt", "--max-taille", "2", "--select", "C101").exit_code == 1
