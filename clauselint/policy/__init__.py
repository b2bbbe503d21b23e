"""The circular's policy engine: nomenclature code → category, control regime, thresholds (T4xx findings)."""

from clauselint.policy.engine import RULE_CODES, Assessment, Obligation, PolicyFinding, assess
from clauselint.policy.inputs import configured_a_priori_threshold, parse_amount, parse_outsourcing
from clauselint.policy.nomenclature import (
    CATEGORY_LABELS,
    NOMENCLATURE,
    NomenclatureEntry,
    category_of,
    normalize_code,
)

__all__ = [
    "CATEGORY_LABELS",
    "NOMENCLATURE",
    "RULE_CODES",
    "Assessment",
    "NomenclatureEntry",
    "Obligation",
    "PolicyFinding",
    "assess",
    "category_of",
    "configured_a_priori_threshold",
    "normalize_code",
    "parse_amount",
    "parse_outsourcing",
]
