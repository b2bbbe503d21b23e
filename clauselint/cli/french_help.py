"""French wording for the help screens and usage errors that Click and Typer print in English."""

from __future__ import annotations

import re

_FR = {
    "Show this message and exit.": "Affiche cette aide et quitte.",
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
}


def _fr(message: str) -> str:
    return _FR.get(message, message)


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
        # Some errors (missing parameters) build their text in format_message(), not in .message.
        english = self.format_message
        self.format_message = lambda: translate_usage_error(english())
        return original_format_error(self, *args, **kwargs)

    rich_utils.rich_format_error = rich_format_error
