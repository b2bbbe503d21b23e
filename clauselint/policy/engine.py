"""The circular's checks on one purchase: its category's control regime and the T4xx findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clauselint import french
from clauselint.errors import PolicyError
from clauselint.policy.inputs import CONFIG_THRESHOLD_KEY, parse_amount, parse_outsourcing
from clauselint.policy.nomenclature import CATEGORY_LABELS, CATEGORY_SECTIONS, CIRCULAR, entry

# The circular's figures. Each comparison below is strict because the wording is:
# « dont le montant dépasse 9M€ » (§ 5.1), « externalisé à plus de 60% », « au-delà de 80% » (§ 5.3),
# « au-delà d'un seuil » (§ 2).
DINUM_OPINION_THRESHOLD = Decimal(9_000_000)
OUTSOURCING_AT_RISK = Decimal("0.6")
OUTSOURCING_CANNOT_START = Decimal("0.8")

DECREE_2019_1088 = "décret n° 2019-1088 du 25 octobre 2019"
CIRCULAR_2022 = "circulaire n° 6329/SG du 19 janvier 2022"

# Every code this engine can report; the rule catalogue (clauselint/rules/catalog) gives each
# its name and severity, so a code is named and ranked in one place only.
RULE_CODES = ("T401", "T402", "T403", "T404", "T405", "T406", "T407", "T408")

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Obligation:
    """One duty of the control regime, in French, with where the circular sets it."""

    text: str
    basis: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "basis": self.basis}


@dataclass(frozen=True)
class PolicyFinding:
    """A situation of the purchase that the circular attaches a consequence to (a T4xx rule)."""

    code: str
    name: str
    severity: str  # "error" | "warning" | "info"
    message: str  # French
    basis: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "severity": self.severity, "message": self.message, "basis": self.basis}


@dataclass
class Assessment:
    code: str
    category: int
    category_label: str
    nomenclature_label: str
    nomenclature_short: str
    amount: Decimal | None = None
    project_amount: Decimal | None = None
    outsourcing: Decimal | None = None
    pro_bono: bool = False
    a_priori_threshold: Decimal | None = None
    regime: list[Obligation] = field(default_factory=list)
    findings: list[PolicyFinding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "nomenclature_label": self.nomenclature_label,
            "nomenclature_short": self.nomenclature_short,
            "category": self.category,
            "category_label": self.category_label,
            "amount": _json_number(self.amount),
            "project_amount": _json_number(self.project_amount),
            "outsourcing": _json_number(self.outsourcing),
            "pro_bono": self.pro_bono,
            "a_priori_threshold": _json_number(self.a_priori_threshold),
            "regime": [o.to_dict() for o in self.regime],
            "findings": [f.to_dict() for f in self.findings],
        }


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _project_amount(value: Decimal) -> str:
    # The circular's 9 M€ is « le montant » of the project, neither HT nor TTC: print no suffix.
    return french.amount(value, suffix="")


def _circ(section: str) -> str:
    return f"{CIRCULAR}, {section}"


def _finding(code: str, message: str, basis: str) -> PolicyFinding:
    from clauselint.rules.registry import get_rule

    rule = get_rule(code)
    return PolicyFinding(code=code, name=rule.name, severity=rule.severity, message=message, basis=basis)


def _how_to_set_threshold() -> str:
    return (
        f"fixez-le avec la clé « {CONFIG_THRESHOLD_KEY} » de clauselint.toml (ou de [tool.clauselint] "
        "dans pyproject.toml) ou avec l'option --seuil-controle-a-priori"
    )


def _regime(category: int, threshold: Decimal | None) -> list[Obligation]:
    section = CATEGORY_SECTIONS[category]
    common = [
        Obligation(
            "Suivre la commande sous le groupe de marchandises de la nomenclature des achats de l'État "
            "qui correspond strictement à la prestation prévue.",
            _circ("§ 1"),
        ),
    ]
    if category == 1:
        if threshold is None:
            threshold_text = f"non renseigné ; {_how_to_set_threshold()}"
        else:
            threshold_text = french.amount(threshold)
        specific = [
            Obligation(
                "Appliquer le dispositif ministériel d'engagement de prestation intellectuelle prévu au 1.a "
                f"de la {CIRCULAR_2022}.",
                f"{_circ(section)} ; {CIRCULAR_2022}, 1.a",
            ),
            Obligation(
                "Contrôle a priori des prestations au-delà du seuil fixé par le secrétaire général du ministère ; "
                f"seuil : {threshold_text}.",
                _circ(section),
            ),
            Obligation(
                "Publier chaque année la liste des commandes de cette catégorie : objet, date et montant de la "
                "prestation, nom du cabinet qui l'a effectuée.",
                _circ(section),
            ),
            Obligation(
                "Pilotage intégralement assuré par l'administration, jamais délégué au prestataire, formalisé "
                "et suivi en comités réguliers entre l'administration et le prestataire.",
                _circ(section),
            ),
            Obligation(
                "Aucun doute sur la qualité de prestataires externes des consultants, au sein de l'administration "
                "comme vis-à-vis des tiers ; leurs productions mentionnent explicitement leur provenance.",
                _circ(section),
            ),
            Obligation(
                "Déport formalisé de toute personne ayant un lien d'intérêt et prenant des décisions liées à la "
                "prestation ; code de conduite et attestations sur l'honneur d'absence de conflit d'intérêts "
                "des personnes mobilisées demandés au prestataire.",
                _circ(section),
            ),
        ]
    elif category == 2:
        specific = [
            Obligation(
                "Disposer de compétences internes suffisantes pour piloter la prestation.",
                _circ(section),
            ),
            Obligation(
                "Contrôle a posteriori, par le dispositif ministériel d'engagement de prestations intellectuelles, "
                "du volume global des prestations effectuées.",
                _circ(section),
            ),
            Obligation(
                "Prestations de cybersécurité (audit, réponse à incident, diagnostic) : maintenir une maîtrise "
                "étroite ; le ministère reste responsable de la sécurité de ses systèmes d'information.",
                _circ("annexe, note 2"),
            ),
        ]
    else:
        specific = [
            Obligation(
                "Pilotage et encadrement sous la responsabilité du directeur du numérique du ministère, qui en "
                "rend compte chaque année au secrétaire général.",
                _circ(section),
            ),
        ]
    standard_clauses = Obligation(
        "Intégrer au marché les clauses types : interdiction des signes distinctifs de l'administration, "
        "mention de l'intervention des consultants, prévention des conflits d'intérêts, méthodes agiles, "
        "évaluation de la prestation, cybersécurité et destruction des données.",
        _circ("§ 5.2"),
    )
    return [*specific, *common, standard_clauses]


def assess(
    code: str,
    amount: object = None,
    project_amount: object = None,
    outsourcing: object = None,
    pro_bono: bool = False,
    a_priori_threshold: object = None,
) -> Assessment:
    """Classify a purchase and check it against the circular.

    ``amount`` is the order's amount and ``project_amount`` the whole project's, in euros excluding
    VAT (numbers or texts such as « 1,5 M€ »); ``outsourcing`` is the share of the project's steering
    or delivery that is outsourced (0.65 or « 65 % »); ``a_priori_threshold`` is the amount above which
    the ministry's secretary general requires an a-priori control of category 1 services.
    """
    nomenclature = entry(code)
    category = nomenclature.category
    order = parse_amount(amount, "montant de la commande") if amount is not None else None
    project = parse_amount(project_amount, "montant total du projet", excluding_tax=False) if project_amount is not None else None
    rate = parse_outsourcing(outsourcing, "taux d'externalisation") if outsourcing is not None else None
    threshold = (
        parse_amount(a_priori_threshold, "seuil de contrôle a priori") if a_priori_threshold is not None else None
    )
    if not isinstance(pro_bono, bool):
        raise PolicyError(f"pro bono : « {pro_bono} » n'est pas un booléen (true ou false)")
    if order is not None and project is not None and order > project:
        raise PolicyError(
            f"le montant de la commande ({french.amount(order)}) dépasse le montant total du projet "
            f"({_project_amount(project)}) ; vérifiez les deux montants"
        )

    findings: list[PolicyFinding] = []
    if project is not None and project > DINUM_OPINION_THRESHOLD:
        findings.append(_finding(
            "T401",
            f"le montant total du projet ({_project_amount(project)}) dépasse "
            f"{_project_amount(DINUM_OPINION_THRESHOLD)} ; "
            "saisissez la DINUM pour avis conforme dès la phase de cadrage, et en tout cas avant toute commande "
            "ou phase de contractualisation propre au projet",
            f"{_circ('§ 5.1')} ; {DECREE_2019_1088}, art. 3",
        ))
    if rate is not None and rate > OUTSOURCING_CANNOT_START:
        findings.append(_finding(
            "T403",
            f"pilotage ou réalisation externalisé à {french.percent(rate)} (au-delà de "
            f"{french.percent(OUTSOURCING_CANNOT_START)}) ; le projet ne peut pas démarrer dans des conditions "
            "de maîtrise satisfaisantes ; réinternalisez une part du pilotage ou de la réalisation avant de lancer l'achat",
            _circ("§ 5.3"),
        ))
    elif rate is not None and rate > OUTSOURCING_AT_RISK:
        findings.append(_finding(
            "T402",
            f"pilotage ou réalisation externalisé à {french.percent(rate)} (plus de "
            f"{french.percent(OUTSOURCING_AT_RISK)}) ; projet à considérer à risque, à suivre de manière plus "
            "approfondie, avec le recrutement d'une équipe de direction expérimentée",
            _circ("§ 5.3"),
        ))
    if pro_bono:
        findings.append(_finding(
            "T404",
            "mission pro bono (à titre gracieux) ; elle doit être dûment autorisée par le secrétaire général "
            "du ministère et ne donner lieu à aucune contrepartie",
            _circ("§ 5.2"),
        ))
        if order is not None and order > 0:
            findings.append(_finding(
                "T405",
                f"mission déclarée pro bono mais commandée pour {french.amount(order)} ; une mission pro bono ne "
                "donne lieu à aucune contrepartie ; ramenez le montant à 0 ou retirez la mention pro bono",
                _circ("§ 5.2"),
            ))
    if category == 1:
        if threshold is None:
            findings.append(_finding(
                "T407",
                "seuil de contrôle a priori du ministère non renseigné ; impossible de dire si cette commande "
                f"relève du contrôle a priori ; {_how_to_set_threshold()}",
                _circ("§ 2"),
            ))
        elif order is not None and order > threshold:
            findings.append(_finding(
                "T406",
                f"commande de 1re catégorie de {french.amount(order)}, au-delà du seuil de "
                f"{french.amount(threshold)} fixé par le secrétaire général ; contrôle a priori requis "
                "avant l'engagement",
                f"{_circ('§ 2')} ; {CIRCULAR_2022}, 1.a",
            ))
        findings.append(_finding(
            "T408",
            "commande de 1re catégorie, à inscrire dans la liste que le ministère publie chaque année "
            "(objet, date, montant, nom du cabinet) ; conservez ces informations",
            _circ("§ 2"),
        ))

    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.code))
    return Assessment(
        code=nomenclature.code,
        category=category,
        category_label=CATEGORY_LABELS[category],
        nomenclature_label=nomenclature.label,
        nomenclature_short=nomenclature.short,
        amount=order,
        project_amount=project,
        outsourcing=rate,
        pro_bono=pro_bono,
        a_priori_threshold=threshold,
        regime=_regime(category, threshold),
        findings=findings,
    )
