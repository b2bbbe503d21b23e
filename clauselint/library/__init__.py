"""The clause library: one data file per standard clause, feeding assembly and detection."""

from clauselint.library.families import FAMILIES, FAMILY_IDS, Family
from clauselint.library.loader import Library, load_library
from clauselint.library.model import Clause

__all__ = ["FAMILIES", "FAMILY_IDS", "Family", "Clause", "Library", "load_library"]
