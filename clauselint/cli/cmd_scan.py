"""``clauselint scan PATH...``: batch scan of deliverables for unmarked consultant authorship (D301)
and the administration's insignia on a consultant's document (D302)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

EPILOG = (
    "Exemples : clauselint scan livrables/   ·   clauselint scan \"livrables/**/*.pptx\" --firm \"Dupont Conseil\" "
    "-f html -o rapport.html   ·   clauselint scan /partage/livrables --engine dask --scheduler tcp://hote:8786"
)

FORMATS = ("text", "json", "csv", "html", "sarif")
FAIL_LEVELS = ("error", "warning", "info", "none")
ENGINES = ("local", "dask")


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def scan(
    paths: Annotated[
        list[str],
        typer.Argument(help="Fichiers, dossiers (parcourus récursivement) ou motifs (\"**/*.docx\") à contrôler.",
                       show_default=False, metavar="CHEMIN..."),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format du rapport : text, json, csv, html ou sarif.")] = "text",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Écrit le rapport dans ce fichier (remplacé d'un coup s'il existe) "
                     "au lieu de l'écran.", show_default=False),
    ] = None,
    firm: Annotated[
        list[str] | None,
        typer.Option("--firm", help="Cabinet à reconnaître en plus de la liste intégrée (répétable).", show_default=False),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Nombre de processus d'analyse (défaut : nombre de cœurs).", show_default=False),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Base SQLite des résultats (défaut : .clauselint/scan.db) : un fichier inchangé "
                     "n'est pas réanalysé, une analyse interrompue reprend.", show_default=False),
    ] = None,
    fail_level: Annotated[
        str, typer.Option("--fail-level", help="Code de sortie 1 dès un constat de ce niveau : error, warning, info "
                          "ou none (jamais).")
    ] = "error",
    engine: Annotated[
        str, typer.Option("--engine", help="Moteur : local (processus de cette machine) ou dask (grappe Dask).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Adresse de l'ordonnanceur Dask (ex. tcp://hote:8786) ; sans elle, "
                     "une grappe locale est lancée.", show_default=False),
    ] = None,
    insignia_hashes: Annotated[
        list[Path] | None,
        typer.Option("--empreintes", help="Fichier YAML d'empreintes d'images à reconnaître en plus de la Marianne "
                     "et du bloc-marque (répétable).", show_default=False),
    ] = None,
    no_ner: Annotated[
        bool, typer.Option("--sans-ner", help="N'utilise pas la reconnaissance d'entités de spaCy (plus rapide ; "
                           "les sigles ambigus comme CGI ou EY ne sont alors reconnus que dans les métadonnées "
                           "et les signatures).")
    ] = False,
    max_size: Annotated[
        float | None,
        typer.Option("--max-taille", help="Taille maximale d'un document, en Mo (défaut : 50).", show_default=False),
    ] = None,
    details: Annotated[bool, typer.Option("--details", help="Format text : affiche tous les signaux de chaque constat.")] = False,
) -> None:
    """Contrôle des livrables : écrits par un cabinet sans le mentionner (D301), ou portant les signes de l'administration (D302)."""
    import io

    from clauselint.cli.common import check_format
    from clauselint.config import find_config
    from clauselint.errors import ClauselintError
    from clauselint.scan.analyse import Options
    from clauselint.scan.engine import run_scan
    from clauselint.scan.firms import load_firms
    from clauselint.scan.imagehashes import load_references
    from clauselint.scan.inputs import expand
    from clauselint.scan.store import Store, default_db
    from clauselint.scan.summary import at_or_above, summarise

    check_format(fmt, FORMATS)
    if fail_level not in FAIL_LEVELS:
        raise ClauselintError(f"--fail-level : niveau « {fail_level} » inconnu ; niveaux possibles : {', '.join(FAIL_LEVELS)}")
    if engine not in ENGINES:
        raise ClauselintError(f"--engine : moteur « {engine} » inconnu ; moteurs possibles : {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise ClauselintError("--scheduler ne sert qu'avec --engine dask ; ajoutez --engine dask")
    if jobs is not None and jobs < 1:
        raise ClauselintError(f"--jobs : « {jobs} » ? indiquez un nombre de processus positif (ex. -j 2)")
    if max_size is not None and max_size <= 0:
        raise ClauselintError(f"--max-taille : « {max_size} » Mo ? indiquez une taille positive (ex. --max-taille 100)")

    config = find_config()
    options = Options(
        firms=load_firms(config, firm),
        ner=not no_ner,
        extra_insignia=[ref for path in insignia_hashes or [] for ref in load_references(path)],
        max_file_bytes=int(max_size * 1024 * 1024) if max_size else None,
    )
    inputs = expand(paths)
    store = Store(db or default_db())
    progress, finish = _progress(len(inputs.files))
    try:
        stats = run_scan(inputs.files, options, store, jobs=jobs or _default_jobs(), engine=engine,
                         scheduler=scheduler, progress=progress)
    finally:
        finish()
    stats.skipped = dict(inputs.skipped)
    stats.warnings = inputs.warnings

    def entries():
        return store.entries(stats.run, only_findings=fmt in ("text", "html", "sarif"))

    summary = summarise(lambda: store.digests(stats.run), stats)
    summary["ruleset"] = options.ruleset()
    writer = _writer(fmt)
    if fmt == "json":
        import functools

        writer = functools.partial(writer, raw=lambda: store.raw_entries(stats.run))
    try:
        if output is None:
            buffer = io.StringIO() if fmt != "text" else None
            if buffer is None:
                import sys

                writer(entries, summary, sys.stdout)
            else:
                writer(entries, summary, buffer)
                typer.echo(buffer.getvalue(), nl=False)
        else:
            from clauselint.atomic import open_atomic

            with open_atomic(output) as handle:
                writer(entries, summary, handle)
            typer.echo(f"rapport écrit dans {output} ({summary['files']} fichiers, "
                       f"{summary['findings']['D301']} D301, {summary['findings']['D302']} D302)", err=True)
        failing = at_or_above(summary, fail_level)
    finally:
        store.close()
    if failing:
        raise typer.Exit(1)


def _writer(fmt: str):
    if fmt == "text":
        from clauselint.reports.scan_text import write
    elif fmt == "json":
        from clauselint.reports.scan_json import write
    elif fmt == "csv":
        from clauselint.reports.scan_csv import write
    elif fmt == "html":
        from clauselint.reports.scan_html import write
    else:
        from clauselint.reports.scan_sarif import write
    return write


def _progress(total: int):
    """A rich progress bar (files/s, time left) on a terminal; nothing when stderr is piped."""
    import sys

    if not sys.stderr.isatty() or total == 0:
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from clauselint.cli.common import console

    class _Speed(TextColumn):
        def render(self, task):  # type: ignore[override]
            speed = task.finished_speed or task.speed
            return f"{speed:,.1f} fichiers/s".replace(",", " ").replace(".", ",") if speed else "… fichiers/s"

    bar = Progress(TextColumn("Analyse"), BarColumn(), MofNCompleteColumn(), _Speed(""),
                   TextColumn("reste"), TimeRemainingColumn(), console=console(stderr=True), transient=True)
    bar.start()
    task = bar.add_task("scan", total=total)

    def update(done: int, _total: int) -> None:
        bar.update(task, completed=done)

    return update, bar.stop
