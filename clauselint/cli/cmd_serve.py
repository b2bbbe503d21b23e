"""``clauselint serve``: the web interface for buyers and legal reviewers (FastAPI + uvicorn, extra ``[web]``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from clauselint.cli.common import LibraryOption

EPILOG = "Exemples : clauselint serve   ·   clauselint serve --host 0.0.0.0 --port 8080 --max-taille 30 --max-fichiers 100"

INSTALL_HINT = (
    "l'interface web demande les paquets de l'extra « web » (fastapi, uvicorn, python-multipart) ; installez-les avec "
    "« pip install 'clauselint[web]' » (ou « make install » dans le dépôt)"
)


class _NoQueryString(logging.Filter):
    """The access log keeps the method, the page and the status, never the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def log_config(level: str = "info") -> dict:
    """uvicorn's logging, with the query string dropped from the access log (nothing uploaded is logged)."""
    from uvicorn.config import LOGGING_CONFIG

    config = {**LOGGING_CONFIG}
    config["filters"] = {"no_query": {"()": _NoQueryString}}
    config["handlers"] = {name: {**handler, "filters": ["no_query"]} if name == "access" else dict(handler)
                          for name, handler in LOGGING_CONFIG["handlers"].items()}
    config["loggers"] = {**LOGGING_CONFIG["loggers"], "clauselint.web": {"handlers": ["default"], "level": level.upper(),
                                                                         "propagate": False}}
    return config


def serve(
    host: Annotated[str, typer.Option("--host", help="Adresse d'écoute (127.0.0.1 : ce poste seulement).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port d'écoute.")] = 8000,
    max_size: Annotated[
        float | None,
        typer.Option("--max-taille", help="Taille maximale d'un fichier envoyé, en Mo (défaut : 20 ; ou "
                     "max-taille dans \\[tool.clauselint.serve]).", show_default=False),
    ] = None,
    max_files: Annotated[
        int | None,
        typer.Option("--max-fichiers", help="Nombre maximal de fichiers par envoi (défaut : 50 ; ou max-fichiers "
                     "dans \\[tool.clauselint.serve]).", show_default=False),
    ] = None,
    temp_dir: Annotated[
        Path | None,
        typer.Option("--dossier-temporaire", help="Dossier racine des fichiers envoyés, privé au compte du serveur "
                     "(défaut : <dossier temporaire du système>/clauselint-web-<uid>).", show_default=False),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", help="Nombre de processus serveurs (chacun charge son propre moteur, environ "
                     "500 Mo) ; au plus un par cœur."),
    ] = 1,
    library: LibraryOption = None,
) -> None:
    """Lance l'interface web : assembler un dossier, vérifier un contrat, contrôler des livrables, dans un navigateur.

    Les documents envoyés sont traités dans un dossier temporaire privé et supprimés dès la réponse envoyée ; ni leur
    nom ni leur contenu ne sont journalisés. Arrêt : Ctrl+C.
    """
    from clauselint.errors import ClauselintError

    try:
        import fastapi  # noqa: F401
        import python_multipart  # noqa: F401
        import uvicorn
    except ImportError:
        raise ClauselintError(INSTALL_HINT) from None
    if not 1 <= port <= 65535:
        raise ClauselintError(f"--port : « {port} » ? indiquez un port entre 1 et 65535 (ex. --port 8000)")
    if workers < 1:
        raise ClauselintError(f"--workers : « {workers} » ? indiquez un nombre de processus positif (ex. --workers 2)")

    from clauselint.web.app import create_app
    from clauselint.web.settings import load_settings

    settings = load_settings(max_megabytes=max_size, max_files=max_files, library=library, temp_root=temp_dir)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"clauselint serve : http://{shown}:{port}/ (Ctrl+C pour arrêter)", err=True)
    if not settings.dsfr_available:
        typer.echo("clauselint: attention : système de design de l'État (DSFR) absent ; feuille de style de secours "
                   "(installez-le avec « make install », npm requis)", err=True)
    options = dict(host=host, port=port, log_config=log_config(), server_header=False, proxy_headers=False)
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    import os

    from clauselint.web.settings import SETTINGS_ENV, to_environment

    # Each worker is a fresh process that builds its own app (and engine) from these settings.
    os.environ[SETTINGS_ENV] = to_environment(settings)
    uvicorn.run("clauselint.web.app:app_from_environment", factory=True, workers=workers, **options)
