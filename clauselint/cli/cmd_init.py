"""``clauselint init``: write a complete, commented example spec that assembles as is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clauselint.cli.common import LibraryOption

EPILOG = "Exemple : clauselint init --categorie 1 -o tender.yaml && clauselint assemble tender.yaml -o dossier/"


def init(
    categorie: Annotated[
        int,
        typer.Option("--categorie", "-c", help="Catégorie de la circulaire de l'exemple : 1, 2 ou 3.", metavar="1|2|3"),
    ] = 3,
    output: Annotated[Path, typer.Option("--output", "-o", help="Fichier à écrire.")] = Path("tender.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Remplace le fichier s'il existe.")] = False,
    library: LibraryOption = None,
) -> None:
    """Écrit une spec d'exemple complète et commentée (en français), prête à assembler."""
    from clauselint.atomic import refuse_overwrite, write_text_atomic
    from clauselint.cli.common import console, load_library
    from clauselint.errors import ClauselintError
    from clauselint.spec.example import example_spec

    if categorie not in (1, 2, 3):
        raise ClauselintError(f"--categorie {categorie} : la circulaire compte trois catégories ; choisissez 1, 2 ou 3")
    refuse_overwrite(output, force)
    lib = load_library(library)
    # The IP option the example writes is the first the library's clause offers for this category.
    ip_option = next(
        (
            clause.variables["option"].default or (clause.variables["option"].choices or [None])[0]
            for clause in lib.by_family("intellectual-property")
            if categorie in clause.applies.categories and "option" in clause.variables
        ),
        None,
    )
    write_text_atomic(output, example_spec(categorie, output.name, ip_option))
    console().print(
        f"Spec d'exemple (catégorie {categorie}) écrite dans {output}. Adaptez-la, puis : "
        f"clauselint assemble {output} -o dossier/",
        markup=False,
    )
