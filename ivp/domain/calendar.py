"""Dutch working days (werkdagen): scalar, numpy-vectorised and a fast integer path.

A *werkdag* is Monday to Friday except the Dutch public holidays. The holidays come from the
``holidays`` package (``holidays.NL``, category "public"); the two contested days, Goede
Vrijdag and Bevrijdingsdag (5 May), are decided by a :class:`CalendarPolicy` whose defaults
and their rationale live in ``ivp/domain/calendar_policy.yaml``.

Counting convention (the one SLA clauses use: "within 10 werkdagen after the melding"):

* ``add_werkdagen(d, n)`` is the date on which *n* werkdagen have passed after *d*, counting
  only werkdagen strictly after *d*: Saturday + 1 and Friday + 1 are both the next Monday
  (if it is a werkdag), and ``n = 0`` returns *d* itself, even on a weekend.
* ``werkdagen_between(start, end)`` counts the werkdagen in the half-open interval
  ``(start, end]``, and is 0 when ``end <= start``.

so that ``werkdagen_between(d, add_werkdagen(d, n)) == n`` for every ``n >= 0``, and
``add_werkdagen(d, n)`` is the earliest date with that property.

Three interfaces share one calendar:

* dates (``datetime.date``), via numpy's business-day machinery;
* numpy arrays of ``datetime64[D]`` with broadcasting, for frames;
* *day numbers*: ``int`` days since 1970-01-01 (the integer value of ``datetime64[D]``), for
  the SimPy model, which calls the calendar millions of times. These methods index two
  precomputed Python lists and call no numpy per invocation.

All three refuse dates outside the precomputed range with a ``ValueError`` naming the range,
rather than silently missing holidays.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Literal, Mapping

import holidays
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from ivp.domain.errors import InputError, excerpt, problems_from_validation
from ivp.domain.yamlfile import load_documented_model, read_documented_values

__all__ = [
    "CalendarPolicy",
    "DEFAULT_POLICY_PATH",
    "EPOCH",
    "WorkdayCalendar",
    "date_to_daynum",
    "daynum_to_date",
    "get_calendar",
    "load_policy_file",
]

DEFAULT_POLICY_PATH = Path(__file__).with_name("calendar_policy.yaml")

EPOCH = dt.date(1970, 1, 1)
"""Day number 0; the epoch of numpy's ``datetime64``."""
_EPOCH_ORDINAL = EPOCH.toordinal()

WEEKMASK = "1111100"
"""Monday to Friday are working days, Saturday and Sunday are not."""

DEFAULT_FIRST_YEAR = 1990
DEFAULT_LAST_YEAR = 2100
"""Default calendar range (about 40,000 days): historic cohorts from 1990, plans to 2100."""

LIBERATION_DAY = (5, 5)
"""Bevrijdingsdag: (month, day)."""
LUSTRUM_YEARS = 5
"""A lustrum year is a multiple of this (2020, 2025, 2030, ...)."""

# Names in the holidays package's en_US translation of the two days the policy decides.
_GOOD_FRIDAY_NAME = "Good Friday"
_LIBERATION_DAY_NAME = "Liberation Day"

LiberationDayRule = Literal["always", "lustrum", "never"]



# --------------------------------------------------------------------------------------
# The policy
# --------------------------------------------------------------------------------------


_POLICY_FIELDS = ("good_friday", "liberation_day")
_DEFAULTS = read_documented_values(DEFAULT_POLICY_PATH, _POLICY_FIELDS)
if _DEFAULTS.problems:
    raise InputError(_DEFAULTS.problems)


def _default_field(name: str) -> Any:
    """A pydantic ``Field`` whose default and description come from the default policy file."""
    return Field(default=_DEFAULTS.values[name], description=_DEFAULTS.rationales[name])


