"""French typography for what users read: amounts, dates, percentages."""

from __future__ import annotations

import datetime as _dt
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # no-break space: between thousands groups and before units

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def group_thousands(value: int) -> str:
    sign = "-" if value < 0 else ""
    digits = str(abs(value))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + NBSP.join(reversed(groups))


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """``1234567.5`` → ``1 234 567,50`` with ``decimals=2``."""
    quant = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    amount = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(amount):f}".partition(".")
    text = group_thousands(int(whole))
    if amount < 0:
        text = "-" + text
    return f"{text},{frac}" if decimals else text


def amount(value: float | int | Decimal, suffix: str = "HT") -> str:
    """``1200000`` → ``1 200 000 € HT``; cents shown only when there are some."""
    dec = Decimal(str(value))
    decimals = 0 if dec == dec.to_integral_value() else 2
    text = f"{number(dec, decimals)}{NBSP}€"
    return f"{text} {suffix}" if suffix else text


def percent(ratio: float) -> str:
    """``0.65`` → ``65 %``; ``0.625`` → ``62,5 %``."""
    value = Decimal(str(ratio)) * 100
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text}{NBSP}%"


def date(value: _dt.date) -> str:
    """``date(2023, 2, 7)`` → ``7 février 2023``; the first of the month is « 1er »."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def months(count: int) -> str:
    return f"{count} mois"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"
