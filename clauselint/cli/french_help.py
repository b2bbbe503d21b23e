"""French wording for the help screens and usage errors that Click and Typer print in English."""

from __future__ import annotations

import re

_FR = {
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Usage:": "Usage :",
    "Options": "Options",
    "Arguments": "Arguments",
    "Commands": "Commandes",
    "Error": "Erreur",
    "Aborted.": "Interrompu.",
    "[default: {}]": "[défaut : {}]",
    "[required]": "[obligatoire]",
    "(deprecated) ": "(obsolète) ",
    "[env var: {}]": "[variable d'env. : {}]",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Voir [blue]« {command_path} {help_option} »[/] pour l'aide.",
    "Try '{command} {option}' for help.": "Voir « {command} {option} » pour l'aide.",
    "No such option: {name}": "option inconnue : {name}",
    "No such command {name!r}.": "commande inconnue « {name} ».",
    "Missing argument {param_hint}.": "argument manquant : {param_hint}.",
    "Missing option {param_hint}.": "option manquante : {param_hint}.",
    "Missing parameter {param_hint}.": "paramètre manquant : {param_hint}.",
    "Invalid value for {param_hint}: {message}": "valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "valeur invalide : {message}",
    "Got unexpected extra argument ({args})": "argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "arguments en trop : {args}",
    "Option {name!r} requires an argument.": "l'option {name} attend une valeur.",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Possible options: {possibilities})": "(options possibles : {possibilities})",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",
    "{value!r} is not one of {choices}.": "« {value} » n'est pas parmi {choices}.",
    "{value!r} is not a valid boolean.": "« {value} » n'est pas un booléen valide.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "File": "Fichier",
    "Directory": "Dossier",
    "Path": "Chemin",
}


def _fr(message: str) -> str:
    return _FR.get(message, message)


def _fr_n(singular: str, plural: str, count: int) -> str:
    return _fr(singular if count == 1 else plural)


_USAGE_ERRORS = (
    (re.compile(r"^No such option: (.+?)(?: Did you mean (.+)\?)?$"), "option inconnue : {0}"),
    (re.compile(r"^No such command '(.+)'\.$"), "commande inconnue « {0} »"),
    (re.compile(r"^Missing argument '(.+)'\.$"), "argument manquant : {0}"),
    (re.compile(r"^Missing option '(.+)'\.$"), "option manquante : {0}"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), "l'option {0} attend une valeur"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "argument(s) en trop : {0}"),
    (re.compile(r"^Invalid value for '?(.+?)'?: (.+)$"), "valeur invalide pour {0} : {1}"),
)


def translate_usage_error(message: str) -> str:
    for pattern, french in _USAGE_ERRORS:
        match = pattern.match(message.strip())
        if match:
            return french.format(*match.groups())
    return message


def install() -> None:
    """Give Typer's help screens and usage errors French wording (Typer vendors Click, untranslated)."""
    import typer._click.core as click_core
    import typer.rich_utils as rich_utils

    for name in (
        "DEFAULT_STRING", "REQUIRED_LONG_STRING", "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE",
        "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP", "DEPRECATED_STRING",
        "ENVVAR_STRING",
    ):
        setattr(rich_utils, name, _fr(getattr(rich_utils, name)))

    original_help_option = click_core.Command.get_help_option
    if getattr(original_help_option, "_clauselint", False):
        return

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = _fr(option.help or "")
        return option

    get_help_option._clauselint = True  # type: ignore[attr-defined]
    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    original_format_error = rich_utils.rich_format_error

    def rich_format_error(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.message = translate_usage_error(self.message)
        return original_format_error(self, *args, **kwargs)

    rich_utils.rich_format_error = rich_format_error
