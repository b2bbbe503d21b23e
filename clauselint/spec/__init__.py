"""The tender spec: one YAML file (French keys) describing a purchase, from which the package is assembled."""

from clauselint.spec.loader import LineMap, LoadedSpec, load_spec
from clauselint.spec.model import TenderSpec

__all__ = ["LineMap", "LoadedSpec", "TenderSpec", "load_spec"]
