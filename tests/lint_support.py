"""Helpers for the `lint` tests: a stand-in engine with the real engine's fields, report builders.

The stand-in lets the report, suppression and CLI tests pin exact output whatever the real
detector decides; the tests that need real detection use the real engine (tests marked slow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clauselint.documents.model import Block, Comment, Document, Location
from clauselint.library.families import FAMILY_IDS


@dataclass
class Evidence:
    text: str
    location: Location
    score: float


@dataclass
class FamilyStatus:
    family: str
    status: str
    confidence: float
    evidence: Evidence | None
    required: bool
    candidates: list[Any] = field(default_factory=list)


@dataclass
class ContractContext:
    category: int | None
    agile: bool | None
    personal_data: bool | None
    sources: dict[str, str]


@dataclass
class Analysis:
    context: ContractContext
    families: list[FamilyStatus]


class ScriptedLinter:
    """Answers from the document itself: a block « [present insignia] » or « [contradicted agile] »
    makes that family present or contradicted with that block as evidence; every other family is
    missing. A family is required unless the text says « [optional agile] »."""

    def __init__(self, library: Any = None) -> None:
        self.library = library

    def analyse(self, document: Document, category=None, agile=None, personal_data=None) -> Analysis:
        found: dict[str, tuple[str, Block]] = {}
        optional: set[str] = set()
        for block in document.blocks:
            text = block.text
            for status in ("present", "contradicted"):
                for fam in FAMILY_IDS:
                    if f"[{status} {fam}]" in text:
                        found[fam] = (status, block)
            for fam in FAMILY_IDS:
                if f"[optional {fam}]" in text:
                    optional.add(fam)
        families = []
        for fam in FAMILY_IDS:
            status, block = found.get(fam, ("missing", None))
            evidence = None
            if block is not None:
                clean = block.text.split("]", 1)[-1].strip()
                evidence = Evidence(text=clean, location=block.location, score=0.9)
            families.append(
                FamilyStatus(family=fam, status=status, confidence=0.9 if block else 0.8, evidence=evidence,
                             required=fam not in optional)
            )
        sources = {"category": "option" if category else "défaut"}
        return Analysis(
            ContractContext(category or 3, bool(agile), bool(personal_data), sources), families
        )


def read_text_document(path: Path, limits: Any = None) -> Document:
    """A plain-text reader: one block per non-empty line; « # » lines are headings (the section);
    a line « COMMENT: ... » becomes a Word-like comment."""
    from clauselint.errors import DocumentError

    try:
        raw = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DocumentError("texte non UTF-8 : enregistrez-le en UTF-8", where=path) from None
    blocks: list[Block] = []
    comments: list[Comment] = []
    section = None
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("COMMENT:"):
            comments.append(Comment(text=line[len("COMMENT:"):].strip(), author="Relecteur",
                                    location=Location(line=number, section=section)))
            continue
        if line.startswith("# "):
            section = line[2:].strip()
            blocks.append(Block(text=section, kind="heading", location=Location(line=number, paragraph=len(blocks) + 1, section=section), heading_level=1))
            continue
        blocks.append(Block(text=line, location=Location(line=number, paragraph=len(blocks) + 1, section=section)))
    return Document(path=Path(path), format="txt", blocks=blocks, comments=comments)


def use_scripted_engine(monkeypatch) -> None:
    """Route the runner to the stand-in engine and reader (in this process: jobs=1)."""
    from clauselint.lint import runner

    monkeypatch.setattr(runner, "load_engine", lambda folders: (None, ScriptedLinter()))
    monkeypatch.setattr(runner, "read_document", lambda path, max_bytes: read_text_document(path))
    # Worker processes would not see these replacements.
    monkeypatch.setattr(runner, "default_jobs", lambda files: 1)


def use_scripted_linter_only(monkeypatch) -> None:
    """The stand-in engine with the real document readers."""
    from clauselint.lint import runner

    monkeypatch.setattr(runner, "load_engine", lambda folders: (None, ScriptedLinter()))
    monkeypatch.setattr(runner, "default_jobs", lambda files: 1)
