"""The tender spec: a valid spec loads; each mistake gives one French line with the file, the line and the fix."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from clauselint.errors import SpecError
from clauselint.spec import load_spec

# A clause of our own (in a user library) so the variable checks don't depend on the built-in texts.
TEST_CLAUSE = """\
---
id: test-delais
family: evaluation
title: Délais de test
version: 1
basis:
  - "Circulaire n° 6391/SG du 7 février 2023, § 5.2"
applies:
  categories: [1, 2, 3]
  documents: [ccap]
variables:
  delai_jours:
    type: int
    description: Un délai en jours
    default: 10
    min: 1
    max: 30
detect:
  anchors:
    - [délai]
    - [jours]
  positive:
    - "Le titulaire dispose d'un délai de dix jours."
    - "Le délai est fixé à dix jours ouvrés."
    - "Dans un délai de dix jours, le titulaire répond."
  negative:
    - "Le délai de paiement est de trente jours."
    - "Aucun délai n'est prévu pour la livraison du matériel."
  contradicted:
    - "Le titulaire n'est tenu à aucun délai."
---
Le titulaire dispose d'un délai de {{ delai_jours }} jours.
"""


@pytest.fixture()
def spec_file(tmp_path, cli) -> Path:
    """The category 3 example written by ``clauselint init`` (agile, personal data)."""
    path = tmp_path / "tender.yaml"
    result = cli("init", "--categorie", "3", "-o", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture()
def user_library(tmp_path) -> Path:
    folder = tmp_path / "bibliotheque"
    folder.mkdir()
    (folder / "test-delais.md").write_text(TEST_CLAUSE, encoding="utf-8")
    return folder


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the spec")


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def assemble_error(cli, spec: Path, tmp_path: Path, *extra: str) -> str:
    result = cli("assemble", spec, "-o", tmp_path / "dossier", *extra)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "dossier").exists()
    return result.stderr


@pytest.mark.parametrize("category", [1, 2, 3])
def test_each_example_loads(tmp_path, cli, category):
    path = tmp_path / "tender.yaml"
    assert cli("init", "--categorie", str(category), "-o", path).exit_code == 0
    loaded = load_spec(path)
    spec = loaded.spec
    assert spec.marche.code_nomenclature.startswith("33.04.")
    assert sum(c.ponderation for c in spec.criteres) == 100
    assert len(loaded.sha256) == 64
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Spécification du dossier de consultation")
    # The line map points at the keys.
    assert loaded.lines.line(("criteres",)) == line_of(text, "criteres:")
    assert loaded.where("marche", "duree_mois") == f"{path}:{line_of(text, 'duree_mois:')}"


def test_values_as_people_write_them(spec_file):
    edit(spec_file, "montant_estime_ht: 2400000", 'montant_estime_ht: "2,4 M€"')
    edit(spec_file, "taux_externalisation: 0.55", 'taux_externalisation: "55 %"')
    edit(spec_file, "pro_bono: non", "pro_bono: Non")
    spec = load_spec(spec_file).spec
    assert spec.marche.montant_estime_ht == Decimal(2_400_000)
    assert spec.projet.taux_externalisation == Decimal("0.55")
    assert spec.marche.pro_bono is False
    assert spec.execution.agile is True  # « oui » in the example
    assert spec.conditions() == {"agile": True, "personal_data": True, "pro_bono": False}


CASES = {
    "weights": (
        ("    ponderation: 35", "    ponderation: 25"),
        "criteres:",
        "« criteres » : les pondérations totalisent 90 %, elles doivent totaliser 100 %",
    ),
    "unknown field": (
        ("  reconduction: tacite\n", "  reconduction: tacite\n  recondution: 2\n"),
        "recondution:",
        "« marche.recondution » : champ inconnu ; vouliez-vous dire « reconduction » ? ; champs possibles : "
        "code_nomenclature, montant_estime_ht, montant_maximum_ht, forme, duree_mois, reconductions, "
        "reconduction, duree_reconduction_mois, pro_bono, lots",
    ),
    "unknown section": (
        ("criteres:\n", "critere:\n  - x\ncriteres:\n"),
        "critere:",
        "« critere » : champ inconnu ; vouliez-vous dire « criteres » ? ; champs possibles : acheteur, "
        "consultation, marche, execution, criteres, projet, propriete_intellectuelle, variables",
    ),
    "bad code": (
        ('code_nomenclature: "33.04.06"', 'code_nomenclature: "33.04.07"'),
        "code_nomenclature:",
        "« marche.code_nomenclature » : le code 33.04.07 n'est pas un code de prestation intellectuelle "
        "informatique de l'annexe de la circulaire n° 6391/SG ; codes valides : 33.04.01 (1re catégorie), "
        "33.04.02 à 33.04.05 (2e catégorie), 33.04.06 et 33.04.08 à 33.04.15 (3e catégorie)",
    ),
    "malformed code": (
        ('code_nomenclature: "33.04.06"', 'code_nomenclature: "33-4-6"'),
        "code_nomenclature:",
        "« marche.code_nomenclature » : code « 33-4-6 » mal formé : attendu un code de la nomenclature des "
        "achats de l'État à six chiffres, ex. 33.04.01 (ou 330401, 33 04 01)",
    ),
    "bad type": (
        ("duree_mois: 12", "duree_mois: douze"),
        "duree_mois:",
        "« marche.duree_mois » : « douze » : doit être un nombre entier",
    ),
    "bad boolean": (
        ("  agile: oui", "  agile: peut-être"),
        "agile:",
        "« execution.agile » : « peut-être » : doit valoir oui ou non",
    ),
    "bad choice": (
        ("forme: accord-cadre-bons-de-commande", "forme: accord-cadre"),
        "forme: accord-cadre",
        "« marche.forme » : valeur « accord-cadre » non autorisée ; valeurs possibles : marche-unique, "
        "accord-cadre-bons-de-commande, accord-cadre-marches-subsequents",
    ),
    "bad amount": (
        ("montant_estime_ht: 2400000", "montant_estime_ht: beaucoup"),
        "montant_estime_ht:",
        "« marche.montant_estime_ht » : montant « beaucoup » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)",
    ),
    "missing field": (
        ("  objet: Développement", "  # objet: Développement"),
        "consultation:",
        "« consultation.objet » : champ obligatoire absent ; ajoutez « objet: … » (voir docs/spec.md)",
    ),
    "item field": (
        ("  - critere: Prix\n", "  - critere: Prix\n    poids: 35\n"),
        "poids:",
        "« criteres[2].poids » : champ inconnu ; champs possibles : critere, ponderation, sous_criteres",
    ),
    "duplicate key": (
        ("  reconduction: tacite\n", "  reconduction: tacite\n  reconductions: 2\n"),
        "reconductions: 2",
        "« marche.reconductions » : clé en double (déjà ligne {first}) ; gardez-en une seule",
    ),
    "maximum below estimate": (
        ("montant_maximum_ht: 4000000", "montant_maximum_ht: 1000000"),
        "montant_maximum_ht:",
        "« marche.montant_maximum_ht » : le montant maximum (1\u00a0000\u00a0000\u00a0€ HT) est inférieur au montant "
        "estimé (2\u00a0400\u00a0000\u00a0€ HT) ; corrigez l'un des deux",
    ),
    "yaml syntax": (
        ("  agile: oui", " agile: oui"),
        "agile: oui",
        "YAML invalide : « : » inattendu (une valeur qui contient « : » se met entre guillemets) ; vérifiez "
        "l'indentation (espaces, pas de tabulations) et les guillemets",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_error_names_file_line_field_and_fix(cli, spec_file, tmp_path, case):
    (old, new), needle, message = CASES[case]
    original = spec_file.read_text(encoding="utf-8")
    text = edit(spec_file, old, new)
    line = line_of(text, needle)
    if "{first}" in message:
        message = message.format(first=line_of(original, "reconductions:"))
        line = line_of(text, "reconductions: 2")
    if case == "yaml syntax":
        line += 1  # PyYAML reports the line where the structure breaks: the one after the bad indent
    stderr = assemble_error(cli, spec_file, tmp_path)
    assert stderr == f"clauselint: erreur : {spec_file}:{line}: {message}\n"


def test_agile_spec_needs_its_units(cli, spec_file, tmp_path):
    text = edit(spec_file, "  unites_oeuvre:\n", "  # unites_oeuvre retirées\n  autres:\n")
    stderr = assemble_error(cli, spec_file, tmp_path)
    # The unknown key comes first in the file; once removed, the agile check speaks.
    assert stderr.startswith(f"clauselint: erreur : {spec_file}:{line_of(text, 'autres:')}: « execution.autres » : champ inconnu")
    lines = text.splitlines()
    start = line_of(text, "autres:")
    end = line_of(text, "# Le titulaire traite-t-il")
    spec_file.write_text("\n".join(lines[: start - 1] + lines[end - 1:]) + "\n", encoding="utf-8")
    stderr = assemble_error(cli, spec_file, tmp_path)
    text = spec_file.read_text(encoding="utf-8")
    assert stderr == (
        f"clauselint: erreur : {spec_file}:{line_of(text, '  agile: oui')}: « execution.agile » : un marché agile se "
        "commande en unités d'œuvre : ajoutez « unites_oeuvre » (ex. - {code: UO1, libelle: Sprint de deux semaines})\n"
    )


def test_several_errors_report_the_first_and_count_the_others(cli, spec_file, tmp_path):
    edit(spec_file, "duree_mois: 12", "duree_mois: douze")
    text = edit(spec_file, "reconductions: 3", "reconductions: trois")
    stderr = assemble_error(cli, spec_file, tmp_path)
    assert stderr == (
        f"clauselint: erreur : {spec_file}:{line_of(text, 'duree_mois:')}: « marche.duree_mois » : « douze » : "
        "doit être un nombre entier (et 1 autre erreur)\n"
    )


def test_unknown_clause_in_overrides(cli, spec_file, tmp_path, user_library):
    text = edit(spec_file, "variables: {}", "variables:\n  test-delai:\n    delai_jours: 15")
    stderr = assemble_error(cli, spec_file, tmp_path, "--library", user_library)
    assert stderr == (
        f"clauselint: erreur : {spec_file}:{line_of(text, 'test-delai:')}: « variables.test-delai » : aucune clause "
        "« test-delai » dans la bibliothèque ; vouliez-vous dire « test-delais » ?\n"
    )


def test_unknown_variable_in_overrides(cli, spec_file, tmp_path, user_library):
    text = edit(spec_file, "variables: {}", "variables:\n  test-delais:\n    delai: 15")
    stderr = assemble_error(cli, spec_file, tmp_path, "--library", user_library)
    assert stderr == (
        f"clauselint: erreur : {spec_file}:{line_of(text, 'delai: 15')}: « variables.test-delais.delai » : la clause "
        "« test-delais » n'a pas de variable « delai » (variables déclarées : delai_jours)\n"
    )


def test_out_of_bounds_variable_in_overrides(cli, spec_file, tmp_path, user_library):
    text = edit(spec_file, "variables: {}", "variables:\n  test-delais:\n    delai_jours: 45")
    stderr = assemble_error(cli, spec_file, tmp_path, "--library", user_library)
    assert stderr == (
        f"clauselint: erreur : {spec_file}:{line_of(text, 'delai_jours: 45')}: « variables.test-delais.delai_jours » : "
        "« 45 » est supérieur au maximum 30 ; voyez « clauselint clauses show test-delais »\n"
    )


def test_override_reaches_the_clause_text(cli, spec_file, tmp_path, user_library):
    edit(spec_file, "variables: {}", "variables:\n  test-delais:\n    delai_jours: 12")
    result = cli("assemble", spec_file, "-o", tmp_path / "dossier", "--format", "md", "--library", user_library)
    assert result.exit_code == 0, result.output
    ccap = (tmp_path / "dossier" / "ccap.md").read_text(encoding="utf-8")
    assert "Le titulaire dispose d'un délai de 12 jours." in ccap


def test_missing_file_and_empty_file(cli, tmp_path):
    missing = tmp_path / "absent.yaml"
    result = cli("assemble", missing, "-o", tmp_path / "dossier")
    assert result.exit_code == 2
    assert result.stderr == (
        f"clauselint: erreur : {missing}: spec introuvable ; créez-en une avec « clauselint init -o tender.yaml »\n"
    )
    empty = tmp_path / "vide.yaml"
    empty.write_text("# rien\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(empty)
    assert info.value.one_line() == f"{empty}: fichier vide ; partez de « clauselint init » pour un exemple complet"


def test_a_list_instead_of_a_section(tmp_path):
    path = tmp_path / "liste.yaml"
    path.write_text(textwrap.dedent("""\
        - acheteur
        - consultation
    """), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert info.value.one_line().startswith(f"{path}:1: la spec doit être une suite de sections")


def test_init_writes_a_spec_that_assembles(cli, tmp_path):
    spec = tmp_path / "t.yaml"
    assert cli("init", "-c", "2", "-o", spec).exit_code == 0
    result = cli("assemble", spec, "-o", tmp_path / "dossier")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dossier" / "ccap.docx").is_file()
    assert "catégorie 2 (33.04.04 – Conseil qualité et méthode)" in result.stdout


def test_init_refuses_to_overwrite_without_force(cli, tmp_path):
    spec = tmp_path / "tender.yaml"
    spec.write_text("mon travail\n", encoding="utf-8")
    result = cli("init", "-o", spec)
    assert result.exit_code == 2
    assert result.stderr == (
        f"clauselint: erreur : {spec}: le fichier existe déjà ; relancez avec --force pour le remplacer, "
        "ou choisissez un autre nom avec -o\n"
    )
    assert spec.read_text(encoding="utf-8") == "mon travail\n"
    assert cli("init", "-o", spec, "--force").exit_code == 0
    assert spec.read_text(encoding="utf-8").startswith("# Spécification du dossier de consultation")


def test_init_rejects_a_fourth_category(cli, tmp_path):
    result = cli("init", "--categorie", "4", "-o", tmp_path / "t.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "clauselint: erreur : --categorie 4 : la circulaire compte trois catégories ; choisissez 1, 2 ou 3\n"
    )
    assert not (tmp_path / "t.yaml").exists()


def test_shipped_example_is_valid(root):
    loaded = load_spec(root / "examples" / "tender.yaml")
    assert loaded.spec.marche.code_nomenclature == "33.04.01"
