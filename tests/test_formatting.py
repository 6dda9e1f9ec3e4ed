"""Tests for ivp.application.formatting: the exact strings of the UI specification, in Dutch and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivp.application.formatting import (
    MISSING,
    format_date,
    format_euro,
    format_number,
    format_percent,
    format_werkdagen,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "amount, decimals, nl, en",
    [
        (1234.56, 2, "€ 1.234,56", "€1,234.56"),
        (108000, 0, "€ 108.000", "€108,000"),
        (108000, 2, "€ 108.000,00", "€108,000.00"),
        (1234.56, 0, "€ 1.235", "€1,235"),
        (0, 0, "€ 0", "€0"),
        (-1234.56, 2, "€ -1.234,56", "-€1,234.56"),
        (-3500, 0, "€ -3.500", "-€3,500"),
        (1_234_567_890_123, 0, "€ 1.234.567.890.123", "€1,234,567,890,123"),
        (Decimal("19000.5"), 0, "€ 19.001", "€19,001"),  # half away from zero
        (2.675, 2, "€ 2,68", "€2.68"),  # the float's shortest repr, not its binary value
        (0.5, 0, "€ 1", "€1"),  # not banker's rounding to 0
        (-0.4, 0, "€ 0", "€0"),  # no "-0"
        (np.float64(35000.0), 0, "€ 35.000", "€35,000"),
        (np.int64(55000), 0, "€ 55.000", "€55,000"),
    ],
)
def test_format_euro(amount, decimals, nl, en):
    assert format_euro(amount, "nl", decimals=decimals) == nl
    assert format_euro(amount, "en", decimals=decimals) == en


def test_format_euro_uses_a_normal_space_and_defaults_to_dutch_whole_euros():
    text = format_euro(1234.56)
    assert text == "€ 1.235"
    assert NBSP not in text and text[1] == " "


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, Decimal("NaN"), pd.NA])
def test_missing_values_render_as_the_placeholder(missing):
    assert MISSING == "–"
    for lang in ("nl", "en"):
        assert format_euro(missing, lang) == MISSING
        assert format_number(missing, lang) == MISSING
        assert format_percent(missing, lang) == MISSING
        assert format_werkdagen(missing, lang) == MISSING


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="lang"):
        format_euro(1, "de")
    with pytest.raises(ValueError, match="0 or 2"):
        format_euro(1, decimals=1)
    with pytest.raises(ValueError, match="infinite"):
        format_euro(float("inf"))
    with pytest.raises(TypeError):
        format_euro("1234")
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, decimals=-1)
    with pytest.raises(TypeError):
        format_date("2025-04-26")


@pytest.mark.parametrize(
    "value, decimals, nl, en",
    [
        (1234.5, 1, "1.234,5", "1,234.5"),
        (1234.5, 0, "1.235", "1,235"),
        (-1234567.891, 2, "-1.234.567,89", "-1,234,567.89"),
        (0.04, 0, "0", "0"),
        (-0.04, 1, "0,0", "0.0"),
        (12, 2, "12,00", "12.00"),
        (float("inf"), 0, "∞", "∞"),
        (float("-inf"), 0, "-∞", "-∞"),
    ],
)
def test_format_number(value, decimals, nl, en):
    assert format_number(value, "nl", decimals) == nl
    assert format_number(value, "en", decimals) == en


@pytest.mark.parametrize(
    "fraction, decimals, nl, en",
    [
        (0.27, 0, "27 %", "27%"),
        (0.2745, 1, "27,5 %", "27.5%"),
        (1.5, 0, "150 %", "150%"),
        (-0.1, 0, "-10 %", "-10%"),
        (0.005, 0, "1 %", "1%"),
        (123.45, 0, "12.345 %", "12,345%"),
    ],
)
def test_format_percent(fraction, decimals, nl, en):
    assert format_percent(fraction, "nl", decimals) == nl
    assert format_percent(fraction, "en", decimals) == en
    assert NBSP not in format_percent(fraction, "nl", decimals)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2025, 4, 26),
        dt.datetime(2025, 4, 26, 23, 59),
        pd.Timestamp("2025-04-26 08:00"),
        np.datetime64("2025-04-26"),
        np.datetime64("2025-04-26T12:00"),
    ],
)
def test_format_date(value):
    assert format_date(value) == "26-04-2025"
    assert format_date(value, "en") == "26 Apr 2025"


def test_format_date_single_digits_and_missing():
    assert format_date(dt.date(2025, 1, 5), "nl") == "05-01-2025"
    assert format_date(dt.date(2025, 9, 5), "en") == "5 Sep 2025"
    for missing in (None, np.datetime64("NaT"), pd.NaT):
        assert format_date(missing) == MISSING


@pytest.mark.parametrize(
    "n, decimals, nl, en",
    [
        (0, 0, "0 werkdagen", "0 working days"),
        (1, 0, "1 werkdag", "1 working day"),
        (2, 0, "2 werkdagen", "2 working days"),
        (10, 0, "10 werkdagen", "10 working days"),
        (-1, 0, "-1 werkdag", "-1 working day"),
        (1234, 0, "1.234 werkdagen", "1,234 working days"),
        (np.int64(30), 0, "30 werkdagen", "30 working days"),
        (12.44, 1, "12,4 werkdagen", "12.4 working days"),
        (1.0, 1, "1,0 werkdagen", "1.0 working days"),
        (0.6, 0, "1 werkdag", "1 working day"),  # singular follows the shown number
    ],
)
def test_format_werkdagen(n, decimals, nl, en):
    assert format_werkdagen(n, "nl", decimals) == nl
    assert format_werkdagen(n, "en", decimals) == en


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_dutch_euro_round_trips_for_whole_amounts(amount):
    text = format_euro(amount, "nl")
    assert text.startswith("€ ")
    digits = text[2:].replace(".", "")
    assert int(digits) == amount
    # Groups of three after the first.
    groups = text[2:].lstrip("-").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_dutch_and_english_agree_up_to_separators(amount):
    nl = format_euro(amount, "nl", decimals=2)
    en = format_euro(amount, "en", decimals=2)
    nl_digits = nl.replace("€ ", "").replace(".", "").replace(",", ".")
    en_digits = en.replace("€", "").replace(",", "")
    assert Decimal(nl_digits) == Decimal(en_digits) == amount
