"""Resource limits a reader enforces on a hostile file (the CLI fills them from its options)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps on what one document may cost to read; a file over any of them is refused.

    ``max_file_bytes`` is the size of the file on disk (CLI option ``--max-taille``);
    the others guard zip packages (.docx, .pptx, .odt) against zip bombs.
    """

    max_file_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 200 * MB  # sum of the members actually read
    max_ratio: float = 100.0  # uncompressed / compressed, per member
    max_members: int = 10_000
    # A member smaller than this is never judged by its ratio: tiny XML parts
    # compress very well and cannot be a bomb on their own.
    ratio_floor_bytes: int = 1 * MB

    @classmethod
    def with_max_megabytes(cls, megabytes: float) -> Limits:
        """The default limits with ``max_file_bytes`` given in megabytes (the CLI's unit)."""
        return cls(max_file_bytes=int(megabytes * MB))


def megabytes(size: int) -> str:
    """``52428800`` → ``50 Mo``; ``75_800_000`` → ``72,3 Mo`` (French decimal comma)."""
    value = size / MB
    if value >= 10 or value == int(value):
        return f"{round(value)} Mo"
    return f"{value:.1f}".replace(".", ",") + " Mo"
