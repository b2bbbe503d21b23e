"""The tender spec's schema (French keys), validated with pydantic: unknown fields are errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

# The wording of each enumerated value in the documents lives in clauselint/assemble/facts.py.

_TRUE = {"oui", "true", "vrai", "yes", "o", "1"}
_FALSE = {"non", "false", "faux", "no", "n", "0"}


def _french_bool(value: Any) -> Any:
    """Accept « oui » / « non » as YAML booleans, as French users write them."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


def _strip(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _amount(value: Any) -> Any:
    """An amount HT as people write it (450000, « 450 k€ », « 1,5 M€ »), read by the policy engine's parser."""
    if value is None or isinstance(value, Decimal):
        return value
    from clauselint.errors import PolicyError
    from clauselint.policy import parse_amount

    try:
        return parse_amount(value)
    except PolicyError as exc:
        raise ValueError(exc.message) from None


def _rate(value: Any) -> Any:
    if value is None or isinstance(value, Decimal):
        return value
    from clauselint.errors import PolicyError
    from clauselint.policy import parse_outsourcing

    try:
        return parse_outsourcing(value)
    except PolicyError as exc:
        raise ValueError(exc.message) from None


Bool = Annotated[bool, BeforeValidator(_french_bool)]
Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=600)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
Rate = Annotated[Decimal, BeforeValidator(_rate)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Acheteur(_Section):
    """The buyer: ministry, department, address, signatory."""

    ministere: Text
    designation: Text | None = None
    direction: Text
    service: Text | None = None
    adresse: Text
    signataire: Text
    comptable: Text | None = None
    profil_acheteur: Text | None = None
    seuil_controle_a_priori_ht: Amount | None = None

    @property
    def name(self) -> str:
        """The ministry as a heading: first letter upper-cased (« Ministère de l'Intérieur »)."""
        return self.ministere[:1].upper() + self.ministere[1:]

    @property
    def in_text(self) -> str:
        """How the clauses name the buyer inside a sentence (« le ministère de l'Intérieur »)."""
        if self.designation:
            return self.designation
        lower = self.ministere[:1].lower() + self.ministere[1:]
        if lower.startswith("ministère"):
            return f"le {lower}"
        return lower


class Consultation(_Section):
    reference: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=60)]
    objet: Text
    procedure: Literal[
        "appel-offres-ouvert", "appel-offres-restreint", "procedure-adaptee", "procedure-avec-negociation",
        "dialogue-competitif",
    ]
    date: dt.date | None = None
    date_limite_offres: Text | None = None


class Lot(_Section):
    numero: int = Field(ge=1, le=99)
    intitule: Text
    montant_estime_ht: Amount | None = None


class Marche(_Section):
    code_nomenclature: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, float) else v)]
    montant_estime_ht: Amount
    montant_maximum_ht: Amount | None = None
    forme: Literal["marche-unique", "accord-cadre-bons-de-commande", "accord-cadre-marches-subsequents"]
    duree_mois: int = Field(ge=1, le=120)
    reconductions: int = Field(default=0, ge=0, le=10)
    reconduction: Literal["tacite", "expresse"] = "tacite"
    duree_reconduction_mois: int | None = Field(default=None, ge=1, le=120)
    pro_bono: Bool = False
    lots: list[Lot] = Field(default_factory=list)

    @field_validator("code_nomenclature")
    @classmethod
    def _known_code(cls, value: str) -> str:
        from clauselint.errors import PolicyError
        from clauselint.policy import category_of, normalize_code

        try:
            code = normalize_code(value)
            category_of(code)
        except PolicyError as exc:
            raise ValueError(exc.message) from None
        return code

    @field_validator("lots")
    @classmethod
    def _distinct_lots(cls, lots: list[Lot]) -> list[Lot]:
        numbers = [lot.numero for lot in lots]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise ValueError(f"numéro de lot en double : {', '.join(map(str, duplicates))} ; numérotez les lots 1, 2, 3…")
        if len(lots) == 1:
            raise ValueError("un seul lot : supprimez la section « lots » (un marché sans lot) ou ajoutez les autres lots")
        return sorted(lots, key=lambda lot: lot.numero)

    @property
    def renewal_months(self) -> int:
        return self.duree_reconduction_mois or self.duree_mois

    @property
    def total_months(self) -> int:
        return self.duree_mois + self.reconductions * self.renewal_months


