"""Which clauses go where, with which values: the decisions taken once, from the spec and the clause metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clauselint.assemble.layout import CCAP_FAMILY_ORDER
from clauselint.errors import SpecError
from clauselint.library.render import applicable_derogations, paragraphs, render_clause

if TYPE_CHECKING:
    from clauselint.assemble.facts import Facts
    from clauselint.library import Clause, Library
    from clauselint.spec import LoadedSpec

_CONDITION_LABELS = {
    "agile": ("exécution en méthode agile", "exécution hors méthode agile"),
    "personal_data": ("traitement de données à caractère personnel", "absence de données à caractère personnel"),
    "pro_bono": ("mission à titre gracieux (pro bono)", "mission rémunérée"),
}

_CCAG_ARTICLE = re.compile(r"\d+")


def ccag_sort_key(article: str) -> tuple[int, ...]:
    """« 5.3 » before « 42 », « 5.10 » after « 5.9 »."""
    return tuple(int(n) for n in _CCAG_ARTICLE.findall(article)) or (10_000,)


@dataclass(frozen=True)
class Derogation:
    article: str  # CCAG-TIC 2021 article
    clause: "Clause"
    reason: str


@dataclass
class Plan:
    """The selected clauses per document, their rendering values, the CCAP article of each."""

    facts: "Facts"
    library: "Library"
    overrides: dict[str, dict[str, Any]]
    by_document: dict[str, list["Clause"]]
    excluded: list[tuple["Clause", str]]
    warnings: list[str] = field(default_factory=list)
    ccap_article: dict[str, int] = field(default_factory=dict)  # clause id → article number in the CCAP
    annex_number: dict[str, int] = field(default_factory=dict)  # clause id → annex number
    _rendered: dict[str, str] = field(default_factory=dict)

    @property
    def selected(self) -> list["Clause"]:
        seen: dict[str, "Clause"] = {}
        for clauses in self.by_document.values():
            for clause in clauses:
                seen.setdefault(clause.id, clause)
        return [c for c in self.library if c.id in seen]

    def render(self, clause: "Clause") -> str:
        if clause.id not in self._rendered:
            self._rendered[clause.id] = render_clause(
                clause, self.overrides.get(clause.id), self.facts.clause_context()
            )
        return self._rendered[clause.id]

    def paragraphs(self, clause: "Clause") -> list[str]:
        return paragraphs(self.render(clause))

    def ccap_reference(self, family: str) -> str | None:
        """« l'article 9 du CCAP » for the first CCAP clause of ``family``, if one was selected."""
        for clause in self.by_document.get("ccap", []):
            if clause.family == family and clause.id in self.ccap_article:
                return f"l'article {self.ccap_article[clause.id]} du CCAP (« {clause.title} »)"
        return None

    def annexes_of_family(self, family: str) -> list["Clause"]:
        return [c for c in self.by_document.get("annex", []) if c.family == family]

    def derogations(self) -> list[Derogation]:
        """The CCAG-TIC articles the selected CCAP clauses depart from, in the CCAG's order."""
        context = self.facts.clause_context()
        found = [
            Derogation(d.article.strip(), clause, d.reason)
            for clause in self.by_document.get("ccap", [])
            for d in applicable_derogations(clause, self.overrides.get(clause.id), context)
        ]
        return sorted(found, key=lambda d: (ccag_sort_key(d.article), self.ccap_article.get(d.clause.id, 0)))


def why_excluded(clause: "Clause", category: int, conditions: dict[str, bool]) -> str:
    if category not in clause.applies.categories:
        cats = ", ".join(str(c) for c in clause.applies.categories)
        return f"réservée aux achats de catégorie {cats} (achat de catégorie {category})"
    reasons = []
    for name, wanted in clause.applies.when.items():
        if bool(conditions.get(name, False)) != wanted:
            reasons.append(_CONDITION_LABELS[name][0 if wanted else 1])
    return "réservée aux marchés avec " + " et ".join(reasons) if reasons else "non applicable"


def _ccap_order(clauses: list["Clause"]) -> list["Clause"]:
    rank = {family: i for i, family in enumerate(CCAP_FAMILY_ORDER)}
    position = {clause.id: i for i, clause in enumerate(clauses)}
    return sorted(clauses, key=lambda c: (rank.get(c.family, len(rank)), position[c.id]))


def _ip_overrides(loaded: "LoadedSpec", selected: list["Clause"]) -> dict[str, dict[str, Any]]:
    """The spec's intellectual-property option, given to the selected clause(s) of that family that take it."""
    option_spec = loaded.spec.propriete_intellectuelle
    if option_spec is None:
        return {}
    targets = [c for c in selected if c.family == "intellectual-property" and "option" in c.variables]
    if not targets:
        raise SpecError(
            "« propriete_intellectuelle.option » : aucune clause de propriété intellectuelle retenue ne prend "
            "d'option ; retirez cette section ou ajoutez la clause à la bibliothèque",
            where=loaded.where("propriete_intellectuelle", "option"),
        )
    out: dict[str, dict[str, Any]] = {}
    for clause in targets:
        variable = clause.variables["option"]
        try:
            variable.coerce(option_spec.option)
        except ValueError:
            choices = ", ".join(variable.choices or [])
            raise SpecError(
                f"« propriete_intellectuelle.option » : « {option_spec.option} » n'est pas une option de la clause "
                f"« {clause.id} » ; options possibles : {choices}",
                where=loaded.where("propriete_intellectuelle", "option"),
            ) from None
        out[clause.id] = {"option": option_spec.option}
    return out


def make_plan(loaded: "LoadedSpec", library: "Library", facts: "Facts") -> Plan:
    spec = loaded.spec
    category = facts.category
    conditions = spec.conditions()
    by_document: dict[str, list["Clause"]] = {}
    for document in ("ccap", "cctp", "rc", "ae", "annex"):
        clauses = library.select(category, conditions, document=document)
        by_document[document] = _ccap_order(clauses) if document == "ccap" else clauses
    selected_ids = {c.id for clauses in by_document.values() for c in clauses}
    excluded = [(c, why_excluded(c, category, conditions)) for c in library if c.id not in selected_ids]

    overrides: dict[str, dict[str, Any]] = {}
    selected = [c for c in library if c.id in selected_ids]
    for clause_id, values in _ip_overrides(loaded, selected).items():
        overrides.setdefault(clause_id, {}).update(values)
    warnings: list[str] = []
    for clause_id, values in spec.variables.items():
        if clause_id not in selected_ids:
            reason = next((why for c, why in excluded if c.id == clause_id), "non retenue")
            warnings.append(
                f"{loaded.where('variables', clause_id)}: « variables.{clause_id} » ignorées : la clause n'est pas "
                f"retenue pour ce marché ({reason})"
            )
            continue
        # The spec's own values for a clause win over the IP option.
        overrides.setdefault(clause_id, {}).update(values)

    plan = Plan(facts=facts, library=library, overrides=overrides, by_document=by_document,
                excluded=excluded, warnings=warnings)
    for number, clause in enumerate(by_document["annex"], start=1):
        plan.annex_number[clause.id] = number
    return plan
