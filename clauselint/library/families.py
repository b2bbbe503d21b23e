"""The ten clause families of circular n° 6391/SG: stable ids used in every output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    id: str
    number: int  # fixes the rule codes: C1<nn> missing, C2<nn> contradicted
    label: str  # French, shown to users
    basis: str  # where the circular asks for it

    @property
    def missing_code(self) -> str:
        return f"C1{self.number:02d}"

    @property
    def contradicted_code(self) -> str:
        return f"C2{self.number:02d}"


_CIRC = "Circulaire n° 6391/SG du 7 février 2023"

FAMILIES: tuple[Family, ...] = (
    Family("insignia", 1, "Interdiction d'utiliser les signes distinctifs de l'administration", f"{_CIRC}, § 5.2"),
    Family("consultant-mention", 2, "Mention de l'intervention des consultants sur les documents", f"{_CIRC}, § 2 et § 5.2"),
    Family("conflict-of-interest", 3, "Prévention des conflits d'intérêts", f"{_CIRC}, § 2 et § 5.2"),
    Family("agile", 4, "Exécution en méthode agile", f"{_CIRC}, § 5.1 et § 5.2"),
    Family("evaluation", 5, "Évaluation systématique de la prestation", f"{_CIRC}, § 5.2"),
    Family("cybersecurity", 6, "Exigences de cybersécurité", f"{_CIRC}, § 5.2"),
    Family("data-destruction", 7, "Destruction systématique des données en fin de marché", f"{_CIRC}, § 5.2"),
    Family("confidentiality", 8, "Confidentialité", f"{_CIRC}, § 2 et § 5.2"),
    Family("intellectual-property", 9, "Propriété intellectuelle des résultats", f"{_CIRC}, § 5.2"),
    Family("steering", 10, "Pilotage de la prestation par l'administration", f"{_CIRC}, § 2"),
)

FAMILY_IDS: tuple[str, ...] = tuple(f.id for f in FAMILIES)
BY_ID: dict[str, Family] = {f.id: f for f in FAMILIES}


def family(family_id: str) -> Family:
    return BY_ID[family_id]
