"""clauselint: the standard clauses of circular n° 6391/SG, for tender packages, contracts and deliverables."""

__version__ = "0.1.0"
