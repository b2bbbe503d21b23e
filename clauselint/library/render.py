"""Render a clause's Jinja2 text in a sandbox: spec values are data, never template code."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clauselint import french
from clauselint.errors import LibraryError
from clauselint.library.model import Clause, Derogation

_ELIDING = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def _contract(preposition: str, phrase: Any) -> str:
    """« de » / « à » before a noun phrase, with French contraction and elision.

    ``de`` + « le ministère » → « du ministère », + « les services » → « des services »,
    + « Atos » → « d'Atos »; ``à`` + « le ministère » → « au ministère ». Lets a clause write
    « pour le compte {{ acheteur | de }} » whatever article the buyer's name starts with.
    """
    text = str(phrase).strip()
    lower = text.lower()
    if lower.startswith("le "):
        return ("du " if preposition == "de" else "au ") + text[3:]
    if lower.startswith("les "):
        return ("des " if preposition == "de" else "aux ") + text[4:]
    if preposition == "de" and _ELIDING.match(text) and not lower.startswith(("un ", "une ")):
        return "d'" + text
    return f"{preposition} {text}"


def preposition_de(phrase: Any) -> str:
    return _contract("de", phrase)


def preposition_a(phrase: Any) -> str:
    return _contract("à", phrase)


def capitalize_first(text: Any) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lower-cases the rest: « l'Intérieur »)."""
    value = str(text)
    return value[:1].upper() + value[1:]


# Filters a clause text may use, by the name a clause writer types.
FILTERS = {
    "montant": french.amount,
    "nombre": french.number,
    "pourcentage": french.percent,
    "date_fr": french.date,
    "de": preposition_de,
    "a": preposition_a,
    "majuscule": capitalize_first,
}


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
    env.filters.update(FILTERS)
    return env


def template_names(clause: Clause) -> set[str]:
    """The names the clause text reads (its variables and any tender-wide value)."""
    try:
        return meta.find_undeclared_variables(environment().parse(clause.text))
    except TemplateError as exc:
        raise LibraryError(f"le texte de la clause « {clause.id} » n'est pas un gabarit valide : {exc}", where=clause.source) from None


def _coerce(clause: Clause, name: str, raw: Any) -> Any:
    try:
        return clause.variables[name].coerce(raw)
    except (TypeError, ValueError) as exc:
        raise LibraryError(f"variable « {name} » de la clause « {clause.id} » : {exc}", where=clause.source) from None


def clause_values(
    clause: Clause, overrides: dict[str, Any] | None = None, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The values the clause text is rendered with.

    Precedence, lowest first: the clause's defaults, the tender-wide ``context`` (so a clause
    may declare ``acheteur`` with a default and still receive the tender's buyer), then the
    spec's ``overrides`` for this clause. Values of declared variables are coerced to their type.
    """
    values = clause.defaults()
    for name, raw in (context or {}).items():
        values[name] = _coerce(clause, name, raw) if name in clause.variables else raw
    for name, raw in (overrides or {}).items():
        if name not in clause.variables:
            known = ", ".join(sorted(clause.variables)) or "aucune"
            raise LibraryError(
                f"la clause « {clause.id} » n'a pas de variable « {name} » (variables : {known})",
                where=clause.source,
            )
        values[name] = _coerce(clause, name, raw)
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

    ``context`` holds tender-wide values (acheteur, objet...) that every clause may use; it
    replaces a clause's defaults, and ``overrides`` (the spec's values for this clause) win over both.
    """
    values = clause_values(clause, overrides, context)
    try:
        template = environment().from_string(clause.text)
        text = template.render(**values)
    except TemplateError as exc:
        raise LibraryError(f"le texte de la clause « {clause.id} » ne se rend pas : {exc}", where=clause.source) from None
    return text.strip()


def applicable_derogations(
    clause: Clause, overrides: dict[str, Any] | None = None, context: dict[str, Any] | None = None
) -> list[Derogation]:
    """The clause's CCAG-TIC derogations that hold for these values (a `when` may depend on a choice)."""
    values = clause_values(clause, overrides, context)
    return [d for d in clause.derogates if d.applies_to(values)]


def paragraphs(text: str) -> list[str]:
    """Split a rendered clause into paragraphs (blank-line separated), whitespace folded."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