class CalendarPolicy(BaseModel):
    """Which contested Dutch holidays are non-working days.

    Frozen and hashable (a cache key), refuses unknown fields. The defaults and their
    rationale are read from ``ivp/domain/calendar_policy.yaml``; ``CalendarPolicy()`` is the default
    policy. Build one from a scenario's plain dict with :meth:`from_dict`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    good_friday: StrictBool = _default_field("good_friday")
    """Goede Vrijdag (the Friday before Easter) is a non-working day."""

    liberation_day: LiberationDayRule = _default_field("liberation_day")
    """Bevrijdingsdag (5 May) is a non-working day ``"always"``, only in ``"lustrum"`` years
    (multiples of 5: 2020, 2025, ...) or ``"never"``."""

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any] | None, source: str = "scenario", prefix: str = ""
    ) -> "CalendarPolicy":
        """Build a policy from plain values, e.g. the ``calendar:`` block of a scenario file.

        Missing fields take the defaults. Bad input raises :class:`InputError` with one
        problem per refused value; ``source`` names the file and ``prefix`` the dotted key
        path of the block inside it (e.g. ``"calendar"``).
        """
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise InputError.single(source, prefix, "not_a_mapping", got=excerpt(data))
        try:
            return cls.model_validate(dict(data))
        except ValidationError as error:
            raise InputError(problems_from_validation(error, source, prefix=prefix)) from None

    @staticmethod
    def rationale(field: str) -> str:
        """The rationale for a field's default, from ``ivp/domain/calendar_policy.yaml``."""
        return _DEFAULTS.rationales[field]

    def liberation_day_off(self, year: int) -> bool:
        """Whether 5 May of ``year`` is a non-working day under this policy."""
        if self.liberation_day == "always":
            return True
        if self.liberation_day == "lustrum":
            return year % LUSTRUM_YEARS == 0
        return False


def load_policy_file(path: str | Path) -> CalendarPolicy:
    """Load a complete policy file in the format of ``ivp/domain/calendar_policy.yaml``.

    Every field must be present with a ``value`` and a non-empty ``rationale``; unknown
    fields and bad values are refused. All problems are collected and raised at once as an
    :class:`InputError` naming the file and the field (``liberation_day.value``).
    """
    return load_documented_model(path, CalendarPolicy)[0]


# --------------------------------------------------------------------------------------
# Day numbers
# --------------------------------------------------------------------------------------


def date_to_daynum(d: dt.date) -> int:
    """Days since 1970-01-01 (the integer value of ``numpy.datetime64(d, "D")``)."""
    return _as_date(d).toordinal() - _EPOCH_ORDINAL


def daynum_to_date(day: int) -> dt.date:
    """The date of a day number (days since 1970-01-01)."""
    return dt.date.fromordinal(int(day) + _EPOCH_ORDINAL)


def _as_date(d: Any) -> dt.date:
    """Accept ``date``, ``datetime`` (and ``pandas.Timestamp``) or ``numpy.datetime64``."""
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    if isinstance(d, np.datetime64):
        if np.isnat(d):
            raise ValueError("expected a date, got NaT")
        return d.astype("datetime64[D]").item()
    raise TypeError(f"expected a date, got {type(d).__name__}: {d!r}")


