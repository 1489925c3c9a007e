"""The statutory holidays of 全国年节及纪念日放假办法 and the provisional rule for years without an
official arrangement."""

from __future__ import annotations

from datetime import date

import pytest

from consult.errors import ValidationError
from consult.workdays.calc import WorkCalendar, add_working_days
from consult.workdays.services import check_statutory_holidays, packaged_calendar
from consult.workdays.statutory import law_for, statutory_holidays

OFFICIAL = packaged_calendar()


# One row a holiday, as the 2024 amendment (in force 2025) fixes them; dates of 2027 and 2028, for
# which no official arrangement exists yet, checked against the published lunar calendar.
@pytest.mark.parametrize(
    ("year", "name", "days"),
    [
        (2027, "元旦", [date(2027, 1, 1)]),
        (2027, "春节", [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]),  # 除夕 to 初三
        (2027, "清明节", [date(2027, 4, 5)]),
        (2027, "劳动节", [date(2027, 5, 1), date(2027, 5, 2)]),
        (2027, "端午节", [date(2027, 6, 9)]),
        (2027, "中秋节", [date(2027, 9, 15)]),
        (2027, "国庆节", [date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)]),
        (2028, "春节", [date(2028, 1, 25), date(2028, 1, 26), date(2028, 1, 27), date(2028, 1, 28)]),
        (2028, "清明节", [date(2028, 4, 4)]),
        (2028, "端午节", [date(2028, 5, 28)]),
        (2028, "中秋节", [date(2028, 10, 3)]),  # on a 国庆 day: the day stays one holiday
    ],
)
def test_statutory_holidays_of_years_without_an_arrangement(year: int, name: str, days: list[date]) -> None:
    assert [d for d, n in statutory_holidays(year) if n == name] == days


@pytest.mark.parametrize(
    ("year", "spring_festival", "labour_days", "traditional"),
    [
        (2007, "初一至初三", 3, False),  # 1999 version: 劳动节 three days, no 清明/端午/中秋
        (2008, "除夕至初二", 1, True),  # 2007 amendment
        (2014, "初一至初三", 1, True),  # 2013 amendment
        (2025, "除夕至初三", 2, True),  # 2024 amendment
    ],
)
def test_each_version_of_the_law_governs_from_its_year(year, spring_festival, labour_days, traditional) -> None:
    law = law_for(year)
    start = {-1: "除夕", 0: "初一"}[law.spring_festival_start]
    end = ["初一", "初二", "初三"][law.spring_festival_start + law.spring_festival_days - 1]
    assert f"{start}至{end}" == spring_festival
    assert law.labour_day_days == labour_days and law.traditional_festivals is traditional


@pytest.mark.parametrize("year", sorted(OFFICIAL.official_years))
def test_every_statutory_holiday_is_a_rest_day_in_every_official_arrangement(year: int) -> None:
    """The provisional rule never calls a day a holiday that the State Council made a working day."""
    working = [(d, n) for d, n in statutory_holidays(year) if OFFICIAL.is_workday(d)]
    assert working == []


def test_a_provisional_year_rests_on_its_statutory_holidays_and_names_them() -> None:
    calendar = WorkCalendar()  # no official year at all
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.day_name(date(2027, 2, 8)) == "春节"
    assert calendar.is_workday(date(2027, 2, 9))
    # Issued on 除夕 eve: 5–8 Feb are 春节, the 10th working day after 4 Feb is 22 Feb, provisional.
    deadline = add_working_days(calendar, date(2027, 2, 4), 10)
    assert deadline.on == date(2027, 2, 22) and deadline.provisional and deadline.missing_years == (2027,)


def test_an_official_arrangement_replaces_the_provisional_rule() -> None:
    # 2026 is official: 4 Jan 2026 (Sunday) is a make-up workday, 2 Jan a bridge holiday.
    assert OFFICIAL.is_workday(date(2026, 1, 4)) and not OFFICIAL.is_workday(date(2026, 1, 2))


@pytest.mark.parametrize(
    ("holidays", "workdays", "refused_day"),
    [
        (set(), set(), "holidays"),  # an empty arrangement is never official
        ({date(2027, 1, 1)}, set(), "2027-02-05"),  # 除夕 left a working day
        ({d for d, _ in statutory_holidays(2027)}, {date(2027, 5, 2)}, "2027-05-02"),  # a Sunday holiday as make-up day
    ],
)
def test_an_arrangement_that_breaks_a_statutory_holiday_is_refused(holidays, workdays, refused_day) -> None:
    with pytest.raises(ValidationError) as info:
        check_statutory_holidays(2027, holidays, workdays)
    assert refused_day in str(info.value) or refused_day in info.value.errors


def test_an_arrangement_with_every_statutory_holiday_is_accepted() -> None:
    check_statutory_holidays(2027, {d for d, _ in statutory_holidays(2027) if d.weekday() < 5}, set())
