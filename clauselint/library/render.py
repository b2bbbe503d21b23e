"""Render a clause's Jinja2 text in a sandbox: spec values are data, never template code."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clauselint import french
from clauselint.errors import LibraryError
from clauselint.library.model import Clause


@cache
def environment() -> ImmutableSandboxedEnvironment:
    """One sandboxed environment per process; values are inserted, never evaluated."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["montant"] = french.amount
    env.filters["nombre"] = french.number
    env.filters["pourcentage"] = french.percent
    env.filters["date_fr"] = french.date
    return env


def clause_values(clause: Clause, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The clause's defaults updated with ``overrides`` (coerced to each variable's type)."""
    values = clause.defaults()
    for name, raw in (overrides or {}).items():
        var = clause.variables.get(name)
        if var is None:
            known = ", ".join(sorted(clause.variables)) or "aucune"
            raise LibraryError(
                f"la clause « {clause.id} » n'a pas de variable « {name} » (variables : {known})",
                where=clause.source,
            )
        try:
            values[name] = var.coerce(raw)
        except (TypeError, ValueError) as exc:
            raise LibraryError(f"variable « {name} » de la clause « {clause.id} » : {exc}", where=clause.source) from None
    missing = [n for n, v in clause.variables.items() if v.required and n not in values]
    if missing:
        raise LibraryError(
            f"la clause « {clause.id} » demande une valeur pour {', '.join(missing)} ; "
            "donnez-la dans la spec (« variables ») ou avec --set nom=valeur",
            where=clause.source,
        )
    return values


def render_clause(clause: Clause, overrides: dict[str, Any] | None = None, context: dict[str, Any] | None = None) -> str:
    """The clause text with its variables filled in.

    ``context`` holds tender-wide values (acheteur, objet...) that every clause may use;
    the clause's own variables take precedence.
    """
    values = {**(context or {}), **clause_values(clause, overrides)}
    try:
        template = environment().from_string(clause.text)
        text = template.render(**values)
    except TemplateError as exc:
        raise LibraryError(f"le texte de la clause « {clause.id} » ne se rend pas : {exc}", where=clause.source) from None
    return text.strip()


def paragraphs(text: str) -> list[str]:
    """Split a rendered clause into paragraphs (blank-line separated), whitespace folded."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
