"""In-document suppressions: « clauselint: ignore CODE — motif » in the text or in a Word comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from clauselint.documents.model import Block, Comment, Document, Location
from clauselint.lint.findings import Finding, lint_codes
from clauselint.lint.suppress import apply_suppressions, find_suppressions, parse_marker

ALL = frozenset(lint_codes())


@pytest.mark.parametrize(
    ("rest", "targets", "reason"),
    [
        (" C104 — marché au forfait", ("C104",), "marché au forfait"),
        (" c104,C201 - validé par la DAJ", ("C104", "C201"), "validé par la DAJ"),
        (" agile, data-destruction : voir le CCTP", ("agile", "data-destruction"), "voir le CCTP"),
        (" missing-agile – motif", ("missing-agile",), "motif"),
        (" C104", ("C104",), ""),
        (" C104 la clause est dans le CCTP", ("C104",), "la clause est dans le CCTP"),
        (" les remarques", (), "les remarques"),
        (" C999 — faute de frappe", ("C999",), "faute de frappe"),
    ],
)
def test_parse_marker(rest, targets, reason):
    assert parse_marker(rest) == (targets, reason)


def _doc(blocks: list[str], comments: list[str] = ()) -> Document:
    return Document(
        path=Path("ccap.docx"),
        format="docx",
        blocks=[Block(text=t, location=Location(paragraph=i, line=i, section="Article 9 – Divers")) for i, t in enumerate(blocks, 1)],
        comments=[Comment(text=t, author="Relectrice", location=Location(paragraph=2)) for t in comments],
    )


def test_markers_are_found_in_text_and_comments_once_each():
    doc = _doc(
        ["Article 9", "Relu le 3 mars. Clauselint : ignore C104 — marché au forfait", "clauselint: ignore C104 — marché au forfait"],
        ["clauselint: ignore steering — pilotage décrit au CCTP"],
    )
    found = find_suppressions(doc)
    assert [(s.targets, s.reason, s.source) for s in found] == [
        (("C104",), "marché au forfait", "texte"),
        (("steering",), "pilotage décrit au CCTP", "commentaire"),
    ]
    assert found[0].location.paragraph == 2
    assert found[0].marker == "Clauselint : ignore C104 — marché au forfait"


def _finding(code: str) -> Finding:
    name, family = lint_codes()[code]
    return Finding(code=code, name=name, family=family, severity="error", message=f"message {code}")


def test_a_marker_suppresses_by_code_and_by_family_and_keeps_the_finding():
    doc = _doc(["clauselint: ignore C104 — forfait", "clauselint: ignore steering — CCTP"])
    findings = [_finding("C104"), _finding("C110"), _finding("C210"), _finding("C101")]
    out = apply_suppressions(findings, find_suppressions(doc), ALL)
    assert [(f.code, f.suppressed.reason if f.suppressed else None) for f in out] == [
        ("C104", "forfait"),
        ("C110", "CCTP"),
        ("C210", "CCTP"),
        ("C101", None),
    ]


def test_unknown_code_and_nothing_to_suppress_are_reported_as_c302():
    doc = _doc(["clauselint: ignore C140 — faute de frappe", "clauselint: ignore C101, agile — rien"])
    out = apply_suppressions([_finding("C101")], find_suppressions(doc), ALL)
    c302 = [f for f in out if f.code == "C302"]
    assert [f.message for f in c302] == [
        "marqueur sans effet « clauselint: ignore C140 — faute de frappe » : C140 n'est pas un code de règle "
        "de clauselint lint — voir clauselint rule C302",
        "marqueur sans effet « clauselint: ignore C101, agile — rien » : aucune constatation agile à ignorer "
        "dans ce document — voir clauselint rule C302",
    ]
    assert all(f.severity == "warning" and f.location is not None for f in c302)
    assert out[0].suppressed is not None


def test_a_marker_for_deselected_rules_is_not_called_unused():
    doc = _doc(["clauselint: ignore agile — forfait"])
    selected = frozenset({"C101", "C302"})
    assert [f.code for f in apply_suppressions([], find_suppressions(doc), selected)] == []
    # ...and C302 itself can be deselected.
    assert apply_suppressions([], find_suppressions(_doc(["clauselint: ignore C999"])), frozenset({"C101"})) == []


def test_a_marker_without_target_is_reported():
    doc = _doc(["clauselint: ignore tout ce qui suit"])
    (finding,) = apply_suppressions([], find_suppressions(doc), ALL)
    assert "ne nomme aucun code ni aucune famille" in finding.message
