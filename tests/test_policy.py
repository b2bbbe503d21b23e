"""The policy engine against the circular's text: annex codes, spellings, regimes, every boundary."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from clauselint.config import Config
from clauselint.errors import ConfigError, PolicyError
from clauselint.policy import (
    NOMENCLATURE,
    Assessment,
    Obligation,
    PolicyFinding,
    assess,
    category_of,
    configured_a_priori_threshold,
    normalize_code,
    parse_amount,
    parse_outsourcing,
)

# The annex of circular n° 6391/SG, typed from the signed text (OCR slips corrected).
ANNEX = [
    ("33.04.01", 1, "Audit et conseil stratégie SI"),
    ("33.04.02", 2, "Conseil urbanisation"),
    ("33.04.03", 2, "Expertises techniques"),
    ("33.04.04", 2, "Conseil qualité et méthode"),
    ("33.04.05", 2, "Étude projet applicatif"),
    ("33.04.06", 3, "Forfait de développement"),
    ("33.04.08", 3, "Prestation de numérisation (tout type)"),
    ("33.04.09", 3, "Tierce maintenance applicative (TMA)"),
    ("33.04.10", 3, "Tierce recette applicative (TRA)"),
    ("33.04.11", 3, "Forfait services projet applicatif (ingénierie de projet)"),
    ("33.04.12", 3, "Autre maintenance informatique (hors TMA)"),
    ("33.04.13", 3, "Prestation d'installation matériel"),
    ("33.04.14", 3, "Supervision exploitation serveurs"),
    ("33.04.15", 3, "Support utilisateurs (hotline, helpdesk)"),
]

NOT_IN_ANNEX = (
    "le code {} n'est pas un code de prestation intellectuelle informatique de l'annexe de la circulaire "
    "n° 6391/SG ; codes valides : 33.04.01 (1re catégorie), 33.04.02 à 33.04.05 (2e catégorie), "
    "33.04.06 et 33.04.08 à 33.04.15 (3e catégorie)"
)
MALFORMED = (
    "{} mal formé : attendu un code de la nomenclature des achats de l'État à six chiffres, "
    "ex. 33.04.01 (ou 330401, 33 04 01)"
)
NBSP = "\u00a0"


def codes(result: Assessment) -> list[str]:
    return [f.code for f in result.findings]


# --- nomenclature ------------------------------------------------------------------------------

def test_nomenclature_is_exactly_the_annex():
    assert [(e.code, e.category, e.label) for e in NOMENCLATURE.values()] == ANNEX


@pytest.mark.parametrize(("code", "category", "label"), ANNEX)
def test_every_annex_code(code, category, label):
    assert category_of(code) == category
    result = assess(code=code)
    assert (result.code, result.category, result.nomenclature_label) == (code, category, label)
    expected_label = {
        1: "Conseil en stratégie numérique (1re catégorie)",
        2: "Appuis et expertises techniques (2e catégorie)",
        3: "Réalisations informatiques (3e catégorie)",
    }[category]
    assert result.category_label == expected_label


@pytest.mark.parametrize("spelling", ["330406", "33 04 06", "33.04.06", "33,04.06", " 33.04.06 ", f"33{NBSP}04{NBSP}06"])
def test_accepted_spellings(spelling):
    assert normalize_code(spelling) == "33.04.06"
    assert category_of(spelling) == 3


@pytest.mark.parametrize("garbage", ["abc", "33.04", "33-04-06", "3304061", "33.04.6", "", "33..04.06", "33 0406"])
def test_malformed_codes(garbage):
    with pytest.raises(PolicyError) as excinfo:
        normalize_code(garbage)
    shown = f"code « {garbage} »" if garbage else "code vide"
    assert str(excinfo.value) == MALFORMED.format(shown)


@pytest.mark.parametrize(("raw", "normalized"), [("33.04.07", "33.04.07"), ("330407", "33.04.07"), ("33.04.16", "33.04.16"), ("33.03.01", "33.03.01")])
def test_codes_outside_the_annex(raw, normalized):
    with pytest.raises(PolicyError) as excinfo:
        category_of(raw)
    assert str(excinfo.value) == NOT_IN_ANNEX.format(normalized)
    with pytest.raises(PolicyError):
        assess(code=raw)


# --- regime by category --------------------------------------------------------------------------

def test_category_1_regime():
    result = assess(code="33.04.01", a_priori_threshold=150000)
    texts = [o.text for o in result.regime]
    assert all(isinstance(o, Obligation) and o.basis for o in result.regime)
    assert result.regime[0].basis == (
        "Circulaire n° 6391/SG du 7 février 2023, § 2 ; circulaire n° 6329/SG du 19 janvier 2022, 1.a"
    )
    assert "dispositif ministériel d'engagement" in texts[0]
    assert texts[1] == (
        "Contrôle a priori des prestations au-delà du seuil fixé par le secrétaire général du ministère ; "
        f"seuil : 150{NBSP}000{NBSP}€ HT."
    )
    assert any("objet, date et montant de la prestation, nom du cabinet" in t for t in texts)
    assert any("intégralement assuré par l'administration" in t and "comités réguliers" in t for t in texts)
    assert any("code de conduite" in t and "attestations sur l'honneur" in t for t in texts)
    assert not any("a posteriori" in t for t in texts)


def test_category_1_regime_without_threshold_says_how_to_set_it():
    result = assess(code="33.04.01")
    assert result.regime[1].text == (
        "Contrôle a priori des prestations au-delà du seuil fixé par le secrétaire général du ministère ; "
        "seuil : non renseigné ; fixez-le avec la clé « a_priori_threshold » de clauselint.toml "
        "(ou de [tool.clauselint] dans pyproject.toml) ou avec l'option --seuil-controle-a-priori."
    )


def test_category_2_regime():
    texts = [o.text for o in assess(code="33.04.03").regime]
    assert texts[0] == "Disposer de compétences internes suffisantes pour piloter la prestation."
    assert "a posteriori" in texts[1] and "volume global" in texts[1]
    assert "cybersécurité" in texts[2]
    assert assess(code="33.04.03").regime[2].basis == "Circulaire n° 6391/SG du 7 février 2023, annexe, note 2"
    assert not any("a priori" in t for t in texts)


def test_category_3_regime():
    result = assess(code="33.04.09")
    assert result.regime[0].text == (
        "Pilotage et encadrement sous la responsabilité du directeur du numérique du ministère, "
        "qui en rend compte chaque année au secrétaire général."
    )
    assert result.regime[0].basis == "Circulaire n° 6391/SG du 7 février 2023, § 4"


@pytest.mark.parametrize("code", ["33.04.01", "33.04.02", "33.04.06"])
def test_every_category_tracks_the_strict_code_and_the_standard_clauses(code):
    bases = [o.basis for o in assess(code=code).regime]
    assert "Circulaire n° 6391/SG du 7 février 2023, § 1" in bases
    assert "Circulaire n° 6391/SG du 7 février 2023, § 5.2" in bases


# --- project thresholds: boundaries follow the wording ------------------------------------------

@pytest.mark.parametrize(
    ("project", "triggered"),
    [(9_000_000, False), ("9 M€", False), ("9 M€ TTC", False), (9_000_001, True), ("9 000 000,01", True),
     (12_000_000, True), ("12 M€ HT", True), (None, False)],
)
def test_dinum_opinion_above_9_million_only(project, triggered):
    result = assess(code="33.04.06", project_amount=project)
    assert ("T401" in codes(result)) is triggered


def test_dinum_finding_text():
    (finding,) = assess(code="33.04.06", project_amount=9_000_001).findings
    assert finding == PolicyFinding(
        code="T401",
        name="dinum-opinion-required",
        severity="warning",
        message=f"le montant total du projet (9{NBSP}000{NBSP}001{NBSP}€) dépasse 9{NBSP}000{NBSP}000{NBSP}€ ; "
        "saisissez la DINUM pour avis conforme dès la phase de cadrage, et en tout cas avant toute commande "
        "ou phase de contractualisation propre au projet",
        basis="Circulaire n° 6391/SG du 7 février 2023, § 5.1 ; décret n° 2019-1088 du 25 octobre 2019, art. 3",
    )


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (0.6, []),
        ("60 %", []),
        ("60%", []),
        (0.601, ["T402"]),
        ("60,1 %", ["T402"]),
        (0.65, ["T402"]),
        (0.8, ["T402"]),
        ("80 %", ["T402"]),
        (0.801, ["T403"]),
        ("80,1 %", ["T403"]),
        (1, ["T403"]),
        (0, []),
    ],
)
def test_outsourcing_boundaries(rate, expected):
    assert codes(assess(code="33.04.06", outsourcing=rate)) == expected


def test_outsourcing_findings_text_and_severity():
    (at_risk,) = assess(code="33.04.06", outsourcing=0.65).findings
    assert (at_risk.severity, at_risk.message) == (
        "warning",
        f"pilotage ou réalisation externalisé à 65{NBSP}% (plus de 60{NBSP}%) ; projet à considérer à risque, "
        "à suivre de manière plus approfondie, avec le recrutement d'une équipe de direction expérimentée",
    )
    (blocked,) = assess(code="33.04.06", outsourcing="85 %").findings
    assert blocked.severity == "error"
    assert blocked.message.startswith(f"pilotage ou réalisation externalisé à 85{NBSP}% (au-delà de 80{NBSP}%) ; "
                                      "le projet ne peut pas démarrer dans des conditions de maîtrise satisfaisantes")
    assert assess(code="33.04.06", outsourcing="85 %").has_errors
    assert not assess(code="33.04.06", outsourcing="80 %").has_errors


# --- pro bono ---------------------------------------------------------------------------------------

def test_pro_bono_needs_authorisation():
    result = assess(code="33.04.04", pro_bono=True, amount=0)
    assert codes(result) == ["T404"]
    assert result.findings[0].message == (
        "mission pro bono (à titre gracieux) ; elle doit être dûment autorisée par le secrétaire général "
        "du ministère et ne donner lieu à aucune contrepartie"
    )
    assert result.findings[0].basis == "Circulaire n° 6391/SG du 7 février 2023, § 5.2"
    assert codes(assess(code="33.04.04", pro_bono=True)) == ["T404"]


def test_paid_pro_bono_is_an_error():
    result = assess(code="33.04.04", pro_bono=True, amount="20 k€")
    assert codes(result) == ["T405", "T404"]  # errors first
    assert result.has_errors


def test_not_pro_bono():
    assert codes(assess(code="33.04.04", amount=20000)) == []


# --- category 1: a-priori threshold, yearly publication -----------------------------------------

@pytest.mark.parametrize(("amount", "expected"), [(150_000, ["T408"]), (150_001, ["T406", "T408"]), (None, ["T408"]), (0, ["T408"])])
def test_a_priori_control_strictly_above_the_threshold(amount, expected):
    assert codes(assess(code="33.04.01", amount=amount, a_priori_threshold=150_000)) == expected


def test_a_priori_control_message():
    result = assess(code="33.04.01", amount="450 k€", a_priori_threshold="150 000")
    assert result.findings[0].message == (
        f"commande de 1re catégorie de 450{NBSP}000{NBSP}€ HT, au-delà du seuil de 150{NBSP}000{NBSP}€ HT fixé par "
        "le secrétaire général ; contrôle a priori requis avant l'engagement"
    )


def test_unknown_threshold_is_reported_for_category_1_only():
    assert codes(assess(code="33.04.01", amount=450_000)) == ["T407", "T408"]
    assert codes(assess(code="33.04.02", amount=450_000)) == []
    assert codes(assess(code="33.04.02", amount=450_000, a_priori_threshold=1)) == []


def test_the_example_of_the_brief():
    a = assess(code="33.04.01", amount=450000, project_amount=12_000_000, outsourcing=0.65, pro_bono=False, a_priori_threshold=None)
    assert (a.code, a.category, a.category_label, a.nomenclature_label) == (
        "33.04.01", 1, "Conseil en stratégie numérique (1re catégorie)", "Audit et conseil stratégie SI",
    )
    assert codes(a) == ["T401", "T402", "T407", "T408"]
    assert [f.severity for f in a.findings] == ["warning", "warning", "info", "info"]
    data = a.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert (data["amount"], data["project_amount"], data["outsourcing"], data["a_priori_threshold"]) == (450000, 12000000, 0.65, None)
    assert data["findings"][0] == {
        "code": "T401", "name": "dinum-opinion-required", "severity": "warning",
        "message": a.findings[0].message, "basis": a.findings[0].basis,
    }
    assert data["regime"][0] == {"text": a.regime[0].text, "basis": a.regime[0].basis}


def test_order_larger_than_project_is_refused():
    with pytest.raises(PolicyError) as excinfo:
        assess(code="33.04.06", amount="2 M€", project_amount="1 M€")
    # The one-line error keeps French typography (no-break spaces in amounts).
    assert str(excinfo.value).replace("\u00a0", " ") == (
        "le montant de la commande (2 000 000 € HT) dépasse le montant total du projet "
        "(1 000 000 €) ; vérifiez les deux montants"
    )
    assert "2\u00a0000\u00a0000\u00a0€" in str(excinfo.value)


# --- reading amounts and rates -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("450000", Decimal(450000)),
        ("450 000", Decimal(450000)),
        (f"450{NBSP}000", Decimal(450000)),
        ("9M", Decimal(9_000_000)),
        ("9 M€", Decimal(9_000_000)),
        ("1,5 M€", Decimal(1_500_000)),
        ("1.5M", Decimal(1_500_000)),
        ("450k", Decimal(450000)),
        ("450 k€", Decimal(450000)),
        ("9 000 000 € HT", Decimal(9_000_000)),
        ("12 000 000,50 €", Decimal("12000000.50")),
        (f"1{NBSP}234{NBSP}567", Decimal(1234567)),
        ("2 Md€", Decimal(2_000_000_000)),
        ("12 millions", Decimal(12_000_000)),
        ("1234,56", Decimal("1234.56")),
        (450000, Decimal(450000)),
        (0.5, Decimal("0.50")),
        ("0", Decimal(0)),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "--montant : montant « abc » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        ("9 MM", "--montant : montant « 9 MM » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        ("", "--montant : montant « » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        ("45 0000", "--montant : montant « 45 0000 » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        ("1 5 M€", "--montant : montant « 1 5 M€ » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
        ("450.000", "--montant : montant « 450.000 » ambigu (séparateur décimal ou de milliers ?) : écrivez les "
                    "milliers avec des espaces (450 000) ou sans séparateur (450000)"),
        ("1 M€ TTC", "--montant : montant « 1 M€ TTC » toutes taxes comprises : indiquez le montant hors taxes"),
        (-5, "--montant : montant négatif (-5) : indiquez un montant positif ou nul"),
        (True, "--montant : « True » n'est pas un montant (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"),
    ],
)
def test_parse_amount_errors_name_the_input(text, message):
    with pytest.raises(PolicyError) as excinfo:
        parse_amount(text, "--montant")
    assert str(excinfo.value) == message


def test_project_amount_may_be_stated_with_or_without_taxes():
    assert parse_amount("12 M€ TTC", excluding_tax=False) == Decimal(12_000_000)
    assert parse_amount("12 M€ HT", excluding_tax=False) == Decimal(12_000_000)
    with pytest.raises(PolicyError):
        assess(code="33.04.06", amount="1 M€ TTC")


@pytest.mark.parametrize(("value", "ratio"), [(0.65, "0.65"), ("65 %", "0.65"), ("65%", "0.65"), ("0,65", "0.65"), ("60,1 %", "0.601"), (1, "1"), ("100 %", "1"), (0, "0")])
def test_parse_outsourcing(value, ratio):
    assert parse_outsourcing(value) == Decimal(ratio)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (65, "taux d'externalisation « 65 » hors de 0 à 100 % : donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
        ("65", "taux d'externalisation « 65 » hors de 0 à 100 % : donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
        ("120 %", "taux d'externalisation « 120 % » hors de 0 à 100 % : donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
        (-0.1, "taux d'externalisation « -0.1 » hors de 0 à 100 % : donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
        ("beaucoup", "taux d'externalisation « beaucoup » illisible : donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"),
    ],
)
def test_parse_outsourcing_errors(value, message):
    with pytest.raises(PolicyError) as excinfo:
        parse_outsourcing(value)
    assert str(excinfo.value) == message
    with pytest.raises(PolicyError):
        assess(code="33.04.06", outsourcing=value)


# --- the threshold in the configuration ----------------------------------------------------------

def test_configured_threshold(tmp_path):
    path = tmp_path / "clauselint.toml"
    assert configured_a_priori_threshold(Config(path=path, values={})) is None
    assert configured_a_priori_threshold(Config(path=path, values={"a_priori_threshold": 150000})) == Decimal(150000)
    assert configured_a_priori_threshold(Config(path=path, values={"a_priori_threshold": "150 k€"})) == Decimal(150000)
    with pytest.raises(ConfigError) as excinfo:
        configured_a_priori_threshold(Config(path=path, values={"a_priori_threshold": "beaucoup"}))
    assert str(excinfo.value) == (
        f"{path}: « a_priori_threshold » : montant « beaucoup » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€) ; "
        "ex. a_priori_threshold = 150000 ou a_priori_threshold = \"150 k€\""
    )
