"""``clauselint classify CODE``: a purchase's category, control regime and the circular's warnings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from clauselint.cli.common import FormatOption, check_format

if TYPE_CHECKING:
    from decimal import Decimal

    from clauselint.policy import Assessment

EPILOG = (
    "Exemple : clauselint classify 33.04.01 --montant 450000 --montant-projet \"12 M€\" "
    "--externalisation \"65 %\" --seuil-controle-a-priori \"150 k€\""
)

SEVERITY_LABELS = {"error": "erreur", "warning": "attention", "info": "info"}
_INDENT = "  "


def classify(
    code: Annotated[
        str,
        typer.Argument(
            help="Code de la nomenclature des achats de l'État (33.04.01, 330401 ou 33 04 01).",
            metavar="CODE",
            show_default=False,
        ),
    ],
    montant: Annotated[
        str | None,
        typer.Option(
            "--montant",
            help="Montant HT de la commande (ex. 450000, « 450\u00a0k€ », « 1,5\u00a0M€ »).",
            metavar="MONTANT",
            show_default=False,
        ),
    ] = None,
    montant_projet: Annotated[
        str | None,
        typer.Option(
            "--montant-projet",
            help="Montant total du projet (au-delà de 9\u00a0M€ : avis conforme de la DINUM).",
            metavar="MONTANT",
            show_default=False,
        ),
    ] = None,
    externalisation: Annotated[
        str | None,
        typer.Option(
            "--externalisation",
            help="Part externalisée du pilotage ou de la réalisation du projet : ratio (0.65) ou pourcentage (« 65\u00a0% »).",
            metavar="TAUX",
            show_default=False,
        ),
    ] = None,
    pro_bono: Annotated[
        bool, typer.Option("--pro-bono", help="La mission est effectuée à titre gracieux.")
    ] = False,
    seuil: Annotated[
        str | None,
        typer.Option(
            "--seuil-controle-a-priori",
            help="Seuil HT de contrôle a priori fixé par le secrétaire général (1re catégorie) ; "
            "remplace la clé a_priori_threshold de clauselint.toml.",
            metavar="MONTANT",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = "text",
) -> None:
    """Classe un achat de prestation intellectuelle informatique : catégorie, régime de contrôle et points d'attention de la circulaire."""
    from clauselint.config import find_config
    from clauselint.policy import assess, configured_a_priori_threshold, parse_amount, parse_outsourcing

    check_format(fmt, ("text", "json"))
    order = parse_amount(montant, "--montant") if montant is not None else None
    project = parse_amount(montant_projet, "--montant-projet", excluding_tax=False) if montant_projet is not None else None
    rate = parse_outsourcing(externalisation, "--externalisation") if externalisation is not None else None
    if seuil is not None:
        threshold = parse_amount(seuil, "--seuil-controle-a-priori")
        threshold_source = "--seuil-controle-a-priori"
    else:
        config = find_config()
        threshold = configured_a_priori_threshold(config)
        threshold_source = str(config.path) if threshold is not None else None

    result = assess(
        code=code,
        amount=order,
        project_amount=project,
        outsourcing=rate,
        pro_bono=pro_bono,
        a_priori_threshold=threshold,
    )
    if fmt == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(result, threshold_source))
    if result.has_errors:
        raise typer.Exit(1)


def _value(value: "Decimal | None", shown: str, option: str) -> str:
    return shown if value is not None else f"non indiqué ({option})"


def render_text(result: "Assessment", threshold_source: str | None = None) -> str:
    """The assessment as French text: the code, the category, the inputs, the regime, then the findings."""
    from clauselint import french

    lines = [
        f"{result.code} — {result.nomenclature_label} ({result.nomenclature_short})",
        f"Catégorie {result.category} : {result.category_label}",
        "",
        "Données",
    ]
    threshold = "non renseigné"
    if result.a_priori_threshold is not None:
        threshold = french.amount(result.a_priori_threshold)
        if threshold_source:
            threshold += f" ({threshold_source})"
    data = [
        ("Montant de la commande", _value(result.amount, french.amount(result.amount or 0), "--montant")),
        ("Montant total du projet", _value(result.project_amount, french.amount(result.project_amount or 0, suffix=""), "--montant-projet")),
        ("Taux d'externalisation", _value(result.outsourcing, french.percent(result.outsourcing or 0), "--externalisation")),
        ("Mission pro bono", "oui" if result.pro_bono else "non"),
    ]
    if result.category == 1:
        data.append(("Seuil de contrôle a priori", threshold))
    width = max(len(label) for label, _ in data)
    lines += [f"{_INDENT}{label.ljust(width)}  {value}" for label, value in data]

    lines += ["", f"Régime de contrôle ({french.plural(len(result.regime), 'obligation')})"]
    number_width = len(str(len(result.regime))) + 2
    for index, obligation in enumerate(result.regime, start=1):
        lines.append(f"{_INDENT}{f'{index}.'.ljust(number_width)}{obligation.text}")
        lines.append(f"{_INDENT}{' ' * number_width}base : {obligation.basis}")

    lines.append("")
    if not result.findings:
        lines.append("Points d'attention : aucun")
    else:
        lines.append("Points d'attention")
        label_width = max(len(v) for v in SEVERITY_LABELS.values())
        for finding in result.findings:
            label = SEVERITY_LABELS[finding.severity].ljust(label_width)
            lines.append(f"{_INDENT}{label}  {finding.code} {finding.name} : {finding.message}")
            lines.append(f"{_INDENT}{' ' * label_width}  base : {finding.basis}")
    counts = {s: sum(f.severity == s for f in result.findings) for s in SEVERITY_LABELS}
    lines += [
        "",
        f"Bilan : {french.plural(counts['error'], 'erreur')}, {french.plural(counts['warning'], 'avertissement')}, "
        f"{french.plural(counts['info'], 'information')}",
    ]
    return "\n".join(lines)
