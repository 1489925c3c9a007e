"""When an adoption report is due, and whether it was published on time. Pure: no database, no clock.

Seed 002 二(二): the drafting department publishes how the comments were collected and adopted within
10 working days (a setting) after the decision document is issued. The clock starts at the issue date
(印发日期), whenever the result is recorded; the issue day itself is not counted. The due day belongs to
the department until its end, so automatic publication happens at the end of that working day (a
setting, 18:00 Asia/Shanghai), and anything published on the due day is on time (最迟于X（含当日）公开).

A deadline counted through a year without an official holiday arrangement is provisional (暂定): the
report is still published when it comes, but it is never marked late against it. Nothing here is stored,
so when the office enters the official arrangement every due date and every on-time or late mark
follows the official dates by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from consult.clock import TZ, local_date
from consult.settings import Settings
from consult.workdays.calc import Deadline, WorkCalendar, add_working_days, working_days_between


@dataclass(frozen=True)
class ReportRule:
    """The local figures of the rule: working days after issue, the hour of automatic publication, and
    the kinds of document it applies to (seed 002 names major decisions; local rules may extend it to
    government rules and normative documents, as the default does)."""

    working_days: int = 10
    publish_hour: int = 18
    kinds: tuple[str, ...] = ("major_decision", "government_rule", "normative_document")

    @classmethod
    def of(cls, settings: Settings) -> ReportRule:
        return cls(settings.report_working_days, settings.report_publish_hour, settings.report_kinds)

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class ReportDeadline:
    issued_on: date
    due: Deadline
    # The moment of automatic publication on the due day, in Asia/Shanghai.
    publish_at: datetime


def report_deadline(calendar: WorkCalendar, issued_on: date, rule: ReportRule) -> ReportDeadline:
    due = add_working_days(calendar, issued_on, rule.working_days)
    return ReportDeadline(issued_on, due, datetime.combine(due.on, time(rule.publish_hour), tzinfo=TZ))


def next_working_day(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Timeliness:
    deadline: ReportDeadline
    published_on: date | None
    # Published: True on time, False late, None while the due date is provisional.
    on_time: bool | None
    # Published late: working days after the due day up to the publication (a rest day counts as the
    # next working day). 0 when on time; None while undecidable.
    working_days_late: int | None
    # Not yet published: working days after today up to the due day (0: today is the last day).
    working_days_left: int | None
    # Not yet published and the due day has ended (never against a provisional due date).
    overdue: bool
    # Something shown here may still move when the office enters a year's arrangement.
    provisional: bool


def timeliness(
    calendar: WorkCalendar,
    issued_on: date,
    rule: ReportRule,
    published_at: datetime | None,
    now: datetime,
) -> Timeliness:
    deadline = report_deadline(calendar, issued_on, rule)
    due = deadline.due
    if published_at is None:
        today = local_date(now)
        left, left_provisional = working_days_between(calendar, today, due.on)
        late = today > due.on
        return Timeliness(
            deadline,
            None,
            None,
            None,
            None if late else left,
            late and not due.provisional,
            due.provisional or left_provisional,
        )
    published_on = local_date(published_at)
    if published_on <= due.on:
        return Timeliness(deadline, published_on, True, 0, None, False, due.provisional)
    if due.provisional:
        return Timeliness(deadline, published_on, None, None, None, False, True)
    late, late_provisional = working_days_between(calendar, due.on, next_working_day(calendar, published_on))
    return Timeliness(deadline, published_on, False, late, None, False, late_provisional)
