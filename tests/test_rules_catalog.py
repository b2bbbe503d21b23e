"""The rule catalogue: every rule has a doc file, fixtures that prove it, and docs/rules.md is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clauselint.policy import RULE_CODES, assess
from clauselint.rules.registry import CATALOG_DIR, SECTIONS, all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
RULES = list(all_rules().values())


def _fixture(code: str, kind: str) -> list[Path]:
    return sorted((FIXTURES / code).glob(f"{kind}.*"))


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_file_is_named_after_its_code_and_name(rule):
    assert rule.source.name == f"{rule.code}-{rule.name}.md"
    assert list(rule.sections)[: len(SECTIONS)] == list(SECTIONS)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_a_trigger_and_a_clean_fixture(rule):
    assert _fixture(rule.code, "trigger"), f"tests/fixtures/rules/{rule.code}/trigger.* manquant"
    assert _fixture(rule.code, "clean"), f"tests/fixtures/rules/{rule.code}/clean.* manquant"


def test_no_fixture_folder_without_a_rule():
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()} if FIXTURES.is_dir() else set()
    assert folders <= set(all_rules()), f"fixtures sans règle : {sorted(folders - set(all_rules()))}"


def test_policy_engine_and_catalogue_know_the_same_t_codes():
    assert set(RULE_CODES) == {code for code in all_rules() if code.startswith("T")}


T_RULES = [r for r in RULES if r.code.startswith("T")]


@pytest.mark.parametrize("rule", T_RULES, ids=[r.code for r in T_RULES])
def test_policy_rule_fires_on_its_trigger_only(rule):
    (trigger,) = _fixture(rule.code, "trigger")
    (clean,) = _fixture(rule.code, "clean")
    fired = assess(**yaml.safe_load(trigger.read_text(encoding="utf-8"))).findings
    matching = [f for f in fired if f.code == rule.code]
    assert len(matching) == 1, f"{trigger} ne déclenche pas {rule.code}"
    finding = matching[0]
    assert (finding.name, finding.severity) == (rule.name, rule.severity)
    # The finding cites no section of a text that the rule's doc does not cite.
    legal = rule.sections["Base légale"]
    for section in re.findall(r"§ [\d.]+", finding.basis):
        assert section in legal, f"{rule.code}: {section} absent de « Base légale »"
    assert ("2019-1088" in finding.basis) == ("2019-1088" in legal)
    assert ("6329/SG" in finding.basis) <= ("6329/SG" in legal)
    clean_codes = [f.code for f in assess(**yaml.safe_load(clean.read_text(encoding="utf-8"))).findings]
    assert rule.code not in clean_codes, f"{clean} déclenche {rule.code}"


def test_catalogue_folder_holds_only_rules():
    assert sorted(p.name for p in CATALOG_DIR.iterdir() if p.suffix == ".md") == sorted(r.source.name for r in RULES)


def test_docs_rules_md_is_current(cli):
    result = cli("rule", "--all", "--markdown")
    assert result.exit_code == 0
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == result.stdout, "docs/rules.md est périmé : clauselint rule --all --markdown > docs/rules.md"
