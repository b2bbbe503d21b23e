"""docs/traceability.md stays true: every clause, rule and test it names exists, and nothing is left out."""

from __future__ import annotations

import re

import pytest

TOKEN = re.compile(r"`([^`]+)`")
RULE = re.compile(r"^[CDT]\d{3}$")


@pytest.fixture(scope="module")
def tokens(root):
    text = (root / "docs" / "traceability.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    found: list[str] = []
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for cell in cells:
            found.extend(TOKEN.findall(cell))
    return found


def test_every_named_test_exists(tokens, root):
    tests = [t for t in tokens if t.startswith("tests/")]
    assert tests
    for ref in tests:
        path, _, name = ref.partition("::")
        source = (root / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", source, re.M), f"{ref} n'existe pas"


def test_every_named_clause_rule_and_policy_name_exists(tokens, library):
    import clauselint.policy as policy
    from clauselint.rules.registry import all_rules

    for token in tokens:
        if token.startswith("tests/"):
            continue
        if RULE.match(token):
            assert token in all_rules(), f"règle {token} absente du catalogue"
        elif token.startswith("policy:"):
            assert hasattr(policy, token.split(":", 1)[1]), token
        else:
            assert token in library, f"clause « {token} » absente de la bibliothèque"


def test_every_clause_and_every_rule_is_traced(tokens, library):
    from clauselint.rules.registry import all_rules

    named = set(tokens)
    untraced_clauses = [c.id for c in library if c.id not in named]
    untraced_rules = [code for code in all_rules() if code not in named]
    assert not untraced_clauses, f"clauses sans ligne de traçabilité : {untraced_clauses}"
    assert not untraced_rules, f"règles sans ligne de traçabilité : {untraced_rules}"


def test_every_clause_and_rule_cites_a_basis(library):
    from clauselint.rules.registry import all_rules

    for clause in library:
        # Every clause rests on the circular; other texts may only complete it.
        assert any("6391/SG" in ref for ref in clause.basis), f"{clause.id} ne cite pas la circulaire"
    for rule in all_rules().values():
        assert "6391/SG" in rule.sections["Base légale"], f"{rule.code} ne cite pas la circulaire"
