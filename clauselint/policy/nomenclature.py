"""The circular's annex: purchasing nomenclature codes 33.04.xx of IT intellectual services and their category."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clauselint.errors import PolicyError

CIRCULAR = "Circulaire n° 6391/SG du 7 février 2023"


@dataclass(frozen=True)
class NomenclatureEntry:
    code: str  # "33.04.01"
    short: str  # the nomenclature's abbreviated name, as printed in the annex
    label: str  # the nomenclature's full label (OCR slips of the signed PDF corrected)
    category: int  # 1, 2 or 3


# The annex of the circular, in its order. 33.04.07 is absent from the annex: it is not an
# IT intellectual service code in the circular's sense.
NOMENCLATURE: dict[str, NomenclatureEntry] = {
    e.code: e
    for e in (
        NomenclatureEntry("33.04.01", "CONSEIL STRATG SI", "Audit et conseil stratégie SI", 1),
        NomenclatureEntry("33.04.02", "CONSEIL URBA SI", "Conseil urbanisation", 2),
        NomenclatureEntry("33.04.03", "EXPERTISE TECH SI", "Expertises techniques", 2),
        NomenclatureEntry("33.04.04", "CONSEIL QUALI SI", "Conseil qualité et méthode", 2),
        NomenclatureEntry("33.04.05", "ETUDE PROJET APPLI", "Étude projet applicatif", 2),
        NomenclatureEntry("33.04.06", "FORFAIT DEV", "Forfait de développement", 3),
        NomenclatureEntry("33.04.08", "NUMERISATION", "Prestation de numérisation (tout type)", 3),
        NomenclatureEntry("33.04.09", "TIERCE MNT APPLI", "Tierce maintenance applicative (TMA)", 3),
        NomenclatureEntry("33.04.10", "TIERCE RECETTE APPLI", "Tierce recette applicative (TRA)", 3),
        NomenclatureEntry("33.04.11", "SERVICES PROJ APPLI", "Forfait services projet applicatif (ingénierie de projet)", 3),
        NomenclatureEntry("33.04.12", "AUTRE MAINTENANCE IT", "Autre maintenance informatique (hors TMA)", 3),
        NomenclatureEntry("33.04.13", "INSTAL MATERIEL IT", "Prestation d'installation matériel", 3),
        NomenclatureEntry("33.04.14", "SUPERVISION EXPL SI", "Supervision exploitation serveurs", 3),
        NomenclatureEntry("33.04.15", "SUPPORT UTILISATEUR", "Support utilisateurs (hotline, helpdesk)", 3),
    )
}

CATEGORY_LABELS: dict[int, str] = {
    1: "Conseil en stratégie numérique (1re catégorie)",
    2: "Appuis et expertises techniques (2e catégorie)",
    3: "Réalisations informatiques (3e catégorie)",
}

# Where the circular sets each category's regime.
CATEGORY_SECTIONS: dict[int, str] = {1: "§ 2", 2: "§ 3", 3: "§ 4"}

VALID_RANGES = (
    "33.04.01 (1re catégorie), 33.04.02 à 33.04.05 (2e catégorie), "
    "33.04.06 et 33.04.08 à 33.04.15 (3e catégorie)"
)

# Six digits, either bare or as three pairs each separated by a space, a dot or a comma
# (the annex itself prints « 33,04.03 »).
_CODE_RE = re.compile(r"^(\d{2})(?:[ .,\u00a0\u202f](\d{2})[ .,\u00a0\u202f](\d{2})|(\d{2})(\d{2}))$")


def normalize_code(raw: str) -> str:
    """``"330406"``, ``"33 04 06"``, ``"33,04.06"`` → ``"33.04.06"``; any other spelling → PolicyError."""
    text = str(raw).strip()
    match = _CODE_RE.match(text)
    if not match:
        shown = f"code « {text} »" if text else "code vide"
        raise PolicyError(
            f"{shown} mal formé : attendu un code de la nomenclature des achats de l'État "
            "à six chiffres, ex. 33.04.01 (ou 330401, 33 04 01)"
        )
    pairs = [g for g in match.groups() if g is not None]
    return ".".join(pairs)


def entry(raw: str) -> NomenclatureEntry:
    """The annex entry for a code in any accepted spelling; PolicyError when the annex does not list it."""
    code = normalize_code(raw)
    try:
        return NOMENCLATURE[code]
    except KeyError:
        raise PolicyError(
            f"le code {code} n'est pas un code de prestation intellectuelle informatique de l'annexe "
            f"de la circulaire n° 6391/SG ; codes valides : {VALID_RANGES}"
        ) from None


def category_of(raw: str) -> int:
    """The circular's category (1, 2 or 3) of a nomenclature code."""
    return entry(raw).category
