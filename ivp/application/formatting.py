"""Dutch (default) and English formatting of euros, numbers, percentages, dates and werkdagen.

Used for tables in the CLI, the app and the reports; JSON output stays machine-readable and
does not use this module. Conventions, one per language (``lang="nl"`` or ``"en"``):

========================  ======================  ==================
what                      Dutch (``nl``)          English (``en``)
========================  ======================  ==================
euro, 2 decimals          ``€ 1.234,56``          ``€1,234.56``
euro, whole               ``€ 108.000``           ``€108,000``
negative euro             ``€ -1.234,56``         ``-€1,234.56``
number                    ``1.234,5``             ``1,234.5``
percentage (of 0.27)      ``27 %``                ``27%``
date                      ``26-04-2025``          ``26 Apr 2025``
werkdagen                 ``1 werkdag``,          ``1 working day``,
                          ``10 werkdagen``        ``10 working days``
missing (None, NaN, NaT)  ``–``                   ``–``
========================  ======================  ==================

* Separators and sign placement follow CLDR via babel (locales ``nl_NL`` and ``en``), except
  that the space between ``€`` and the amount is a normal space, not CLDR's non-breaking
  one, as the UI specification asks: output is plain ASCII spacing that compares, copies and
  pastes into Excel predictably. The same normal space is used in ``27 %``.
* Dutch percentages take a space before ``%`` (ISO 80000-1 and the Dutch practice this
  project's documents follow, e.g. "95 % confidence interval"); English ones do not.
* The English date is ``d MMM yyyy`` ("26 Apr 2025"): unambiguous for readers used to
  either day-month or month-day order, unlike ``26/04/2025``.
* Amounts are rounded half away from zero (commercial rounding, as on invoices), not with
  babel's default banker's rounding; a result that rounds to zero is shown without a sign.
* A missing value renders as :data:`MISSING`, an en dash, in both languages: it is short
  enough for table cells and does not claim more than "no value" (e.g. not "onbekend" for
  "did not happen"). Infinite amounts are refused, infinite numbers shown as ``∞``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Any, Literal

import numpy as np
from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

__all__ = [
    "Lang",
    "MISSING",
    "format_date",
    "format_euro",
    "format_number",
    "format_percent",
    "format_werkdagen",
]

Lang = Literal["nl", "en"]

MISSING = "–"
"""Placeholder for a missing value (None, NaN, NaT, pandas.NA): an en dash."""

_LOCALES: dict[str, str] = {"nl": "nl_NL", "en": "en"}
_DATE_PATTERNS: dict[str, str] = {"nl": "dd-MM-yyyy", "en": "d MMM yyyy"}
_PERCENT_SEPARATOR: dict[str, str] = {"nl": " ", "en": ""}
_WERKDAG_WORDS: dict[str, tuple[str, str]] = {
    "nl": ("werkdag", "werkdagen"),
    "en": ("working day", "working days"),
}
_EURO_DECIMALS = (0, 2)
_PERCENT_SCALE = 100
_NON_BREAKING_SPACES = ("\u00a0", "\u202f")
# Enough significant digits for any amount a budget can hold, with its decimals.
_DECIMAL_PRECISION = 50


def _locale(lang: str) -> str:
    try:
        return _LOCALES[lang]
    except KeyError:
        raise ValueError(f"lang must be one of {', '.join(_LOCALES)}, got {lang!r}") from None


def _is_missing(value: Any) -> bool:
    """None, NaN (float, numpy, Decimal), NaT or pandas.NA."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    if isinstance(value, decimal.Decimal):
        return value.is_nan()
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _to_decimal(value: Any, what: str) -> decimal.Decimal:
    """An exact decimal of a number; floats via their shortest repr (2.675 stays 2.675)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be a number, got a bool: {value!r}")
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, (int, np.integer)):
        return decimal.Decimal(int(value))
    if isinstance(value, (float, np.floating)):
        return decimal.Decimal(repr(float(value)))
    raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r}")


def _round(value: decimal.Decimal, decimals: int) -> decimal.Decimal:
    """Round half away from zero to ``decimals`` places; -0 becomes 0."""
    with decimal.localcontext() as context:
        context.prec = _DECIMAL_PRECISION
        rounded = value.quantize(decimal.Decimal(1).scaleb(-decimals), decimal.ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _check_decimals(decimals: Any) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative int, got {decimals!r}")
    return decimals


def _plain_spaces(text: str) -> str:
    for space in _NON_BREAKING_SPACES:
        text = text.replace(space, " ")
    return text


def _number_pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _format_decimal(value: decimal.Decimal, decimals: int, lang: str) -> str:
    text = _babel_format_decimal(
        _round(value, decimals), format=_number_pattern(decimals), locale=_locale(lang)
    )
    return _plain_spaces(text)


def format_euro(amount: Any, lang: Lang = "nl", decimals: int = 0) -> str:
    """An amount in euros: ``"€ 1.234,56"`` / ``"€ 108.000"`` (nl), ``"€1,234.56"`` (en).

    ``decimals`` is 0 (whole euros, the default: budgets are planned in whole euros) or 2
    (cents). Missing amounts render as :data:`MISSING`; infinite ones are refused.
    """
    locale = _locale(lang)
    if decimals not in _EURO_DECIMALS or isinstance(decimals, bool):
        raise ValueError(f"decimals must be 0 or 2 for euros, got {decimals!r}")
    if _is_missing(amount):
        return MISSING
    value = _to_decimal(amount, "amount")
    if not value.is_finite():
        raise ValueError(f"cannot format an infinite amount of euros: {amount!r}")
    # The locale's own currency pattern (sign placement), with the asked number of decimals.
    standard = Locale.parse(locale).currency_formats["standard"].pattern
    pattern = standard.replace("0.00", "0." + "0" * decimals if decimals else "0")
    text = _babel_format_decimal(_round(value, decimals), format=pattern, locale=locale)
    return _plain_spaces(text.replace("¤", "€"))


def format_number(value: Any, lang: Lang = "nl", decimals: int = 0) -> str:
    """A number with grouping: ``"1.234,5"`` (nl), ``"1,234.5"`` (en), rounded to
    ``decimals`` places (half away from zero). Missing renders as :data:`MISSING`,
    infinity as ``"∞"`` / ``"-∞"``."""
    _locale(lang)
    decimals = _check_decimals(decimals)
    if _is_missing(value):
        return MISSING
    number = _to_decimal(value, "value")
    if number.is_infinite():
        return "-∞" if number < 0 else "∞"
    return _format_decimal(number, decimals, lang)


def format_percent(fraction: Any, lang: Lang = "nl", decimals: int = 0) -> str:
    """A fraction as a percentage: 0.27 → ``"27 %"`` (nl), ``"27%"`` (en).

    The argument is a fraction (0.27), not percentage points (27). Missing renders as
    :data:`MISSING`.
    """
    _locale(lang)
    decimals = _check_decimals(decimals)
    if _is_missing(fraction):
        return MISSING
    number = _to_decimal(fraction, "fraction")
    if number.is_infinite():
        digits = "-∞" if number < 0 else "∞"
    else:
        digits = _format_decimal(number * _PERCENT_SCALE, decimals, lang)
    return f"{digits}{_PERCENT_SEPARATOR[lang]}%"


_POINTS = {"nl": "%-punt", "en": "pp"}


def format_points(fraction: Any, lang: Lang = "nl", decimals: int = 1) -> str:
    """A difference of two shares in percentage points: 0.418 → ``"41,8 %-punt"`` (nl),
    ``"41.8 pp"`` (en), not "41,8 %" (which would read as a relative change)."""
    _locale(lang)
    decimals = _check_decimals(decimals)
    if _is_missing(fraction):
        return MISSING
    number = _to_decimal(fraction, "fraction")
    return f"{_format_decimal(number * _PERCENT_SCALE, decimals, lang)} {_POINTS[lang]}"


def format_date(d: Any, lang: Lang = "nl") -> str:
    """A date: ``"26-04-2025"`` (nl, dd-mm-jjjj), ``"26 Apr 2025"`` (en).

    Accepts ``date``, ``datetime``/``pandas.Timestamp`` (the date part) and
    ``numpy.datetime64``; None and NaT render as :data:`MISSING`.
    """
    locale = _locale(lang)
    if _is_missing(d):
        return MISSING
    if isinstance(d, np.datetime64):
        d = d.astype("datetime64[D]").item()
    if isinstance(d, dt.datetime):
        d = d.date()
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")
    return _babel_format_date(d, format=_DATE_PATTERNS[lang], locale=locale)


def format_werkdagen(n: Any, lang: Lang = "nl", decimals: int = 0) -> str:
    """A number of working days: ``"1 werkdag"``, ``"10 werkdagen"``; ``"1 working day"``,
    ``"10 working days"``.

    The singular is used only for exactly (minus) one shown without decimals, as in CLDR's
    plural rules for Dutch and English ("1,0 werkdagen"). ``decimals`` > 0 is for means
    (``"12,4 werkdagen"``). Missing renders as :data:`MISSING`.
    """
    _locale(lang)
    singular, plural = _WERKDAG_WORDS[lang]
    decimals = _check_decimals(decimals)
    if _is_missing(n):
        return MISSING
    number = _to_decimal(n, "the number of werkdagen")
    if not number.is_finite():
        raise ValueError(f"cannot format an infinite number of werkdagen: {n!r}")
    rounded = _round(number, decimals)
    word = singular if decimals == 0 and abs(rounded) == 1 else plural
    return f"{_format_decimal(rounded, decimals, lang)} {word}"
