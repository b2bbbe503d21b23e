"""``clauselint assemble SPEC -o DOSSIER``: the tender package (DCE) from one validated spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clauselint.cli.common import LibraryOption

EPILOG = "Exemple : clauselint assemble examples/tender.yaml -o dossier/ --force"

SEVERITY_LABELS = {"error": "erreur", "warning": "attention", "info": "info"}


def assemble(
    spec: Annotated[
        Path,
        typer.Argument(help="Spec YAML de la consultation (créez-en une avec « clauselint init »).", show_default=False),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Dossier où écrire le DCE (remplacé seulement avec --force)."),
    ] = Path("dossier"),
    force: Annotated[bool, typer.Option("--force", help="Remplace le dossier de sortie s'il n'est pas vide.")] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="docx (documents Word) ou md (aperçus Markdown)."),
    ] = "docx",
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Convertit aussi chaque document Word en PDF (LibreOffice « soffice » requis)."),
    ] = False,
    library: LibraryOption = None,
) -> None:
    """Assemble le dossier de consultation : RC, CCAP, CCTP, AE, annexes, note de conformité et manifeste.

    Code de sortie : 0 dossier écrit ; 1 dossier écrit, point bloquant de la circulaire ; 2 erreur.
    """
    from clauselint.assemble import assemble as run
    from clauselint.cli.common import console, load_library

    lib = load_library(library)
    package = run(spec, output, lib, fmt=fmt, pdf=pdf, force=force)
    err = console(stderr=True)
    for warning in package.warnings:
        err.print(f"clauselint: attention : {warning}", markup=False)

    out = console()
    a = package.assessment
    out.print(
        f"Dossier assemblé dans {output} : catégorie {a.category} ({a.code} – {a.nomenclature_label}).",
        markup=False,
    )
    width = max(len(f["path"]) for f in package.files)
    for f in package.files:
        label = f["title"] + (" (interne : à ne pas publier)" if f["document"] == "note" else "")
        out.print(f"  {f['path']:<{width}}  {label}", markup=False)
    out.print(f"  {'manifest.json':<{width}}  Empreintes SHA-256 et clauses de chaque fichier", markup=False)
    todo = sum(d.todo_count() for d in package.documents if d.key != "note")
    out.print(
        f"{len(package.plan.selected)} clauses types intégrées ; {todo} mentions « À COMPLÉTER » à rédiger "
        "(surlignées dans les documents).",
        markup=False,
    )
    if a.findings:
        note = next(f["path"] for f in package.files if f["document"] == "note")
        out.print(f"Points d'attention de la circulaire (détail dans {note}) :", markup=False)
        for finding in a.findings:
            out.print(f"  {SEVERITY_LABELS.get(finding.severity, finding.severity)} {finding.code} : {finding.message}",
                      markup=False)
    if a.has_errors:
        # The package is written (a draft is still useful), but the circular blocks the purchase as it stands.
        codes = ", ".join(f.code for f in a.findings if f.severity == "error")
        out.print(f"Dossier écrit, mais l'achat présente un point bloquant de la circulaire ({codes}) : "
                  "traitez-le avant de publier.", markup=False)
        raise typer.Exit(1)
