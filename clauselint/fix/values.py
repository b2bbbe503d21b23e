"""The values an inserted clause is rendered with: the tender spec (as the assembler reads it), then --set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clauselint.errors import ClauselintError
from clauselint.library.render import render_clause

if TYPE_CHECKING:
    from clauselint.library import Clause, Library
    from clauselint.spec import LoadedSpec

# Tender-wide names every clause may read (Facts.clause_context() in clauselint/assemble/facts.py).
CONTEXT_NAMES = ("acheteur", "objet", "reference", "categorie", "direction", "signataire")


@dataclass
class RenderValues:
    """Tender-wide context and per-clause overrides; ``category`` and ``conditions`` come from the spec."""

    context: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    category: int | None = None
    conditions: dict[str, bool] | None = None
    spec_path: Path | None = None

    def render(self, clause: "Clause", category: int | None = None) -> str:
        """The clause's text; ``category`` (the contract's, from the analysis) fills « categorie »
        unless the spec or --set gave it."""
        context = dict(self.context)
        if category is not None:
            context.setdefault("categorie", category)
        return render_clause(clause, self.overrides.get(clause.id), context)


def from_spec(spec_path: Path, library: "Library", today: dt.date | None = None) -> RenderValues:
    """The assembler's own context and overrides for this spec (clauselint/assemble/plan.py)."""
    from clauselint.assemble import build_documents
    from clauselint.spec import load_spec

    loaded: "LoadedSpec" = load_spec(spec_path, library)
    plan, _documents = build_documents(loaded, library, today)
    overrides = {cid: dict(values) for cid, values in plan.overrides.items()}
    # A clause the spec's tender would not select may still be inserted in this contract (its
    # context differs): the spec's values for it apply all the same.
    for clause_id, values in loaded.spec.variables.items():
        overrides.setdefault(clause_id, {}).update(values)
    return RenderValues(
        context=plan.facts.clause_context(),
        overrides=overrides,
        category=plan.facts.category,
        conditions=dict(loaded.spec.conditions()),
        spec_path=Path(spec_path),
    )


def apply_sets(values: RenderValues, sets: list[str], library: "Library") -> RenderValues:
    """``--set nom=valeur`` (every clause declaring ``nom``, or the tender-wide context) or
    ``--set clause.nom=valeur`` (that clause only)."""
    for raw in sets:
        name, sep, value = raw.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ClauselintError(f"--set « {raw} » : écrivez nom=valeur (ex. --set delai_jours=15)")
        if "." in name:
            clause_id, _, variable = name.partition(".")
            clause = library.get(clause_id)
            if variable not in clause.variables:
                known = ", ".join(sorted(clause.variables)) or "aucune"
                raise ClauselintError(f"--set « {raw} » : la clause « {clause_id} » n'a pas de variable « {variable} » "
                                      f"(variables : {known})")
            _check(clause, variable, value, raw)
            values.overrides.setdefault(clause_id, {})[variable] = value
            continue
        declaring = [c for c in library if name in c.variables]
        if not declaring and name not in CONTEXT_NAMES:
            raise ClauselintError(
                f"--set « {raw} » : aucune clause n'a de variable « {name} » ; voyez les variables avec "
                "« clauselint clauses show ID », ou les valeurs communes : " + ", ".join(CONTEXT_NAMES)
            )
        if name in CONTEXT_NAMES:
            values.context[name] = value
        for clause in declaring:
            _check(clause, name, value, raw)
            values.overrides.setdefault(clause.id, {})[name] = value
    return values


def _check(clause: "Clause", name: str, value: str, raw: str) -> None:
    try:
        clause.variables[name].coerce(value)
    except (TypeError, ValueError) as exc:
        raise ClauselintError(f"--set « {raw} » : {exc} (variable « {name} » de la clause « {clause.id} »)") from None
