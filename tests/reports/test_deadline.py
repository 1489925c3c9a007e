"""The report deadline rule, as a lawyer reads it: issued on X, due on Y (that day included), published at
Z, so on time or late by N working days; provisional where the calendar is not official."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from consult.clock import TZ
from consult.reports.deadline import ReportRule, report_deadline, timeliness
from consult.workdays.calc import WorkCalendar
from consult.workdays.services import packaged_calendar

OFFICIAL = packaged_calendar()  # official 2004–2026
RULE = ReportRule(working_days=10, publish_hour=18)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("issued_on", "due_on", "why"),
    [
        (date(2026, 9, 25), date(2026, 10, 15), "国庆 1–7 Oct are rest days, Saturday 10 Oct is a make-up workday"),
        (date(2026, 3, 2), date(2026, 3, 16), "two plain weekends; the issue day is not counted"),
        (date(2026, 2, 13), date(2026, 3, 5), "春节 15–23 Feb; Saturday 14 Feb and 28 Feb are make-up workdays"),
    ],
)
def test_the_report_is_due_on_the_tenth_working_day_after_the_issue_date(issued_on, due_on, why) -> None:
    deadline = report_deadline(OFFICIAL, issued_on, RULE)
    assert deadline.due.on == due_on, why
    assert deadline.publish_at == at(due_on, 18)
    assert not deadline.due.provisional


# issued 2 March 2026, due 16 March 2026 (a Monday).
@pytest.mark.parametrize(
    ("published_at", "on_time", "late"),
    [
        (at(date(2026, 3, 5), 10), True, 0),  # early
        (at(date(2026, 3, 16), 18), True, 0),  # automatically at 18:00 on the due day
        (at(date(2026, 3, 16), 23, 59), True, 0),  # the due day is the department's until its end
        (at(date(2026, 3, 17), 0, 1), False, 1),  # the next morning: one working day late
        (at(date(2026, 3, 21), 9), False, 5),  # a Saturday counts as the next working day, Monday 23rd
        (at(date(2026, 4, 15), 10), False, 21),  # recorded six weeks late, published at once (清明 4–6 Apr)
    ],
)
def test_a_published_report_is_on_time_or_late_by_working_days(published_at, on_time, late) -> None:
    mark = timeliness(OFFICIAL, date(2026, 3, 2), RULE, published_at, published_at)
    assert (mark.on_time, mark.working_days_late) == (on_time, late)
    assert not mark.provisional


@pytest.mark.parametrize(
    ("now", "left", "overdue"),
    [
        (at(date(2026, 3, 13), 9), 1, False),  # Friday: one more working day after today
        (at(date(2026, 3, 14), 9), 1, False),  # Saturday: still Monday to go
        (at(date(2026, 3, 16), 9), 0, False),  # the due day: today is the last day
        (at(date(2026, 3, 17), 9), None, True),  # past due and unpublished
    ],
)
def test_the_countdown_of_a_waiting_report(now, left, overdue) -> None:
    mark = timeliness(OFFICIAL, date(2026, 3, 2), RULE, None, now)
    assert (mark.working_days_left, mark.overdue) == (left, overdue)


def test_a_report_is_never_marked_late_against_a_provisional_date() -> None:
    # Issued 24 Dec 2026: the 10 working days run into 2027, which has no official arrangement.
    issued = date(2026, 12, 24)
    mark = timeliness(OFFICIAL, issued, RULE, at(date(2027, 1, 12), 10), at(date(2027, 1, 12), 10))
    assert mark.deadline.due.on == date(2027, 1, 8) and mark.deadline.due.provisional
    assert mark.on_time is None and mark.working_days_late is None and mark.provisional
    waiting = timeliness(OFFICIAL, issued, RULE, None, at(date(2027, 1, 12), 10))
    assert not waiting.overdue
    # The office enters 2027 (元旦 1–3 Jan, nothing else on those days): the mark becomes final.
    official = WorkCalendar(exceptions=OFFICIAL.exceptions, official_years=OFFICIAL.official_years | {2027})
    final = timeliness(official, issued, RULE, at(date(2027, 1, 12), 10), at(date(2027, 1, 12), 10))
    assert final.deadline.due.on == date(2027, 1, 7) and not final.deadline.due.provisional
    assert (final.on_time, final.working_days_late) == (False, 3)


def test_the_figures_are_settings() -> None:
    mark = report_deadline(OFFICIAL, date(2026, 3, 2), ReportRule(working_days=5, publish_hour=17))
    assert mark.publish_at == at(date(2026, 3, 9), 17)
