"""``clauselint fix CONTRAT.docx -o CORRIGE.docx``: insert the missing clauses as Word tracked changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clauselint.cli.common import LibraryOption, context_options, parse_category

if TYPE_CHECKING:
    from clauselint.fix import FixResult

EPILOG = (
    "Exemples : clauselint fix contrat.docx -o contrat.corrige.docx   ·   "
    "clauselint fix contrat.docx --dry-run --only C107,C108   ·   "
    "clauselint fix contrat.docx -o corrige.docx --spec tender.yaml --set delai_jours=15 --replace-contradictions"
)

FORMATS = ("text", "json")

CategoryOption, AgileOption, PersonalDataOption = context_options("la valeur de --spec, sinon celle déduite du document")


def fix(
    ctx: typer.Context,
    contract: Annotated[
        Path,
        typer.Argument(help="Contrat à corriger (.docx ; un .odt est d'abord converti en .docx par LibreOffice).",
                       show_default=False, metavar="CONTRAT"),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Fichier .docx corrigé à écrire (le contrat d'origine n'est jamais "
                     "modifié).", show_default=False),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option("--spec", help="Spec YAML de la consultation : valeurs des clauses (« variables »), acheteur, "
                     "objet, catégorie et conditions du marché.", show_default=False),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Valeur d'une variable des clauses insérées, nom=valeur ou clause.nom=valeur "
                     "(répétable ; l'emporte sur --spec).", show_default=False),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option("--only", help="Ne corriger que ces règles : codes, préfixes ou familles séparés par des "
                     "virgules (ex. C102,C105,data-destruction).", show_default=False),
    ] = None,
    replace_contradictions: Annotated[
        bool,
        typer.Option("--replace-contradictions", help="Supprime aussi la phrase contradictoire (suppression suivie) et "
                     "insère la rédaction de la bibliothèque ; sans cette option, elle est seulement commentée."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Affiche ce qui serait inséré, et où, sans rien écrire."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Format du compte rendu : text ou json.")] = "text",
    categorie: CategoryOption = None,
    agile: AgileOption = None,
    personal_data: PersonalDataOption = None,
    force: Annotated[bool, typer.Option("--force", help="Remplace le fichier corrigé s'il existe déjà.")] = False,
    library: LibraryOption = None,
    max_size: Annotated[
        float | None,
        typer.Option("--max-taille", help="Taille maximale du document, en Mo (défaut : 50).", show_default=False),
    ] = None,
) -> None:
    """Corrige un contrat Word : insère les clauses manquantes en modifications suivies, chacune commentée.

    Chaque clause exigée et absente devient un nouvel article, placé après l'article dont l'intitulé est le plus
    proche, avec le style et la numérotation du document. Une phrase qui contredit une clause est commentée
    (et remplacée avec --replace-contradictions). Le relecteur accepte ou refuse chaque modification dans Word ou
    LibreOffice. Code de sortie : 0 (rien à corriger, ou corrigé), 2 en cas d'erreur.
    """
    from clauselint.cli.common import check_format
    from clauselint.config import find_config
    from clauselint.errors import ClauselintError
    from clauselint.fix import FixOptions, RenderValues, apply_sets, fix_file, from_spec
    from clauselint.lint.findings import lint_codes, resolve_selectors, split_list

    check_format(fmt, FORMATS)
    if max_size is not None and max_size <= 0:
        raise ClauselintError(f"--max-taille : « {max_size} » Mo ? indiquez une taille positive (ex. --max-taille 100)")
    category = parse_category(categorie, None, "--categorie") if categorie is not None else None
    config = find_config()
    folders = tuple([*config.paths("library"), *(library or [])])
    # The same library object the fixer's linter will use: read once per process.
    from clauselint.lint.runner import library_for

    lib = library_for(folders)
    values = from_spec(spec, lib) if spec is not None else RenderValues()
    values = apply_sets(values, list(sets or []), lib)
    wanted = resolve_selectors(split_list(only), "--only") if only else set(lint_codes())
    selected = frozenset(c for c in wanted if c[:2] in ("C1", "C2"))
    if not selected:
        raise ClauselintError(f"--only « {only} » : aucune règle corrigeable (C1xx clause manquante, C2xx clause "
                              "contredite)")
    options = FixOptions(
        selected=selected,
        values=values,
        category=category,
        agile=agile,
        personal_data=personal_data,
        replace_contradictions=replace_contradictions,
        dry_run=dry_run,
        force=force,
        library_folders=folders,
        max_file_bytes=int(max_size * 1024 * 1024) if max_size else None,
    )
    result = fix_file(contract, output, options)
    if fmt == "json":
        typer.echo(json.dumps(as_json(result, dry_run), ensure_ascii=False, indent=2))
    else:
        for line in text_lines(result, dry_run):
            typer.echo(line)
    for skipped in result.skipped:
        typer.echo(f"clauselint: attention : {result.input}: {skipped.code} non corrigée : {skipped.reason}", err=True)


def _context(result: "FixResult") -> str:
    ctx = result.context
    parts = [f"catégorie {ctx.category}" if ctx.category else "catégorie indéterminée",
             "agile" if ctx.agile else "non agile",
             "avec données personnelles" if ctx.personal_data else "sans données personnelles"]
    return ", ".join(parts)


def _quote(text: str, limit: int = 90) -> str:
    from clauselint.lint.findings import excerpt

    return f"« {excerpt(text, limit)} »"


def text_lines(result: "FixResult", dry_run: bool) -> list[str]:
    lines = [f"{result.input} — {_context(result)}"]
    if result.converted_from is not None:
        lines.append("  (.odt converti en .docx par LibreOffice : le fichier corrigé est un .docx)")
    for change in result.changes:
        clause = ", ".join(f"{cid} v{version}" for cid, version in change.clauses)
        if change.kind == "insertion":
            where = {"after": f"après « {change.anchor} »", "before": f"avant « {change.anchor} »",
                     "end": "à la fin du document"}[change.position]
            verb = "insérerait" if dry_run else "insère"
            lines.append(f"  {change.code} {change.rule} : {verb} l'article « {change.heading} » (clause {clause}) "
                         f"{where}")
        else:
            if change.action == "remplacement":
                verb = "remplacerait" if dry_run else "remplace"
                lines.append(f"  {change.code} {change.rule} : {verb} la phrase {_quote(change.sentence or '')} "
                             f"par la clause {clause}")
            else:
                verb = "commenterait" if dry_run else "commente"
                lines.append(f"  {change.code} {change.rule} : {verb} la phrase {_quote(change.sentence or '')} "
                             f"et propose la clause {clause}")
            if change.note:
                lines.append(f"      remarque : {change.note}")
        if dry_run:
            lines.extend(f"      | {paragraph}" for paragraph in change.text)
    count = len(result.changes)
    if count == 0:
        lines.append("Rien à corriger : aucune clause exigée ne manque ni n'est contredite"
                     + (" (hors règles ignorées)." if result.skipped else "."))
        if not dry_run and result.output is not None:
            lines.append(f"Aucun fichier écrit ({result.output} n'est pas créé).")
        return lines
    plural = "s" if count > 1 else ""
    if dry_run:
        lines.append(f"Simulation : {count} modification{plural} suivie{plural} ; aucun fichier écrit.")
    else:
        lines.append(f"{count} modification{plural} suivie{plural}, commentée{plural}, écrite{plural} dans "
                     f"{result.output} (auteur « clauselint ») : acceptez-les ou refusez-les une à une dans Word "
                     "(Révision) ou LibreOffice (Édition › Suivi des modifications).")
    return lines


def as_json(result: "FixResult", dry_run: bool) -> dict:
    ctx = result.context
    return {
        "file": str(result.input),
        "output": str(result.output) if result.output is not None else None,
        "written": result.written,
        "dry_run": dry_run,
        "converted_from_odt": result.converted_from is not None,
        "context": {"category": ctx.category, "agile": ctx.agile, "personal_data": ctx.personal_data},
        "changes": [change.as_dict() for change in result.changes],
        "skipped": [{"family": s.family, "code": s.code, "reason": s.reason} for s in result.skipped],
    }
