"""Working-day arithmetic over a calendar of exceptions. Pure: no database, no clock.

Saturdays and Sundays are rest days; a year's official arrangement adds holidays (rest days on
weekdays) and make-up workdays (调休上班, working days on weekends). A year with no official arrangement
counts weekends and the statutory holidays of 全国年节及纪念日放假办法 (see `statutory`), and every result
that touched such a year is marked provisional, never silently presented as final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from consult.workdays.statutory import statutory_holidays


@dataclass(frozen=True)
class Day:
    is_workday: bool
    name: str = ""


@lru_cache(maxsize=256)
def provisional_rest_days(year: int) -> Mapping[date, str]:
    """The statutory holidays of a year without an official arrangement (none before 2000's law)."""
    try:
        return dict(statutory_holidays(year))
    except ValueError:
        return {}


@dataclass(frozen=True)
class WorkCalendar:
    # Only the days that differ from the weekend rule, for official years.
    exceptions: Mapping[date, Day] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    def is_workday(self, day: date) -> bool:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception.is_workday
        if day.year not in self.official_years and day in provisional_rest_days(day.year):
            return False
        return day.weekday() < 5

    def day_name(self, day: date) -> str:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception.name
        if day.year not in self.official_years:
            return provisional_rest_days(day.year).get(day, "")
        return ""

    def is_official(self, day: date) -> bool:
        return day.year in self.official_years


@dataclass(frozen=True)
class Deadline:
    on: date
    provisional: bool = False
    # Years whose arrangement the office must enter before the deadline becomes final.
    missing_years: tuple[int, ...] = ()


def _missing(calendar: WorkCalendar, days: Iterable[date]) -> tuple[int, ...]:
    return tuple(sorted({d.year for d in days if not calendar.is_official(d)}))


def add_working_days(calendar: WorkCalendar, start: date, n: int) -> Deadline:
    """The n-th working day after `start` ("within 10 working days after the decision is issued")."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted, seen = start, 0, [start]
    while counted < n:
        day += timedelta(days=1)
        seen.append(day)
        if calendar.is_workday(day):
            counted += 1
    missing = _missing(calendar, seen[1:])
    return Deadline(day, bool(missing), missing)


def working_days_between(calendar: WorkCalendar, start: date, end: date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end` (0 when end <= start), and whether provisional.

    With start = today and end = a deadline this is "N working days left"; 0 means the deadline is today.
    """
    if end <= start:
        return 0, False
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    return sum(1 for d in days if calendar.is_workday(d)), bool(_missing(calendar, days))


def calendar_days(start: date, end: date) -> int:
    """Calendar days after `start` up to and including `end` (Civil Code Art.201: the start day is not
    counted). Consultation periods and their "days left" are counted this way."""
    return (end - start).days


def civil_period_end(calendar: WorkCalendar, start: date, days: int) -> Deadline:
    """A period of `days` calendar days per Civil Code Art.201/203: the start day is not counted, and a
    period whose last day is a rest day ends on the next working day."""
    return legal_last_day(calendar, start + timedelta(days=days))


def legal_last_day(calendar: WorkCalendar, last_day: date) -> Deadline:
    """Civil Code Art.203: a period whose last day is a statutory holiday or rest day ends on the first
    working day after it. Provisional when a day it looked at lies in a year without an arrangement."""
    end = last_day
    moved = [end]
    while not calendar.is_workday(end):
        end += timedelta(days=1)
        moved.append(end)
    missing = _missing(calendar, moved)
    return Deadline(end, bool(missing), missing)