class UniteOeuvre(_Section):
    code: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=20)]
    libelle: Text
    description: Text | None = None


class Execution(_Section):
    agile: Bool
    unites_oeuvre: list[UniteOeuvre] = Field(default_factory=list)
    donnees_personnelles: Bool
    hebergement: Literal["sans-objet", "chez-l-acheteur", "chez-le-titulaire", "cloud-secnumcloud"]
    niveau_securite: Literal["standard", "sensible", "diffusion-restreinte"] = "standard"



class Critere(_Section):
    critere: Text
    ponderation: int = Field(ge=1, le=100)
    sous_criteres: list[Text] = Field(default_factory=list)


class Projet(_Section):
    montant_total_ht: Amount
    taux_externalisation: Rate | None = None


class ProprieteIntellectuelle(_Section):
    # The CCAG-TIC 2021 chapter 7 option; the intellectual-property clause declares the allowed values.
    option: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=40)]


class TenderSpec(_Section):
    """The whole spec: one YAML file from which the package is assembled."""

    acheteur: Acheteur
    consultation: Consultation
    marche: Marche
    execution: Execution
    criteres: list[Critere] = Field(min_length=1)
    projet: Projet | None = None
    propriete_intellectuelle: ProprieteIntellectuelle | None = None
    variables: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("criteres")
    @classmethod
    def _weights_total_100(cls, criteres: list[Critere]) -> list[Critere]:
        total = sum(c.ponderation for c in criteres)
        if total != 100:
            raise ValueError(f"les pondérations totalisent {total} %, elles doivent totaliser 100 %")
        names = [c.critere.lower() for c in criteres]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"critère en double : {', '.join(duplicates)}")
        return criteres

    def conditions(self) -> dict[str, bool]:
        """The clause library's conditions (``applies.when``) for this tender."""
        return {
            "agile": self.execution.agile,
            "personal_data": self.execution.donnees_personnelles,
            "pro_bono": self.marche.pro_bono,
        }

    def consistency_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Checks across fields, each with the location of the field to fix (the loader adds its line)."""
        from clauselint import french

        problems: list[tuple[tuple[str | int, ...], str]] = []
        marche, execution = self.marche, self.execution
        if marche.montant_maximum_ht is not None:
            if marche.forme == "marche-unique":
                problems.append((
                    ("marche", "montant_maximum_ht"),
                    "un montant maximum ne vaut que pour un accord-cadre ; retirez-le ou changez « forme »",
                ))
            elif marche.montant_maximum_ht < marche.montant_estime_ht:
                problems.append((
                    ("marche", "montant_maximum_ht"),
                    f"le montant maximum ({french.amount(marche.montant_maximum_ht)}) est inférieur au montant "
                    f"estimé ({french.amount(marche.montant_estime_ht)}) ; corrigez l'un des deux",
                ))
        amounts = [lot.montant_estime_ht for lot in marche.lots]
        if amounts and all(a is not None for a in amounts) and sum(amounts) != marche.montant_estime_ht:
            problems.append((
                ("marche", "lots"),
                f"les montants des lots totalisent {french.amount(sum(amounts))} mais le montant estimé du "
                f"marché est {french.amount(marche.montant_estime_ht)} ; mettez-les en accord",
            ))
        if execution.agile and not execution.unites_oeuvre:
            problems.append((
                ("execution", "agile"),
                "un marché agile se commande en unités d'œuvre : ajoutez « unites_oeuvre » "
                "(ex. - {code: UO1, libelle: Sprint de deux semaines})",
            ))
        if not execution.agile and execution.unites_oeuvre:
            problems.append((
                ("execution", "unites_oeuvre"),
                "les unités d'œuvre ne valent que pour un marché agile : retirez-les ou mettez « agile: oui »",
            ))
        codes = [u.code for u in execution.unites_oeuvre]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            problems.append((("execution", "unites_oeuvre"), f"code d'unité d'œuvre en double : {', '.join(duplicates)}"))
        if self.projet is not None and marche.montant_estime_ht > self.projet.montant_total_ht:
            problems.append((
                ("projet", "montant_total_ht"),
                f"le montant total du projet ({french.amount(self.projet.montant_total_ht)}) est inférieur au "
                f"montant estimé du marché ({french.amount(marche.montant_estime_ht)}) ; vérifiez les deux montants",
            ))
        return problems
