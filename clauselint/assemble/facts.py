"""The tender's values as they read in every document: one formatting, so each shows identically everywhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from clauselint import french
from clauselint.library.render import capitalize_first, preposition_de

if TYPE_CHECKING:
    from clauselint.policy import Assessment
    from clauselint.spec import TenderSpec

# The procedures and forms with their article, so « de » contracts properly (« du dialogue compétitif »).
PROCEDURE_NAMES = {
    "appel-offres-ouvert": "l'appel d'offres ouvert",
    "appel-offres-restreint": "l'appel d'offres restreint",
    "procedure-adaptee": "la procédure adaptée",
    "procedure-avec-negociation": "la procédure avec négociation",
    "dialogue-competitif": "le dialogue compétitif",
}

FORM_NAMES = {
    "marche-unique": "marché ordinaire",
    "accord-cadre-bons-de-commande": "accord-cadre exécuté par bons de commande",
    "accord-cadre-marches-subsequents": "accord-cadre donnant lieu à la conclusion de marchés subséquents",
}

HOSTING = {
    "sans-objet": "Aucun hébergement n'est demandé au titulaire.",
    "chez-l-acheteur": "Les données et les applications sont hébergées sur les infrastructures de l'acheteur ; "
    "le titulaire y accède selon les modalités définies par l'acheteur.",
    "chez-le-titulaire": "Les données et les applications sont hébergées par le titulaire, sur les infrastructures "
    "qu'il décrit dans son offre.",
    "cloud-secnumcloud": "Les données et les applications sont hébergées dans une offre d'informatique en nuage "
    "qualifiée SecNumCloud par l'Agence nationale de la sécurité des systèmes d'information (ANSSI).",
}

SECURITY_LEVELS = {
    "standard": "standard",
    "sensible": "sensible",
    "diffusion-restreinte": "Diffusion Restreinte",
}


def _times(count: int) -> str:
    return "une fois" if count == 1 else f"{count} fois"


@dataclass
class Facts:
    spec: "TenderSpec"
    assessment: "Assessment"
    edition_date: dt.date

    # --- the buyer
    @property
    def buyer_name(self) -> str:
        return self.spec.acheteur.name

    @property
    def buyer(self) -> str:
        """In a sentence: « le ministère de l'Intérieur et des Outre-mer »."""
        return self.spec.acheteur.in_text

    @property
    def buyer_lines(self) -> list[str]:
        a = self.spec.acheteur
        return [line for line in (a.direction, a.service, a.adresse) if line]

    # --- the consultation
    @property
    def reference(self) -> str:
        return self.spec.consultation.reference

    @property
    def object(self) -> str:
        return self.spec.consultation.objet

    @property
    def date(self) -> str:
        return french.date(self.edition_date)

    @property
    def procedure(self) -> str:
        return PROCEDURE_NAMES[self.spec.consultation.procedure]

    @property
    def procedure_phrase(self) -> str:
        """« la procédure de l'appel d'offres ouvert », « la procédure adaptée »."""
        name = self.procedure
        return name if name.startswith("la procédure") else f"la procédure {preposition_de(name)}"

    @property
    def procedure_label(self) -> str:
        return capitalize_first(self.procedure.split(" ", 1)[1] if self.procedure.startswith(("la ", "le ")) else
                                self.procedure[2:])

    @property
    def form(self) -> str:
        return FORM_NAMES[self.spec.marche.forme]

    @property
    def is_framework(self) -> bool:
        return self.spec.marche.forme.startswith("accord-cadre")

    @property
    def unit_priced(self) -> bool:
        """Priced by unit prices (BPU): a framework agreement, or agile work units ordered as needed."""
        return self.is_framework or bool(self.spec.execution.agile)

    @property
    def contract(self) -> str:
        """« le marché » or « l'accord-cadre »."""
        return "l'accord-cadre" if self.is_framework else "le marché"

    @property
    def duration(self) -> str:
        """The one sentence fragment every document uses for the duration."""
        m = self.spec.marche
        text = f"{french.months(m.duree_mois)} à compter de la date de notification"
        if m.reconductions:
            mode = "tacitement" if m.reconduction == "tacite" else "expressément"
            period = "pour une période" if m.reconductions == 1 else "par période"
            text += (
                f", reconductible {mode} {_times(m.reconductions)} {period} de {french.months(m.renewal_months)}, "
                f"soit une durée maximale de {french.months(m.total_months)}"
            )
        return text

    # --- amounts
    @property
    def estimate(self) -> str:
        return french.amount(self.spec.marche.montant_estime_ht)

    @property
    def maximum(self) -> str | None:
        value = self.spec.marche.montant_maximum_ht
        return french.amount(value) if value is not None else None

    # --- policy
    @property
    def category(self) -> int:
        return self.assessment.category

    @property
    def code_line(self) -> str:
        return f"{self.assessment.code} – {self.assessment.nomenclature_label}"

    @property
    def conditions(self) -> dict[str, bool]:
        return self.spec.conditions()

    def cover_rows(self) -> list[tuple[str, str]]:
        rows = [
            ("Référence", self.reference),
            ("Procédure", self.procedure_label),
            ("Forme", capitalize_first(self.form)),
            ("Durée", capitalize_first(self.duration)),
        ]
        if self.spec.marche.lots:
            rows.append(("Lots", " ; ".join(f"lot {lot.numero} : {lot.intitule}" for lot in self.spec.marche.lots)))
        rows.append(("Date d'édition", self.date))
        return rows

    def clause_context(self) -> dict[str, Any]:
        """Tender-wide values every clause may read (documented in docs/assemble.md)."""
        a = self.spec.acheteur
        return {
            "acheteur": self.buyer,
            "objet": self.object,
            "reference": self.reference,
            "categorie": self.category,
            "donnees_personnelles": bool(self.spec.execution.donnees_personnelles),
            "direction": a.direction,
            "signataire": a.signataire,
        }

    def amount_text(self, value: Decimal) -> str:
        return french.amount(value)

    def of_buyer(self) -> str:
        """« du ministère de l'Intérieur » (de + the buyer, contracted)."""
        return preposition_de(self.buyer)
