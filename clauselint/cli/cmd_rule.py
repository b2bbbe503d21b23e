"""``clauselint rule CODE``: print a rule's documentation."""

from __future__ import annotations

from typing import Annotated

import typer

from clauselint.cli.common import console

EPILOG = "Exemple : clauselint rule C101   ·   clauselint rule --all"


def rule(
    code: Annotated[str | None, typer.Argument(help="Code (C101) ou nom (missing-insignia) de la règle.", show_default=False)] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Liste toutes les règles.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Sortie Markdown brute (celle de docs/rules.md).")] = False,
) -> None:
    """Explique une règle : ce qu'elle vérifie, pourquoi, un exemple, quoi écrire à la place, sa base légale."""
    from rich.markdown import Markdown
    from rich.table import Table

    from clauselint.errors import ClauselintError
    from clauselint.rules.registry import all_rules, get_rule, rules_markdown

    out = console()
    if show_all:
        if markdown:
            typer.echo(rules_markdown(), nl=False)
            return
        table = Table(title="Règles", title_justify="left")
        for column in ("code", "nom", "gravité", "résumé"):
            table.add_column(column, overflow="fold")
        for r in all_rules().values():
            table.add_row(r.code, r.name, r.severity, r.summary)
        out.print(table)
        return
    if code is None:
        raise ClauselintError("indiquez un code de règle (ex. clauselint rule C101) ou --all")
    doc = get_rule(code).doc()
    if markdown or not out.is_terminal:
        typer.echo(doc, nl=False)
    else:
        out.print(Markdown(doc))
