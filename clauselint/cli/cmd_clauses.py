"""``clauselint clauses list|show|validate``: browse and check a clause library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from clauselint.cli.common import FormatOption, LibraryOption, check_format, console, load_library

ListFormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Format de sortie : text, json ou markdown (le tableau de docs/clauses.md)."),
]

app = typer.Typer(
    help="Parcourir et vérifier la bibliothèque de clauses.",
    no_args_is_help=True,
    epilog="Exemple : clauselint clauses show insignia",
)


@app.command("list", epilog="Exemple : clauselint clauses list --library ./clauses-ministere")
def list_clauses(library: LibraryOption = None, fmt: ListFormatOption = "text") -> None:
    """Liste les clauses : id, famille, intitulé, version, applicabilité et provenance (formats text, json, markdown)."""
    check_format(fmt, ("text", "json", "markdown"))
    lib = load_library(library)
    if fmt == "markdown":
        typer.echo(markdown_table(lib), nl=False)
        return
    if fmt == "json":
        rows = [
            {
                "id": c.id,
                "family": c.family,
                "title": c.title,
                "version": c.version,
                "applies": c.applies.model_dump(),
                "origin": c.origin,
                "replaces": lib.replaced.get(c.id),
            }
            for c in lib
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    from clauselint.french import plural

    table = Table(title=f"Bibliothèque de clauses ({plural(len(lib), 'clause')})", title_justify="left")
    # Ids and families are what users type: never broken; the title wraps first.
    table.add_column("id", no_wrap=True)
    table.add_column("famille", no_wrap=True)
    table.add_column("intitulé", ratio=1, min_width=16)
    table.add_column("v.", no_wrap=True)
    table.add_column("applicabilité", min_width=14)
    table.add_column("provenance", overflow="fold", min_width=10)
    for c in lib:
        table.add_row(c.id, c.family, c.title, str(c.version), c.applicability(), _provenance(lib, c.id))
    console().print(table)


def markdown_table(lib) -> str:
    """The library as a Markdown table (docs/clauses.md embeds the built-in one; a test keeps it current)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| id | famille | intitulé | applicabilité | base légale |", "|---|---|---|---|---|"]
    for c in lib:
        basis = "<br>".join(cell(ref) for ref in c.basis)
        lines.append(f"| `{c.id}` | {c.family} | {cell(c.title)} | {cell(c.applicability())} | {basis} |")
    return "\n".join(lines) + "\n"


def _provenance(lib, clause_id: str) -> str:
    origin = lib.clauses[clause_id].origin
    replaced = lib.replaced.get(clause_id)
    return f"{origin} (remplace la clause {replaced})" if replaced else origin


@app.command("show", epilog="Exemple : clauselint clauses show data-destruction --set delai_jours=15")
def show_clause(
    clause_id: Annotated[str, typer.Argument(help="Identifiant de la clause (voir « clauselint clauses list »).")],
    set_values: Annotated[
        list[str] | None,
        typer.Option("--set", help="Valeur d'une variable, nom=valeur (répétable).", show_default=False),
    ] = None,
    library: LibraryOption = None,
    fmt: FormatOption = "text",
) -> None:
    """Affiche une clause : métadonnées, base légale, variables et texte rendu."""
    from clauselint.errors import ClauselintError
    from clauselint.library.render import render_clause

    check_format(fmt, ("text", "json"))
    lib = load_library(library)
    clause = lib.get(clause_id)
    overrides = {}
    for item in set_values or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ClauselintError(f"--set « {item} » : attendu nom=valeur (ex. --set delai_jours=15)")
        overrides[name.strip()] = value
    text = render_clause(clause, overrides)
    if fmt == "json":
        data = clause.model_dump(mode="json", exclude={"source", "text"})
        data["rendered"] = text
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    out = console()
    out.print(f"[bold]{escape(clause.title)}[/bold]  ({clause.id}, version {clause.version})")
    lines = [
        f"Famille : {clause.family}",
        f"Applicabilité : {clause.applicability()}",
        f"Provenance : {_provenance(lib, clause.id)}",
        "Base légale :",
        *(f"  - {ref}" for ref in clause.basis),
    ]
    if clause.derogates:
        lines.append("Dérogations au CCAG-TIC 2021 :")
        for d in clause.derogates:
            condition = ", ".join(f"{k} = {_shown(v)}" for k, v in d.when.items())
            lines.append(f"  - art. {d.article}{f' (si {condition})' if condition else ''} : {d.reason}")
    if clause.variables:
        lines.append("Variables :")
        for name, var in clause.variables.items():
            default = "(obligatoire)" if var.default is None else f"défaut : {_shown(var.default)}"
            choices = f", choix : {' | '.join(var.choices)}" if var.choices else ""
            lines.append(f"  - {name} ({var.type}, {default}{choices}) : {var.description}")
    for line in lines:
        out.print(line, markup=False)
    out.print()
    out.print(text, markup=False)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


@app.command("validate", epilog="Exemple : clauselint clauses validate ./clauses-ministere")
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(help="Dossier de clauses à vérifier seul (défaut : la bibliothèque en usage).", show_default=False),
    ] = None,
    library: LibraryOption = None,
    detection: Annotated[
        bool,
        typer.Option(
            "--detection/--sans-detection",
            help="Vérifie aussi que le vérificateur (spaCy) reconnaît le texte de chaque clause ; "
            "--sans-detection est plus rapide (pas de chargement du modèle).",
        ),
    ] = True,
) -> None:
    """Vérifie une bibliothèque : schéma, ids uniques, familles couvertes, rendu et détection."""
    from clauselint.library.validate import validate_library

    if path is not None:
        from clauselint.library import load_library as _load

        lib = _load([path], include_builtin=False)
    else:
        lib = load_library(library)
    report = validate_library(lib, require_all_families=path is None, detect=detection)
    from rich.markup import escape

    from clauselint.french import plural

    out = console()
    for line in report.problems:
        out.print(f"[red]✗[/red] {escape(line)}")
    if report.problems:
        out.print(f"[red]{plural(len(report.problems), 'problème')}[/red] dans {plural(len(lib), 'clause')}.")
        raise typer.Exit(1)
    out.print(
        f"[green]✓[/green] {plural(len(lib), 'clause valide', 'clauses valides')} ; "
        f"{plural(len(lib.families_covered()), 'famille couverte', 'familles couvertes')} ; "
        f"chaque clause se rend avec ses valeurs par défaut{report.detection_note}."
    )
