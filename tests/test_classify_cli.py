"""``clauselint classify``: the text and JSON a user sees, and the exit codes."""

from __future__ import annotations

import json

import pytest

from clauselint.policy import assess

NBSP = "\u00a0"
CIRC = "Circulaire n° 6391/SG du 7 février 2023"


@pytest.fixture(autouse=True)
def _outside_any_project(tmp_path, monkeypatch):
    # The threshold may come from a clauselint.toml found upward: run where there is none.
    monkeypatch.chdir(tmp_path)


def test_category_3_text_output_exactly(cli):
    result = cli("classify", "33 04 09", "--montant", "450 k€", "--montant-projet", "9 M€", "--externalisation", "80 %")
    assert result.exit_code == 0
    assert result.stdout == (
        "33.04.09 — Tierce maintenance applicative (TMA) (TIERCE MNT APPLI)\n"
        "Catégorie 3 : Réalisations informatiques (3e catégorie)\n"
        "\n"
        "Données\n"
        f"  Montant de la commande   450{NBSP}000{NBSP}€ HT\n"
        f"  Montant total du projet  9{NBSP}000{NBSP}000{NBSP}€\n"
        f"  Taux d'externalisation   80{NBSP}%\n"
        "  Mission pro bono         non\n"
        "\n"
        "Régime de contrôle (3 obligations)\n"
        "  1. Pilotage et encadrement sous la responsabilité du directeur du numérique du ministère, qui en rend "
        "compte chaque année au secrétaire général.\n"
        f"     base : {CIRC}, § 4\n"
        "  2. Suivre la commande sous le groupe de marchandises de la nomenclature des achats de l'État qui "
        "correspond strictement à la prestation prévue.\n"
        f"     base : {CIRC}, § 1\n"
        "  3. Intégrer au marché les clauses types : interdiction des signes distinctifs de l'administration, "
        "mention de l'intervention des consultants, prévention des conflits d'intérêts, méthodes agiles, "
        "évaluation de la prestation, cybersécurité et destruction des données.\n"
        f"     base : {CIRC}, § 5.2\n"
        "\n"
        "Points d'attention\n"
        f"  attention  T402 outsourcing-at-risk : pilotage ou réalisation externalisé à 80{NBSP}% (plus de 60{NBSP}%) ; "
        "projet à considérer à risque, à suivre de manière plus approfondie, avec le recrutement d'une équipe "
        "de direction expérimentée\n"
        f"             base : {CIRC}, § 5.3\n"
        "\n"
        "Bilan : 0 erreur, 1 avertissement, 0 information\n"
    )


def test_category_1_text_output(cli):
    result = cli("classify", "33.04.01", "--montant", "450000", "--montant-projet", "12000000", "--externalisation", "0.65")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "33.04.01 — Audit et conseil stratégie SI (CONSEIL STRATG SI)",
        "Catégorie 1 : Conseil en stratégie numérique (1re catégorie)",
    ]
    assert "  Seuil de contrôle a priori  non renseigné" in lines
    assert "Régime de contrôle (8 obligations)" in lines
    assert f"     base : {CIRC}, § 2 ; circulaire n° 6329/SG du 19 janvier 2022, 1.a" in lines
    findings = [line.split(" : ")[0].strip() for line in lines if line.startswith(("  attention", "  erreur", "  info"))]
    assert findings == [
        "attention  T401 dinum-opinion-required",
        "attention  T402 outsourcing-at-risk",
        "info       T407 a-priori-threshold-unknown",
        "info       T408 yearly-publication-required",
    ]
    assert f"             base : {CIRC}, § 5.1 ; décret n° 2019-1088 du 25 octobre 2019, art. 3" in lines
    assert lines[-1] == "Bilan : 0 erreur, 2 avertissements, 2 informations"


def test_no_finding(cli):
    result = cli("classify", "330402")
    assert result.exit_code == 0
    assert "  Montant de la commande   non indiqué (--montant)" in result.stdout
    assert "Points d'attention : aucun\n" in result.stdout
    assert result.stdout.endswith("Bilan : 0 erreur, 0 avertissement, 0 information\n")


def test_json_output_is_the_assessment(cli):
    result = cli("classify", "33.04.01", "--montant", "1,5 M€", "--montant-projet", "12 M€", "--externalisation", "65 %",
                 "--pro-bono", "--seuil-controle-a-priori", "150k", "--format", "json")
    data = json.loads(result.stdout)
    expected = assess(code="33.04.01", amount=1_500_000, project_amount=12_000_000, outsourcing=0.65, pro_bono=True,
                      a_priori_threshold=150_000).to_dict()
    assert data == expected
    assert [f["code"] for f in data["findings"]] == ["T405", "T401", "T402", "T404", "T406", "T408"]
    assert result.exit_code == 1  # paid pro bono is an error


