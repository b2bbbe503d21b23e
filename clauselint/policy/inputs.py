"""Reading the policy engine's inputs as people write them: « 1,5 M€ », « 450 k », « 65 % »."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from clauselint.errors import ConfigError, PolicyError

if TYPE_CHECKING:
    from clauselint.config import Config

CONFIG_THRESHOLD_KEY = "a_priori_threshold"

_MULTIPLIERS = {
    "": 1,
    "k": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "md": 1_000_000_000,
    "mds": 1_000_000_000,
    "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_AMOUNT_RE = re.compile(
    r"^(?P<number>\d+(?:[.,]\d+)?)"
    r"(?P<mult>k|m|md|mds|millions?|milliards?)?"
    r"(?:€|eur|euros?)?"
    r"(?P<tax>ht|ttc)?$"
)
_DIGIT_SPACE_DIGIT = re.compile(r"\d[\s\u00a0\u202f\u2009]+\d")
_GROUPED = re.compile(r"^\d{1,3}(?:[\s\u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?!\d)")
_AMOUNT_EXAMPLES = "ex. 450000, 450 000, 450k, 9M, 1,5 M€"


def _fail(message: str, what: str | None) -> PolicyError:
    return PolicyError(f"{what} : {message}" if what else message)


def parse_amount(value: object, what: str | None = None, excluding_tax: bool = True) -> Decimal:
    """A euro amount from a number or a text such as « 1,5 M€ »; ``what`` names the input in errors.

    With ``excluding_tax`` (orders, thresholds) a « TTC » amount is refused; without it (a project's
    total, which the circular states without saying HT or TTC) « HT » and « TTC » are both accepted.
    """
    if isinstance(value, bool):
        raise _fail(f"« {value} » n'est pas un montant ({_AMOUNT_EXAMPLES})", what)
    if isinstance(value, (int, float, Decimal)):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise _fail(f"« {value} » n'est pas un montant ({_AMOUNT_EXAMPLES})", what) from None
        if not amount.is_finite():
            raise _fail(f"« {value} » n'est pas un montant ({_AMOUNT_EXAMPLES})", what)
    else:
        raw = str(value)
        text = _SPACES.sub("", raw).lower()
        match = _AMOUNT_RE.match(text)
        # Spaces may only separate groups of three digits: « 45 0000 » is a typo, not 450 000.
        if match and _DIGIT_SPACE_DIGIT.search(raw) and not _GROUPED.match(raw.strip()):
            match = None
        if not match:
            raise _fail(f"montant « {raw.strip()} » illisible ({_AMOUNT_EXAMPLES})", what)
        if excluding_tax and match.group("tax") == "ttc":
            raise _fail(f"montant « {raw.strip()} » toutes taxes comprises : indiquez le montant hors taxes", what)
        number = match.group("number")
        multiplier = _MULTIPLIERS[match.group("mult") or ""]
        # « 450.000 » or « 1,500 » could be a thousands separator or a decimal one: refuse to guess.
        if multiplier == 1 and re.fullmatch(r"\d+[.,]\d{3}", number):
            raise _fail(
                f"montant « {raw.strip()} » ambigu (séparateur décimal ou de milliers ?) : "
                "écrivez les milliers avec des espaces (450 000) ou sans séparateur (450000)",
                what,
            )
        amount = Decimal(number.replace(",", ".")) * multiplier
    if amount < 0:
        raise _fail(f"montant négatif ({value}) : indiquez un montant positif ou nul", what)
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def parse_outsourcing(value: object, what: str | None = None) -> Decimal:
    """An outsourcing rate as a ratio 0–1, from a ratio (0.65, « 0,65 ») or a percentage text (« 65 % »)."""
    hint = "donnez un ratio entre 0 et 1 (ex. 0.65) ou un pourcentage (ex. « 65 % »)"
    if isinstance(value, bool):
        raise _fail(f"taux d'externalisation « {value} » illisible : {hint}", what)
    if isinstance(value, (int, float, Decimal)):
        try:
            ratio = Decimal(str(value))
        except InvalidOperation:
            raise _fail(f"taux d'externalisation « {value} » illisible : {hint}", what) from None
        if not ratio.is_finite():
            raise _fail(f"taux d'externalisation « {value} » illisible : {hint}", what)
        shown = str(value)
    else:
        shown = str(value).strip()
        text = _SPACES.sub("", shown)
        match = re.fullmatch(r"(\d+(?:[.,]\d+)?)(%?)", text)
        if not match:
            raise _fail(f"taux d'externalisation « {shown} » illisible : {hint}", what)
        ratio = Decimal(match.group(1).replace(",", "."))
        if match.group(2):
            ratio /= 100
    if not Decimal(0) <= ratio <= Decimal(1):
        raise _fail(f"taux d'externalisation « {shown} » hors de 0 à 100 % : {hint}", what)
    return ratio.normalize() if ratio else Decimal(0)


def configured_a_priori_threshold(config: "Config") -> Decimal | None:
    """The a-priori control threshold set in ``clauselint.toml`` / ``[tool.clauselint]``, if any."""
    raw = config.get(CONFIG_THRESHOLD_KEY)
    if raw is None:
        return None
    try:
        return parse_amount(raw)
    except PolicyError as exc:
        raise ConfigError(
            f"« {CONFIG_THRESHOLD_KEY} » : {exc.message} ; ex. {CONFIG_THRESHOLD_KEY} = 150000 "
            f"ou {CONFIG_THRESHOLD_KEY} = \"150 k€\"",
            where=config.path,
        ) from None
