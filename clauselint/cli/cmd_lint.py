"""``clauselint lint PATH...``: check contracts for the circular's clauses, report per file and per family."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from clauselint.cli.common import LibraryOption, context_options, is_terminal, parse_category

EPILOG = (
    "Exemples : clauselint lint ccap.docx   ·   clauselint lint marches/ --categorie 3 --format sarif -o lint.sarif"
    "   ·   clauselint lint *.pdf --ignore agile,C110 --fail-level warning"
)

FORMATS = ("text", "json", "sarif", "github")
FAIL_LEVELS = ("error", "warning", "info")

CategoryOption, AgileOption, PersonalDataOption = context_options("la valeur déduite du document")


def _config_list(config: Any, key: str) -> list[str] | None:
    from clauselint.errors import ConfigError
    from clauselint.lint.findings import split_list

    value = config.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, list)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
        raise ConfigError(f"« {key} » doit être une liste de codes ou de familles (ex. {key} = [\"C101\", \"agile\"])",
                          where=config.path)
    return split_list(value)


def _fail_level(value: Any, where: Any, option: str) -> str:
    from clauselint.errors import ClauselintError, ConfigError

    if value not in FAIL_LEVELS:
        message = f"{option} : niveau « {value} » inconnu ; niveaux possibles : {', '.join(FAIL_LEVELS)}"
        raise ConfigError(message, where=where) if where else ClauselintError(message)
    return str(value)


def lint(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(help="Fichiers, dossiers (parcourus récursivement) ou motifs (*.docx) à vérifier.",
                       show_default=False, metavar="CHEMIN..."),
    ],
    categorie: CategoryOption = None,
    agile: AgileOption = None,
    personal_data: PersonalDataOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format du rapport : text, json, sarif ou github.")] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Écrit le rapport dans ce fichier (remplacé s'il existe) au lieu de l'écran.",
                     show_default=False),
    ] = None,
    select: Annotated[
        str | None,
        typer.Option("--select", help="Ne vérifier que ces règles : codes, préfixes ou familles séparés par des virgules "
                     "(ex. C101,C2,agile).", show_default=False),
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option("--ignore", help="Ne pas vérifier ces règles (codes, préfixes ou familles, ex. C104,agile).",
                     show_default=False),
    ] = None,
    fail_level: Annotated[
        str | None,
        typer.Option("--fail-level", help="Gravité à partir de laquelle la commande échoue (code 1) : error, warning "
                     "ou info ; défaut : error.", show_default=False),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Nombre de processus en parallèle ; défaut : 1 pour un fichier, sinon autant "
                     "que de cœurs.", show_default=False),
    ] = None,
    dossier: Annotated[
        bool,
        typer.Option("--dossier", help="Chaque dossier donné est un seul marché (RC, CCAP, CCTP, AE, annexes) : "
                     "une clause présente dans l'une des pièces vaut pour tout le marché, les clauses manquantes "
                     "sont signalées une fois pour le dossier."),
    ] = False,
    library: LibraryOption = None,
    max_size: Annotated[
        float | None,
        typer.Option("--max-taille", help="Taille maximale d'un document, en Mo (défaut : 50).", show_default=False),
    ] = None,
) -> None:
    """Vérifie des contrats : présence, absence ou contradiction des clauses de la circulaire, famille par famille.

    Code de sortie : 0 si rien n'atteint --fail-level, 1 sinon, 2 si un fichier est illisible ou en cas d'erreur
    d'utilisation (un fichier illisible l'emporte sur les constatations).
    """
    from clauselint.cli.common import check_format
    from clauselint.config import find_config
    from clauselint.errors import ClauselintError
    from clauselint.lint.findings import selected_codes, split_list
    from clauselint.lint.runner import LintOptions, collect, run_collected

    check_format(fmt, FORMATS)
    config = find_config()
    where = config.path
    category = parse_category(categorie, None, "--categorie") if categorie is not None else \
        parse_category(config.get("categorie"), where, "categorie")
    level = _fail_level(fail_level, None, "--fail-level") if fail_level is not None else \
        _fail_level(config.get("fail-level", "error"), where, "fail-level")
    chosen = selected_codes(
        split_list(select) if select is not None else _config_list(config, "select"),
        split_list(ignore) if ignore is not None else _config_list(config, "ignore"),
    )
    if jobs is not None and jobs < 1:
        raise ClauselintError(f"-j/--jobs : « {jobs} » processus ? indiquez un nombre ≥ 1")
    if max_size is not None and max_size <= 0:
        raise ClauselintError(f"--max-taille : « {max_size} » Mo ? indiquez une taille positive (ex. --max-taille 100)")
    options = LintOptions(
        selected=chosen,
        category=category,
        agile=agile,
        personal_data=personal_data,
        library_folders=tuple([*config.paths("library"), *(library or [])]),
        max_file_bytes=int(max_size * 1024 * 1024) if max_size else None,
        debug=bool((ctx.obj or {}).get("debug")),
        dossier=dossier,
    )
    collected = collect(paths)
    if output is not None:
        out_key = output.resolve()
        if any(t.path.resolve() == out_key for t in collected.targets) or any(Path(p).resolve() == out_key for p in paths):
            raise ClauselintError("le rapport écraserait un document à vérifier ; choisissez un autre fichier pour -o",
                                  where=output)
    report = run_collected(collected, options, jobs)
    _emit(report, fmt, output)
    raise typer.Exit(report.exit_code(level))


def _emit(report: Any, fmt: str, output: Path | None) -> None:
    from clauselint.reports import lint_github, lint_json, lint_sarif, lint_text

    if fmt == "text" and output is None and is_terminal():
        from clauselint.cli.common import console

        out = console()
        for line in lint_text.render_lines(report):
            out.print(line)
        return
    renderer = {"text": lint_text.render, "json": lint_json.render, "sarif": lint_sarif.render,
                "github": lint_github.render}[fmt]
    text = renderer(report)
    if output is None:
        typer.echo(text, nl=False)
        return
    from clauselint.atomic import write_text_atomic

    write_text_atomic(output, text)
    typer.echo(f"rapport écrit dans {output} ({lint_text.summary(report)})", err=True)