def test_more_than_80_percent_exits_1(cli):
    result = cli("classify", "33.04.06", "--externalisation", "0.801")
    assert result.exit_code == 1
    assert f"  erreur     T403 outsourcing-prevents-start : pilotage ou réalisation externalisé à 80,1{NBSP}% " in result.stdout
    assert result.stdout.endswith("Bilan : 1 erreur, 0 avertissement, 0 information\n")
    assert cli("classify", "33.04.06", "--externalisation", "0.8").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("33.04.07",), "le code 33.04.07 n'est pas un code de prestation intellectuelle informatique de l'annexe de la "
                        "circulaire n° 6391/SG ; codes valides : 33.04.01 (1re catégorie), 33.04.02 à 33.04.05 "
                        "(2e catégorie), 33.04.06 et 33.04.08 à 33.04.15 (3e catégorie)"),
        (("33-04-01",), "code « 33-04-01 » mal formé : attendu un code de la nomenclature des achats de l'État à six "
                        "chiffres, ex. 33.04.01 (ou 330401, 33 04 01)"),
        (("33.04.01", "--montant", "beaucoup"), "--montant : montant « beaucoup » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        (("33.04.01", "--montant-projet", "12 M$"), "--montant-projet : montant « 12 M$ » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        (("33.04.01", "--seuil-controle-a-priori", "x"), "--seuil-controle-a-priori : montant « x » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        (("33.04.01", "--externalisation", "65"), "--externalisation : taux d'externalisation « 65 » hors de 0 à 100 % : "
                                                   "donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
        (("33.04.01", "--format", "xml"), "format « xml » inconnu ; formats possibles : text, json"),
    ],
)
def test_bad_input_exits_2_with_one_french_line(cli, args, message):
    result = cli("classify", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"clauselint: erreur : {message}\n"


def test_threshold_from_clauselint_toml(cli, tmp_path):
    (tmp_path / "clauselint.toml").write_text('a_priori_threshold = "150 k€"\n', encoding="utf-8")
    result = cli("classify", "33.04.01", "--montant", "450000")
    assert result.exit_code == 0
    assert f"  Seuil de contrôle a priori  150{NBSP}000{NBSP}€ HT ({tmp_path / 'clauselint.toml'})" in result.stdout
    assert "T406 a-priori-control-required" in result.stdout
    assert "T407" not in result.stdout
    # The option wins over the configuration.
    result = cli("classify", "33.04.01", "--montant", "450000", "--seuil-controle-a-priori", "500000")
    assert f"  Seuil de contrôle a priori  500{NBSP}000{NBSP}€ HT (--seuil-controle-a-priori)" in result.stdout
    assert "T406" not in result.stdout


def test_threshold_from_pyproject_in_a_parent_folder(cli, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.clauselint]\na_priori_threshold = 100000\n", encoding="utf-8")
    sub = tmp_path / "achats" / "2024"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    data = json.loads(cli("classify", "33.04.01", "--montant", "100001", "-f", "json").stdout)
    assert data["a_priori_threshold"] == 100000
    assert [f["code"] for f in data["findings"]] == ["T406", "T408"]


def test_invalid_configured_threshold_exits_2_naming_the_file(cli, tmp_path):
    (tmp_path / "clauselint.toml").write_text('a_priori_threshold = "beaucoup"\n', encoding="utf-8")
    result = cli("classify", "33.04.01")
    assert result.exit_code == 2
    assert result.stderr == (
        f"clauselint: erreur : {tmp_path / 'clauselint.toml'}: « a_priori_threshold » : montant « beaucoup » illisible "
        "(ex. 450000, 450 000, 450k, 9M, 1,5 M€) ; ex. a_priori_threshold = 150000 ou a_priori_threshold = \"150 k€\"\n"
    )


def test_help_ends_with_a_runnable_example(cli):
    result = cli("classify", "--help")
    assert result.exit_code == 0
    assert "Exemple : clauselint classify 33.04.01" in result.stdout


def test_the_help_example_runs(cli):
    import shlex

    from clauselint.cli.cmd_classify import EPILOG

    argv = shlex.split(EPILOG.removeprefix("Exemple : "))
    assert argv[:2] == ["clauselint", "classify"]
    result = cli(*argv[1:])
    assert result.exit_code == 0
    assert "T406 a-priori-control-required" in result.stdout


def test_the_example_in_docs_policy_md_is_current(cli):
    import re
    import shlex
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "policy.md").read_text(encoding="utf-8")
    match = re.search(r"```\n\$ clauselint (classify [^\n]+)\n(.*?)```", doc, re.S)
    assert match, "docs/policy.md: exemple « $ clauselint classify … » introuvable"
    result = cli(*shlex.split(match.group(1)))
    assert result.stdout.replace(NBSP, " ") == match.group(2)
