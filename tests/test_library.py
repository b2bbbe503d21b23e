"""The clause library: the built-in clauses, their rendering, the schema's errors, user libraries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clauselint.errors import LibraryError
from clauselint.library import FAMILY_IDS, load_library
from clauselint.library.render import applicable_derogations, preposition_a, preposition_de, render_clause
from clauselint.library.validate import validate_library
from clauselint.paths import builtin_clauses_dir

EXPECTED_IDS = {
    "insignia", "consultant-mention", "conflict-of-interest-strategy", "conflict-of-interest", "pro-bono",
    "sworn-statement", "code-of-conduct", "agile-execution", "agile-delivery", "evaluation", "evaluation-form",
    "penalties", "cybersecurity", "data-destruction", "personal-data", "destruction-certificate",
    "confidentiality", "intellectual-property", "steering-strategy", "steering",
}

# The related texts a clause may cite: the ones docs/clauses.md lists as checked.
ALLOWED_BASIS_PREFIXES = (
    "Circulaire n° 6391/SG du 7 février 2023",
    "Circulaire n° 6329/SG du 19 janvier 2022",
    "CCAG-TIC 2021, article 5.1 ",
    "CCAG-TIC 2021, article 5.2 ",
    "CCAG-TIC 2021, article 5.3 ",
    "CCAG-TIC 2021, article 5.4 ",
    "CCAG-TIC 2021, article 22 ",
    "CCAG-TIC 2021, article 42 ",
    "CCAG-TIC 2021, chapitre 7, articles 43 à 46",
    "Décret n° 2019-1088 du 25 octobre 2019, article 3",
    "Décret n° 2019-1088 du 25 octobre 2019, article 4",
    "Règlement (UE) 2016/679 du 27 avril 2016 (RGPD), article 28",
)
ALLOWED_DEROGATIONS = {"5.1", "5.2", "5.3", "5.4", "42", "43 à 46"}

VALIDATED = (
    "✓ 20 clauses valides ; 10 familles couvertes ; chaque clause se rend avec ses valeurs par défaut ; "
    "chaque exemple positif ou contredit, et le texte de chaque clause, touche tous ses groupes d'ancres ; "
    "le vérificateur reconnaît le texte de chaque clause."
)

# A small valid clause; the error tests break one thing in it at a time.
VALID = """---
id: {id}
family: insignia
title: Clause d'essai
version: 1
basis:
  - "Circulaire n° 6391/SG du 7 février 2023, § 5.2"
applies: {{categories: [1, 2, 3], documents: [ccap]}}
detect:
  anchors:
    - [logo, signe distinctif]
    - [utiliser, usage]
  positive:
    - "Le titulaire n'utilise pas le logo du ministère."
    - "Aucun usage des signes distinctifs de l'acheteur n'est permis."
    - "Le prestataire s'interdit tout usage du logo de l'administration."
  negative:
    - "Le titulaire appose son logo sur ses factures."
    - "Le candidat utilise le formulaire DC1."
  contradicted:
    - "Le titulaire peut utiliser le logo du ministère."
