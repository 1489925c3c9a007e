"""Working days across weekends, 春节, 国庆节, make-up days and year ends; provisional where data ends."""

from __future__ import annotations

from datetime import date

import pytest

from consult.workdays.calc import WorkCalendar, add_working_days, civil_period_end, working_days_between
from consult.workdays.services import packaged_calendar

CAL = packaged_calendar()
WEEKENDS_ONLY = WorkCalendar()  # no official year: the provisional rule everywhere


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 9, 25), 10, date(2026, 10, 15)),  # over 国庆节 1–7 Oct and the make-up Saturday 10 Oct
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # the day before the holiday: next working day after it
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Saturday 10 Oct 2026 is a make-up workday
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 14 Feb 2026 too (春节调休)
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # then 春节 15–23 Feb
        (date(2026, 11, 20), 10, date(2026, 12, 4)),  # two plain weekends
        (
            date(2025, 12, 26),
            5,
            date(2026, 1, 5),
        ),  # across the year end and 元旦 (1–3 Jan); make-up Sunday 4 Jan counts
        (date(2026, 5, 8), 2, date(2026, 5, 11)),  # make-up Saturday 9 May counts
    ],
)
def test_add_working_days(start: date, n: int, due: date) -> None:
    deadline = add_working_days(CAL, start, n)
    assert deadline.on == due
    assert not deadline.provisional


def test_a_deadline_running_into_a_year_without_data_is_provisional_and_names_the_year() -> None:
    deadline = add_working_days(CAL, date(2026, 12, 24), 10)
    assert deadline.provisional and deadline.missing_years == (2027,)
    # Weekends and the statutory 元旦: Dec 25, 28–31, Jan 4–8 → the 10th working day.
    assert deadline.on == date(2027, 1, 8)
    inside = add_working_days(CAL, date(2026, 12, 10), 5)
    assert inside.on == date(2026, 12, 17) and not inside.provisional


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 9, 25), date(2026, 10, 15), 10),
        (date(2026, 10, 15), date(2026, 10, 15), 0),  # due today: nothing left after today
        (date(2026, 10, 14), date(2026, 10, 15), 1),
        (date(2026, 10, 16), date(2026, 10, 15), 0),  # past due
        (date(2026, 9, 30), date(2026, 10, 8), 1),
    ],
)
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert working_days_between(CAL, start, end) == (count, False)


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2026, 3, 2), 30, date(2026, 4, 1)),  # ends on a Wednesday: stays
        (date(2026, 9, 1), 30, date(2026, 10, 8)),  # 1 Oct is 国庆节: moves to the first working day after it
        (date(2026, 11, 7), 30, date(2026, 12, 7)),  # 7 Dec is a Monday
        (date(2026, 11, 5), 30, date(2026, 12, 7)),  # 5 Dec is a Saturday: next Monday
        (date(2026, 9, 10), 30, date(2026, 10, 10)),  # 10 Oct is a Saturday but a make-up workday: stays
    ],
)
def test_civil_code_period_end_moves_off_rest_days(start: date, days: int, end: date) -> None:
    assert civil_period_end(CAL, start, days).on == end


def test_without_any_data_weekends_and_statutory_holidays_rest() -> None:
    # No arrangement: 国庆 1–3 Oct rest by law, but the bridge days 5–7 Oct are unknown, so they count.
    assert WEEKENDS_ONLY.is_workday(date(2026, 10, 1)) is False
    deadline = add_working_days(WEEKENDS_ONLY, date(2026, 9, 30), 1)
    assert deadline.provisional and deadline.on == date(2026, 10, 5)


def test_the_packaged_years_are_the_ones_chinese_calendar_knows() -> None:
    assert min(CAL.official_years) == 2004 and max(CAL.official_years) == 2026
    assert CAL.day_name(date(2026, 10, 1)) == "国庆节"
    assert CAL.day_name(date(2026, 10, 10)) == "国庆节调休上班"
