"""The command-line interface: wires the commands; each command lives in its own module."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from clauselint import __version__
from clauselint.cli import cmd_assemble, cmd_classify, cmd_clauses, cmd_fix, cmd_init, cmd_lint, cmd_rule, cmd_scan
from clauselint.cli import cmd_serve
from clauselint.cli.french_help import install as _install_french_help

_install_french_help()


class _Group(TyperGroup):
    """Turns a user error into one French line on stderr and exit code 2 (the trace with --debug)."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        from clauselint.errors import ClauselintError

        try:
            return super().invoke(ctx)
        except ClauselintError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            typer.echo(f"clauselint: erreur : {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)

app = typer.Typer(
    name="clauselint",
    help="Clauses types de la circulaire n° 6391/SG du 7 février 2023 (prestations intellectuelles "
    "informatiques) : classer un achat, assembler un DCE, vérifier un contrat, contrôler des livrables.",
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exemple : clauselint classify 33.04.01 --montant 250000",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clauselint {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Affiche la version et quitte."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="En cas d'erreur, affiche la trace complète (pour signaler un bogue)."),
    ] = False,
) -> None:
    """Clauses types de la circulaire n° 6391/SG : classer, assembler, vérifier, contrôler."""
    ctx.ensure_object(dict)["debug"] = debug


# In the order a user meets them: classify and assemble (buyer), lint and fix (reviewer),
# scan (audit), the web interface, then the library and the rules.
app.command("classify", epilog=cmd_classify.EPILOG)(cmd_classify.classify)
app.command("init", epilog=cmd_init.EPILOG)(cmd_init.init)
app.command("assemble", epilog=cmd_assemble.EPILOG)(cmd_assemble.assemble)
app.command("lint", epilog=cmd_lint.EPILOG)(cmd_lint.lint)
app.command("fix", epilog=cmd_fix.EPILOG)(cmd_fix.fix)
app.command("scan", epilog=cmd_scan.EPILOG)(cmd_scan.scan)
app.command("serve", epilog=cmd_serve.EPILOG)(cmd_serve.serve)
app.add_typer(cmd_clauses.app, name="clauses")
app.command("rule", epilog=cmd_rule.EPILOG)(cmd_rule.rule)


def main() -> None:
    """Entry point: user errors become one French line and exit code 2; --debug shows the trace."""
    from clauselint.errors import ClauselintError

    debug = "--debug" in sys.argv
    try:
        app()
    except ClauselintError as exc:
        if debug:
            raise
        print(f"clauselint: erreur : {exc.one_line()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("clauselint: interrompu", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # an internal error: one line, the trace only with --debug
        if debug:
            raise
        print(
            f"clauselint: erreur interne : {type(exc).__name__}: {exc} ; relancez avec --debug et signalez-la",
            file=sys.stderr,
        )
        sys.exit(2)