---
{text}
"""
VALID_TEXT = "Le titulaire s'interdit tout usage du logo de l'administration."


def write_clause(folder: Path, clause_id: str, text: str = VALID_TEXT, name: str | None = None, **replace: str) -> Path:
    body = VALID.format(id=clause_id, text=text)
    for old, new in replace.items():
        assert old in body, old
        body = body.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or clause_id}.md"
    path.write_text(body, encoding="utf-8")
    return path


def error_of(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    return result.stderr


# --- the built-in library ----------------------------------------------------------------------


def test_builtin_library_has_exactly_the_standard_clauses(library):
    assert {c.id for c in library} == EXPECTED_IDS
    assert all(c.origin == "intégrée" for c in library)


def test_every_family_is_covered(library):
    assert library.families_covered() == set(FAMILY_IDS)
    for family in FAMILY_IDS:
        assert any("ccap" in c.applies.documents for c in library.by_family(family)), family


def test_ids_equal_file_names(library):
    files = sorted(p.stem for p in builtin_clauses_dir().glob("*.md"))
    assert files == sorted(EXPECTED_IDS)
    for clause in library:
        assert clause.source is not None and clause.source.name == f"{clause.id}.md"


@pytest.mark.parametrize("clause_id", sorted(EXPECTED_IDS))
def test_clause_renders_with_defaults_and_every_choice(library, clause_id):
    clause = library.get(clause_id)
    texts = [render_clause(clause)]
    for name, var in clause.variables.items():
        values = var.choices if var.type == "choice" else [True, False] if var.type == "bool" else []
        texts.extend(render_clause(clause, {name: value}) for value in values or [])
    for text in texts:
        assert len(text) > 200
        assert "{{" not in text and "}}" not in text and "{%" not in text
        assert not any("  " in line or line != line.strip() for line in text.splitlines()), "stray spaces"
    if "acheteur" in clause.variables:
        text = render_clause(clause, context={"acheteur": "le ministère de l'Intérieur"})
        assert "ministère de l'Intérieur" in text
        assert "de le ministère" not in text and "à le ministère" not in text


@pytest.mark.parametrize("clause_id", sorted(EXPECTED_IDS))
def test_clause_cites_only_checked_texts(library, clause_id):
    clause = library.get(clause_id)
    assert any(ref.startswith("Circulaire n° 6391/SG du 7 février 2023, §") for ref in clause.basis)
    for ref in clause.basis:
        assert ref.startswith(ALLOWED_BASIS_PREFIXES), ref
    for derogation in clause.derogates:
        assert derogation.article in ALLOWED_DEROGATIONS
        assert derogation.reason.endswith(".") and "\n" not in derogation.reason


def test_builtin_library_validates_cleanly(library):
    assert validate_library(library).problems == []


def test_detection_hints_are_distinct_sentences(library):
    for clause in library:
        examples = [*clause.detect.positive, *clause.detect.negative, *clause.detect.contradicted]
        assert len(examples) == len(set(examples)), clause.id
        assert len(clause.detect.positive) >= 3 and len(clause.detect.negative) >= 2
        assert all(e.endswith((".", "»")) for e in examples), clause.id


# --- which clauses a tender gets ---------------------------------------------------------------

ALL = set(FAMILY_IDS)


@pytest.mark.parametrize("category", [1, 2, 3])
@pytest.mark.parametrize("agile", [False, True])
@pytest.mark.parametrize("personal_data", [False, True])
def test_required_families(library, category, agile, personal_data):
    conditions = {"agile": agile, "personal_data": personal_data, "pro_bono": False}
    expected = ALL if agile else ALL - {"agile"}
    assert library.required_families(category, conditions) == expected


def ids(clauses) -> set[str]:
    return {c.id for c in clauses}


def test_selection_follows_category_and_conditions(library):
    plain = {"agile": False, "personal_data": False, "pro_bono": False}
    cat1 = ids(library.select(1, plain, document="ccap"))
    assert {"conflict-of-interest-strategy", "steering-strategy"} <= cat1
    assert not {"conflict-of-interest", "steering", "agile-execution", "personal-data", "pro-bono"} & cat1
    cat3 = ids(library.select(3, plain, document="ccap"))
    assert {"conflict-of-interest", "steering"} <= cat3
    assert not {"conflict-of-interest-strategy", "steering-strategy"} & cat3
    everything = {"agile": True, "personal_data": True, "pro_bono": True}
    assert {"agile-execution", "personal-data", "pro-bono"} <= ids(library.select(2, everything, document="ccap"))
    assert ids(library.select(2, everything, document="cctp")) == {"agile-delivery"}
    assert ids(library.select(1, plain, document="annex")) == {
        "sworn-statement", "code-of-conduct", "evaluation-form", "destruction-certificate",
    }


# --- rendering: French contraction, context, derogations ----------------------------------------


@pytest.mark.parametrize(
    ("phrase", "de", "a"),
    [
        ("le ministère de l'Intérieur", "du ministère de l'Intérieur", "au ministère de l'Intérieur"),
        ("Le ministère des Armées", "du ministère des Armées", "au ministère des Armées"),
        ("les services du Premier ministre", "des services du Premier ministre", "aux services du Premier ministre"),
        ("l'administration", "de l'administration", "à l'administration"),
        ("la direction interministérielle du numérique", "de la direction interministérielle du numérique",
         "à la direction interministérielle du numérique"),
        ("Atos", "d'Atos", "à Atos"),
        ("Sopra Steria", "de Sopra Steria", "à Sopra Steria"),
        ("[dénomination du titulaire]", "de [dénomination du titulaire]", "à [dénomination du titulaire]"),
    ],
)
def test_contraction_filters(phrase, de, a):
    assert preposition_de(phrase) == de
    assert preposition_a(phrase) == a


def test_context_replaces_defaults_and_overrides_win(library):
    clause = library.get("consultant-mention")
    assert "« Document réalisé avec le concours de [dénomination du titulaire] pour le compte de l'administration. »" in render_clause(clause)
    text = render_clause(clause, {"titulaire": "Atos"}, {"acheteur": "le ministère des Armées", "categorie": 2})
    assert "« Document réalisé avec le concours d'Atos pour le compte du ministère des Armées. »" in text
    text = render_clause(clause, {"acheteur": "la DINUM"}, {"acheteur": "le ministère des Armées"})
    assert "pour le compte de la DINUM." in text


def test_steering_follows_the_category_from_the_context(library):
    clause = library.get("steering")
    cat3 = render_clause(clause, context={"categorie": 3})
    cat2 = render_clause(clause, context={"categorie": 2})
    assert "sous la responsabilité du directeur du numérique du ministère" in cat3
    assert "directeur du numérique" not in cat2
    assert "Compte rendu annuel" in cat3 and "Compte rendu annuel" not in cat2


def test_intellectual_property_derogations_depend_on_the_option(library):
    clause = library.get("intellectual-property")
    default = applicable_derogations(clause)
    assert [d.article for d in default] == ["43 à 46"] and default[0].reason.startswith("Étend")
    cession = applicable_derogations(clause, {"option": "cession"})
    assert [d.reason.split(" ")[0] for d in cession] == ["Cession"]
    assert applicable_derogations(clause, {"option": "utilisation", "licence_libre": "non"}) == []
    assert "Par dérogation au chapitre 7 du CCAG-TIC, le titulaire cède" in render_clause(clause, {"option": "cession"})
    no_source = render_clause(clause, {"code_source": "non"})
    assert "Code source" not in no_source and "\n\n6. Diffusion et maintenance." in no_source


def test_variable_bounds_and_types_are_enforced(cli):
    result = cli("clauses", "show", "data-destruction", "--set", "delai_jours=0")
    assert error_of(result) == (
        f"clauselint: erreur : {builtin_clauses_dir() / 'data-destruction.md'}: variable « delai_jours » de la clause "
        "« data-destruction » : « 0 » est inférieur au minimum 1\n"
    )
    result = cli("clauses", "show", "data-destruction", "--set", "delai_jours=trente")
    assert "« trente » n'est pas un nombre entier" in error_of(result)
    result = cli("clauses", "show", "data-destruction", "--set", "delai_jours=15")
    assert result.exit_code == 0
    assert "dans un délai de 15 jours suivant la fin des prestations" in result.stdout


# --- the CLI -----------------------------------------------------------------------------------


def test_clauses_list(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    result = cli("clauses", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Bibliothèque de clauses (20 clauses)"
    row = next(line for line in lines if line.startswith("│ pro-bono "))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells == [
        "pro-bono", "conflict-of-interest", "Missions à titre gracieux (pro bono)", "1",
        "cat. 1, 2, 3 · CCAP · pro bono", "intégrée",
    ]
    listed = [line.split("│")[1].strip() for line in lines if line.startswith("│ ")]
    assert set(listed) == EXPECTED_IDS and listed[:2] == ["insignia", "consultant-mention"]


def test_clauses_list_json(cli):
    rows = json.loads(cli("clauses", "list", "--format", "json").stdout)
    assert {r["id"] for r in rows} == EXPECTED_IDS
    personal = next(r for r in rows if r["id"] == "personal-data")
    assert personal["applies"] == {"categories": [1, 2, 3], "documents": ["ccap"], "when": {"personal_data": True}}
    assert personal["origin"] == "intégrée" and personal["replaces"] is None


def test_clauses_show_prints_metadata_then_the_rendered_text(cli):
    result = cli("clauses", "show", "pro-bono", "--set", "reference_autorisation=décision n° 2024-17 du 3 mai 2024")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Missions à titre gracieux (pro bono)  (pro-bono, version 1)",
        "Famille : conflict-of-interest",
        "Applicabilité : cat. 1, 2, 3 · CCAP · pro bono",
        "Provenance : intégrée",
        "Base légale :",
        "  - Circulaire n° 6391/SG du 7 février 2023, § 5.2 (missions pro bono dûment autorisées par le secrétaire "
        "général du ministère, sans aucune contrepartie)",
        "Variables :",
        "  - autorite (str, défaut : le secrétaire général du ministère) : Autorité qui autorise la mission à titre "
        "gracieux (le secrétaire général du ministère, selon la circulaire)",
        "  - reference_autorisation (str, défaut : [référence et date de la décision d'autorisation]) : Référence de "
        "la décision écrite d'autorisation (date et numéro), à compléter avant signature",
        "",
        "1. La mission objet du présent contrat est exécutée à titre gracieux. Elle a été autorisée par écrit par le "
        "secrétaire général du ministère (décision n° 2024-17 du 3 mai 2024) ; aucune prestation n'est exécutée avant "
        "cette autorisation, et toute extension de son objet, de sa durée ou des personnes mobilisées est soumise à "
        "une nouvelle autorisation écrite dans les mêmes formes.",
        "",
        "2. La mission ne donne lieu à aucune contrepartie, de quelque nature que ce soit : ni rémunération, ni "
        "remboursement de frais, ni avantage en nature, ni droit de préférence ou accès privilégié à une procédure "
        "de passation ultérieure, ni droit d'exploiter la mission ou ses résultats, notamment comme référence "
        "commerciale, sans l'accord écrit de l'administration.",
        "",
        "3. Le titulaire s'interdit de proposer ou d'exécuter, en marge de la mission autorisée, toute autre "
        "prestation à titre gracieux au bénéfice de l'administration.",
        "",
        "4. La gratuité de la mission ne dispense le titulaire d'aucune des obligations du présent contrat, notamment "
        "celles relatives à l'interdiction d'utiliser les signes distinctifs de l'administration, à la mention de "
        "l'intervention des consultants, à la prévention des conflits d'intérêts, à la confidentialité, à la "
        "sécurité et à la destruction des données.",
    ]


def test_clauses_show_lists_conditional_derogations(cli):
    out = cli("clauses", "show", "intellectual-property").stdout.splitlines()
    start = out.index("Dérogations au CCAG-TIC 2021 :")
    assert out[start + 1].startswith("  - art. 43 à 46 (si option = cession) : Cession à titre exclusif")
    assert out[start + 2].startswith("  - art. 43 à 46 (si option = utilisation, licence_libre = oui) : Étend")
    assert "  - option (choice, défaut : utilisation, choix : utilisation | cession) : " in "\n".join(out)


def test_clauses_show_unknown_id(cli):
    assert error_of(cli("clauses", "show", "logos")) == (
        "clauselint: erreur : aucune clause « logos » ; voyez la liste avec « clauselint clauses list »\n"
    )


def test_clauses_validate_builtin(cli):
    result = cli("clauses", "validate")
    assert result.exit_code == 0
    assert result.stdout == VALIDATED + "\n"


def test_clauses_validate_reports_weak_detection_hints(cli, tmp_path):
    lib = tmp_path / "lib"
    path = write_clause(
        lib, "logos",
        text="Le titulaire respecte la charte {{ acheteur }}.",
        **{'    - "Le prestataire s\'interdit tout usage du logo de l\'administration."':
           '    - "Le titulaire respecte la charte."',
           "applies:": "variables:\n  acheteur: {type: str, description: Acheteur, default: x}\n"
                       "  inutile: {type: int, description: Rien, default: 3}\napplies:"},
    )
    result = cli("clauses", "validate", lib)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"✗ {path}: variable « inutile » déclarée mais absente du texte ; utilisez-la ou retirez-la",
        f"✗ {path}: exemple « positive » « Le titulaire respecte la charte. » ne touche aucun terme du groupe "
        "d'ancres 1 [logo, signe distinctif] ; ajoutez un terme au groupe ou reformulez l'exemple",
        f"✗ {path}: aucune phrase du texte de la clause ne touche tous les groupes d'ancres ; le vérificateur ne "
        "reconnaîtrait pas la clause elle-même",
        "3 problèmes dans 1 clause.",
    ]


def test_clauses_validate_names_undeclared_values(cli, tmp_path):
    path = write_clause(tmp_path / "lib", "logos", text="Le titulaire n'utilise pas le logo {{ acheteur | de }}.")
    result = cli("clauses", "validate", tmp_path / "lib")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"✗ {path}: le texte utilise « acheteur », qui n'est pas une variable de la clause ; "
        "déclarez-la dans « variables » avec une valeur par défaut"
    )


def test_validate_without_detection_skips_the_linter(cli):
    result = cli("clauses", "validate", "--sans-detection")
    assert result.exit_code == 0
    assert result.stdout == VALIDATED.replace(" ; le vérificateur reconnaît le texte de chaque clause", "") + "\n"


def test_a_valid_user_folder_validates_alone(cli, tmp_path):
    write_clause(tmp_path / "lib", "logos")
    result = cli("clauses", "validate", tmp_path / "lib")
    assert result.exit_code == 0
    assert result.stdout.startswith("✓ 1 clause valide ; 1 famille couverte ;")


# --- bad library files: one French line, exit 2 ------------------------------------------------

BASIS = '  - "Circulaire n° 6391/SG du 7 février 2023, § 5.2"\n'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"basis:\n" + BASIS: "basis: []\n"},
            "champ « basis » vide — indiquez au moins une référence (ex. « Circulaire n° 6391/SG, § 5.2 »)",
        ),
        (
            {"basis:\n" + BASIS: "basis:\n"},
            "champ « basis » vide — indiquez au moins une référence (ex. « Circulaire n° 6391/SG, § 5.2 »)",
        ),
        (
            {"family: insignia": "family: logos"},
            "champ « family » : famille inconnue « logos » ; familles possibles : " + ", ".join(FAMILY_IDS),
        ),
        (
            {"title: Clause d'essai": "title: Clause d'essai\nauteur: DAE"},
            "champ inconnu « auteur » ; champs possibles : id, family, title, version, basis, applies, derogates, "
            "variables, detect",
        ),
        (
            {"applies: {categories: [1, 2, 3], documents: [ccap]}": "applies: {categories: [1, 2, 3], documents: [dce]}"},
            "champ « applies.documents » valeur non autorisée — une liste parmi ccap, cctp, rc, ae, annex",
        ),
        (
            {"  positive:\n": "  positive:\n    - \"Une.\"\n", "    - \"Aucun usage des signes distinctifs de l'acheteur n'est permis.\"\n": "",
             "    - \"Le titulaire n'utilise pas le logo du ministère.\"\n": "",
             "    - \"Le prestataire s'interdit tout usage du logo de l'administration.\"\n": ""},
            "champ « detect.positive » vide ou trop court — au moins 3 phrases exprimant l'obligation",
        ),
        (
            {"applies:": "derogates:\n  - {article: \"art. 5\", reason: Précise.}\napplies:"},
            "champ « derogates.article » forme invalide — un numéro d'article du CCAG-TIC 2021, ex. « 5.1 »",
        ),
        (
            {"applies:": "variables:\n  délai: {type: int, description: Délai, default: 5}\napplies:"},
            "champ « variables » : nom de variable « délai » invalide : minuscules sans accents, chiffres et « _ » "
            "(ex. « delai_jours »)",
        ),
        (
            {"applies:": "variables:\n  delai: {type: int, description: Délai, default: trente}\napplies:"},
            "champ « variables.delai » : la valeur par défaut « trente » n'est pas du type « int »",
        ),
        (
            {"applies:": "variables:\n  delai: {type: int, description: Délai}\napplies:"},
            "champ « variables.delai » : donnez une valeur par défaut (« default ») ou marquez la variable "
            "« required: true »",
        ),
    ],
)
def test_schema_errors_are_one_french_line(cli, tmp_path, change, message):
    path = write_clause(tmp_path / "lib", "logos", **change)
    assert error_of(cli("clauses", "validate", tmp_path / "lib")) == f"clauselint: erreur : {path}: {message}\n"


def test_id_must_equal_file_name(cli, tmp_path):
    path = write_clause(tmp_path / "lib", "logos", name="signes")
    assert error_of(cli("clauses", "validate", tmp_path / "lib")) == (
        f"clauselint: erreur : {path}: champ « id » = « logos » mais le fichier s'appelle « signes.md » ; "
        "renommez le fichier en « logos.md » ou corrigez l'id\n"
    )


def test_malformed_yaml_names_the_line(cli, tmp_path):
    path = write_clause(tmp_path / "lib", "logos", **{"version: 1": "version: [1"})
    assert error_of(cli("clauses", "validate", tmp_path / "lib")) == (
        f"clauselint: erreur : {path}:5: YAML invalide : liste entre crochets non fermée ; ajoutez le « ] » manquant\n"
    )
    path.write_text(path.read_text(encoding="utf-8").replace("version: [1", "version: 1").replace(
        "title: Clause d'essai", "title: Clause : essai"), encoding="utf-8")
    assert error_of(cli("clauses", "validate", tmp_path / "lib")) == (
        f"clauselint: erreur : {path}:4: YAML invalide : « : » inattendu ; mettez entre guillemets une valeur "
        "qui contient « : »\n"
    )


def test_missing_front_matter(cli, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "logos.md").write_text("Le titulaire s'interdit tout usage du logo.\n", encoding="utf-8")
    assert error_of(cli("clauses", "validate", lib)) == (
        f"clauselint: erreur : {lib / 'logos.md'}: pas de bloc de métadonnées ; "
        "commencez le fichier par une ligne « --- »\n"
    )


def test_unclosed_front_matter(cli, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "logos.md").write_text("---\nid: logos\n", encoding="utf-8")
    assert error_of(cli("clauses", "validate", lib)) == (
        f"clauselint: erreur : {lib / 'logos.md'}: bloc de métadonnées non fermé ; "
        "ajoutez une ligne « --- » après les métadonnées\n"
    )


def test_duplicate_id_in_one_library(cli, tmp_path):
    first = write_clause(tmp_path / "lib" / "a", "logos")
    second = write_clause(tmp_path / "lib" / "b", "logos")
    assert error_of(cli("clauses", "list", "--library", tmp_path / "lib")) == (
        f"clauselint: erreur : {second}: identifiant « logos » déjà utilisé par {first} ; renommez l'une des deux "
        "clauses (son id et son fichier) : un id est unique dans une bibliothèque\n"
    )


def test_missing_library_folder(cli, tmp_path):
    assert error_of(cli("clauses", "list", "--library", tmp_path / "nope")) == (
        f"clauselint: erreur : {tmp_path / 'nope'}: bibliothèque introuvable ; vérifiez le chemin donné à "
        "--library ou dans la configuration\n"
    )


def test_load_library_raises_library_error(tmp_path):
    write_clause(tmp_path / "lib", "logos", **{"family: insignia": "family: logos"})
    with pytest.raises(LibraryError, match="famille inconnue « logos »"):
        load_library([tmp_path / "lib"])


# --- user libraries: --library and configuration -----------------------------------------------


def ministry_insignia(folder: Path) -> Path:
    text = (builtin_clauses_dir() / "insignia.md").read_text(encoding="utf-8")
    text = text.replace("title: Interdiction d'utiliser les signes distinctifs de l'administration",
                        "title: Interdiction d'utiliser les signes distinctifs du ministère (version ministérielle)")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "insignia.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_library_replaces_builtin_clause(cli, tmp_path, monkeypatch):
    lib = tmp_path / "ministere"
    ministry_insignia(lib)
    rows = json.loads(cli("clauses", "list", "--library", lib, "--format", "json").stdout)
    assert len(rows) == 20
    insignia = next(r for r in rows if r["id"] == "insignia")
    assert insignia["title"].endswith("(version ministérielle)")
    assert insignia["origin"] == str(lib) and insignia["replaces"] == "intégrée"
    assert next(r for r in rows if r["id"] == "steering")["origin"] == "intégrée"

    monkeypatch.setenv("COLUMNS", "300")
    lines = cli("clauses", "list", "--library", lib).stdout.splitlines()
    row = next(line for line in lines if line.startswith("│ insignia "))
    assert row.split("│")[-2].strip() == f"{lib} (remplace la clause intégrée)"
    shown = cli("clauses", "show", "insignia", "--library", lib).stdout.splitlines()
    assert shown[3] == f"Provenance : {lib} (remplace la clause intégrée)"


@pytest.mark.parametrize(
    ("config_name", "config_text"),
    [
        ("clauselint.toml", 'library = ["ministere"]\n'),
        ("pyproject.toml", '[project]\nname = "achats"\n\n[tool.clauselint]\nlibrary = ["ministere"]\n'),
    ],
)
def test_configured_library_is_found_upward(cli, tmp_path, monkeypatch, config_name, config_text):
    write_clause(tmp_path / "ministere", "logos-ministere")
    (tmp_path / config_name).write_text(config_text, encoding="utf-8")
    work = tmp_path / "dossiers" / "2024"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    rows = json.loads(cli("clauses", "list", "--format", "json").stdout)
    assert len(rows) == 21
    added = next(r for r in rows if r["id"] == "logos-ministere")
    assert added["origin"] == str((tmp_path / "ministere").resolve())


def test_pyproject_without_section_is_skipped(cli, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "autre"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rows = json.loads(cli("clauses", "list", "--format", "json").stdout)
    assert {r["id"] for r in rows} == EXPECTED_IDS


def test_docs_table_is_current(cli, root):
    doc = (root / "docs" / "clauses.md").read_text(encoding="utf-8")
    start, end = "<!-- début du tableau généré -->\n", "<!-- fin du tableau généré -->"
    embedded = doc[doc.index(start) + len(start):doc.index(end)]
    generated = cli("clauses", "list", "--format", "markdown").stdout
    assert generated.count("\n") == 22 and "| `personal-data` | data-destruction |" in generated
    assert embedded == generated, "docs/clauses.md est périmé : régénérez le tableau avec « clauselint clauses list --format markdown »"


def test_docs_example_clause_is_valid(cli, root, tmp_path):
    doc = (root / "docs" / "clauses.md").read_text(encoding="utf-8")
    example = doc.split("```markdown\n", 1)[1].split("```\n", 1)[0]
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "data-destruction.md").write_text(example, encoding="utf-8")
    result = cli("clauses", "validate", lib)
    assert result.exit_code == 0, result.stdout
    shown = cli("clauses", "show", "data-destruction", "--library", lib, "--set", "delai_jours=20").stdout
    assert "dans un délai de 20 jours." in " ".join(shown.split())
    assert f"Provenance : {lib} (remplace la clause intégrée)" in shown