def _as_count(n: Any) -> int:
    """A non-negative whole number of werkdagen."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"the number of werkdagen must be an int, got {type(n).__name__}: {n!r}")
    if n < 0:
        raise ValueError(f"the number of werkdagen must be >= 0, got {n}")
    return int(n)


# --------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------


class WorkdayCalendar:
    """Dutch werkdagen between 1 January ``first_year`` and 31 December ``last_year``.

    Building one collects the holidays of the whole range once (about 0.1 s); use
    :func:`get_calendar` to share one calendar per policy and range.
    """

    def __init__(
        self,
        policy: CalendarPolicy | None = None,
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
    ) -> None:
        first_supported = holidays.NL.start_year
        if not first_supported <= first_year <= last_year:
            raise ValueError(
                f"calendar years must satisfy {first_supported} <= first_year <= last_year "
                f"(holidays.NL starts in {first_supported}), got {first_year}..{last_year}"
            )
        self.policy: CalendarPolicy = policy if policy is not None else CalendarPolicy()
        self.first_day = dt.date(first_year, 1, 1)
        self.last_day = dt.date(last_year, 12, 31)
        self._holiday_names = self._collect_holidays(first_year, last_year)
        weekday_holidays = sorted(d for d in self._holiday_names if WEEKMASK[d.weekday()] == "1")
        self.holidays: np.ndarray = np.array(weekday_holidays, dtype="datetime64[D]")
        """Non-working days that fall on a weekday, sorted (``datetime64[D]``)."""
        self._busdaycal = np.busdaycalendar(weekmask=WEEKMASK, holidays=self.holidays)

        # The integer path. Index i is day number first_daynum + i.
        self.first_daynum = date_to_daynum(self.first_day)
        self.last_daynum = date_to_daynum(self.last_day)
        days = np.arange(self.first_daynum, self.last_daynum + 1).astype("datetime64[D]")
        is_werkdag = np.is_busday(days, busdaycal=self._busdaycal)
        # cumulative[i]: werkdagen in [first_day, first_day + i] (inclusive);
        # werkdag_daynums[k]: the day number of the (k + 1)-th werkdag of the range. As numpy
        # arrays for the vectorised path and as lists for the scalar one (list indexing is
        # several times faster than numpy's for one element).
        self.cumulative: np.ndarray = np.cumsum(is_werkdag, dtype=np.int64)
        self.werkdag_daynums: np.ndarray = np.flatnonzero(is_werkdag).astype(np.int64) + self.first_daynum
        self._cumulative: list[int] = self.cumulative.tolist()
        self._werkdag_daynums: list[int] = self.werkdag_daynums.tolist()
        self._is_werkdag: list[bool] = is_werkdag.tolist()

    def _collect_holidays(self, first_year: int, last_year: int) -> dict[dt.date, str]:
        """Public holidays of holidays.NL, with Goede Vrijdag and 5 May set by the policy."""
        years = range(first_year, last_year + 1)
        public = holidays.country_holidays("NL", years=years, language="en_US")
        names: dict[dt.date, str] = {}
        good_fridays: dict[int, dt.date] = {}
        for day in sorted(public):
            kept = []
            for name in public.get_list(day):
                if name == _GOOD_FRIDAY_NAME:
                    good_fridays[day.year] = day
                elif name != _LIBERATION_DAY_NAME:
                    kept.append(name)
            if kept:
                names[day] = "; ".join(kept)
        missing = [year for year in years if year not in good_fridays]
        if missing:  # the holidays package renamed or dropped it: fail loudly, not silently
            raise RuntimeError(
                f"holidays.NL has no '{_GOOD_FRIDAY_NAME}' in {missing[:3]}...; "
                "ivp.domain.calendar needs updating for this version of the holidays package"
            )
        for year in years:
            if self.policy.good_friday:
                names[good_fridays[year]] = _GOOD_FRIDAY_NAME
            if self.policy.liberation_day_off(year):
                may5 = dt.date(year, *LIBERATION_DAY)
                names[may5] = "; ".join(filter(None, [names.get(may5), _LIBERATION_DAY_NAME]))
        return names

    def __repr__(self) -> str:
        return (
            f"WorkdayCalendar(policy={self.policy!r}, first_year={self.first_day.year}, "
            f"last_year={self.last_day.year})"
        )

    # -- range checks ------------------------------------------------------------------

    def _range_error(self, what: str, value: Any) -> ValueError:
        return ValueError(
            f"{what} {value} is outside the working-day calendar's range "
            f"{self.first_day.isoformat()}..{self.last_day.isoformat()}; build a "
            "WorkdayCalendar with other first_year/last_year"
        )

    def _check_date(self, d: dt.date, what: str = "date") -> None:
        if not self.first_day <= d <= self.last_day:
            raise self._range_error(what, d.isoformat())

    def _check_array(self, dates: np.ndarray, what: str) -> None:
        if dates.size == 0:
            return
        if np.isnat(dates).any():
            raise ValueError(f"{what} contains NaT; drop or fill missing dates first")
        lo, hi = dates.min(), dates.max()
        if lo < np.datetime64(self.first_day, "D"):
            raise self._range_error(what, str(lo))
        if hi > np.datetime64(self.last_day, "D"):
            raise self._range_error(what, str(hi))

    # -- dates -------------------------------------------------------------------------

    def is_werkdag(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day (Monday to Friday, not a non-working holiday)."""
        d = _as_date(d)
        self._check_date(d)
        return bool(np.is_busday(np.datetime64(d, "D"), busdaycal=self._busdaycal))

    def add_werkdagen(self, d: dt.date, n: int) -> dt.date:
        """The date on which ``n`` werkdagen have passed after ``d`` (see the module doc).

        Werkdagen are counted strictly after ``d``; ``n = 0`` returns ``d``; ``n < 0`` is
        refused with ``ValueError``.
        """
        d = _as_date(d)
        n = _as_count(n)
        self._check_date(d)
        if n == 0:
            return d
        # roll="backward" moves a non-werkdag d to the werkdag before it, so offsetting by n
        # lands on the n-th werkdag strictly after d.
        result = np.busday_offset(
            np.datetime64(d, "D"), n, roll="backward", busdaycal=self._busdaycal
        ).item()
        self._check_date(result, f"the result of {d.isoformat()} + {n} werkdagen,")
        return result

    def werkdagen_between(self, start: dt.date, end: dt.date) -> int:
        """The number of werkdagen in ``(start, end]``; 0 when ``end <= start``."""
        start, end = _as_date(start), _as_date(end)
        self._check_date(start, "start")
        self._check_date(end, "end")
        if end <= start:
            return 0
        one_day = dt.timedelta(days=1)
        return int(
            np.busday_count(
                np.datetime64(start + one_day, "D"),
                np.datetime64(end + one_day, "D"),
                busdaycal=self._busdaycal,
            )
        )

    def holidays_in(self, year: int) -> dict[dt.date, str]:
        """The non-working holidays of ``year`` under this policy (English names), weekend
        ones included, e.g. for display."""
        return {d: name for d, name in sorted(self._holiday_names.items()) if d.year == year}

    # -- arrays ------------------------------------------------------------------------

    def add_werkdagen_array(self, dates: Any, n: Any) -> np.ndarray:
        """Vectorised :meth:`add_werkdagen`: ``dates`` (``datetime64[D]``) and ``n`` (ints)
        broadcast against each other. Returns ``datetime64[D]``."""
        dates = np.asarray(dates, dtype="datetime64[D]")
        n = np.asarray(n)
        if n.dtype.kind not in "iu":
            raise TypeError(f"the numbers of werkdagen must be integers, got dtype {n.dtype}")
        if (n < 0).any():
            raise ValueError(f"the numbers of werkdagen must be >= 0, got minimum {n.min()}")
        self._check_array(dates, "dates")
        offset = np.busday_offset(dates, n, roll="backward", busdaycal=self._busdaycal)
        result = np.where(n == 0, dates, offset)
        self._check_array(result, "a result")
        return result

    def werkdagen_between_array(self, start: Any, end: Any) -> np.ndarray:
        """Vectorised :meth:`werkdagen_between` over broadcast ``datetime64[D]`` arrays.
        Returns int64 counts."""
        start = np.asarray(start, dtype="datetime64[D]")
        end = np.asarray(end, dtype="datetime64[D]")
        self._check_array(start, "start")
        self._check_array(end, "end")
        one_day = np.timedelta64(1, "D")
        counts = np.busday_count(start + one_day, end + one_day, busdaycal=self._busdaycal)
        return np.where(end > start, counts, 0).astype(np.int64)

    def is_werkdag_array(self, dates: Any) -> np.ndarray:
        """Vectorised :meth:`is_werkdag`."""
        dates = np.asarray(dates, dtype="datetime64[D]")
        self._check_array(dates, "dates")
        return np.is_busday(dates, busdaycal=self._busdaycal)

    # -- day numbers: the fast path for the simulation ---------------------------------

    def _daynum_range_error(self, what: str, day: int) -> ValueError:
        return ValueError(
            f"{what} {day} is outside the working-day calendar's range of day numbers "
            f"{self.first_daynum}..{self.last_daynum} "
            f"({self.first_day.isoformat()}..{self.last_day.isoformat()})"
        )

    def is_werkdag_daynum(self, day: int) -> bool:
        """:meth:`is_werkdag` for a day number (days since 1970-01-01)."""
        i = day - self.first_daynum
        if i < 0 or day > self.last_daynum:
            raise self._daynum_range_error("day", day)
        return self._is_werkdag[i]

    def add_werkdagen_daynum(self, day: int, n: int, beyond: float | None = None) -> int | float:
        """:meth:`add_werkdagen` on day numbers; O(1), no numpy call. A result after the
        calendar's last day raises ``ValueError``, or returns ``beyond`` when it is given
        (the simulation passes ``inf``: the step does not complete within the calendar)."""
        i = day - self.first_daynum
        if i < 0 or day > self.last_daynum:
            raise self._daynum_range_error("day", day)
        if n <= 0:
            if n == 0:
                return day
            raise ValueError(f"the number of werkdagen must be >= 0, got {n}")
        # _cumulative[i] werkdagen up to and including day; the n-th after it is number
        # _cumulative[i] + n, at index _cumulative[i] + n - 1.
        k = self._cumulative[i] + n - 1
        if k >= len(self._werkdag_daynums):
            if beyond is not None:
                return beyond
            raise ValueError(
                f"day {day} + {n} werkdagen lies beyond the working-day calendar's last day "
                f"{self.last_daynum} ({self.last_day.isoformat()})"
            )
        return self._werkdag_daynums[k]

    def werkdagen_between_daynum(self, a: int, b: int) -> int:
        """:meth:`werkdagen_between` on day numbers: werkdagen in ``(a, b]``; O(1)."""
        first = self.first_daynum
        if a < first or a > self.last_daynum:
            raise self._daynum_range_error("start", a)
        if b < first or b > self.last_daynum:
            raise self._daynum_range_error("end", b)
        if b <= a:
            return 0
        cumulative = self._cumulative
        return cumulative[b - first] - cumulative[a - first]

    def _check_daynums(self, days: np.ndarray, what: str) -> None:
        if days.size and (days.min() < self.first_daynum or days.max() > self.last_daynum):
            bad = days.min() if days.min() < self.first_daynum else days.max()
            raise self._daynum_range_error(what, int(bad))

    def add_werkdagen_daynums(self, days: Any, n: Any) -> np.ndarray:
        """Vectorised :meth:`add_werkdagen_daynum` on float arrays (broadcast): ``nan`` in
        ``days`` stays ``nan`` (no step was taken), ``inf`` in ``days`` or ``n`` gives
        ``inf`` (never completes), and so does a result after the calendar's last day."""
        days = np.asarray(days, dtype=float)
        n = np.broadcast_to(np.asarray(n, dtype=float), days.shape)
        out = np.where(np.isnan(days), np.nan, np.inf)
        ok = np.isfinite(days) & np.isfinite(n)
        if ok.any():
            d = days[ok].astype(np.int64)
            k_n = n[ok].astype(np.int64)
            self._check_daynums(d, "day")
            if (k_n < 0).any():
                raise ValueError(f"the numbers of werkdagen must be >= 0, got minimum {k_n.min()}")
            werkdag = self.werkdag_daynums
            k = self.cumulative[d - self.first_daynum] + k_n - 1
            beyond = k >= werkdag.size
            result = np.where(k_n == 0, d, werkdag[np.minimum(k, werkdag.size - 1)]).astype(float)
            result[beyond & (k_n > 0)] = np.inf
            out[ok] = result
        return out

    def werkdagen_between_daynums(self, a: Any, b: Any) -> np.ndarray:
        """Vectorised :meth:`werkdagen_between_daynum`: werkdagen in ``(a, b]`` for integer
        day numbers (0 when ``b <= a``)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        self._check_daynums(a, "start")
        self._check_daynums(b, "end")
        first, cumulative = self.first_daynum, self.cumulative
        return np.where(b > a, cumulative[b - first] - cumulative[a - first], 0)


@functools.lru_cache(maxsize=16)
def get_calendar(
    policy: CalendarPolicy | None = None,
    first_year: int = DEFAULT_FIRST_YEAR,
    last_year: int = DEFAULT_LAST_YEAR,
) -> WorkdayCalendar:
    """A shared :class:`WorkdayCalendar` per policy and range (built once, then cached)."""
    return WorkdayCalendar(policy, first_year, last_year)
