"""The rules before a decision is taken, each in one function with its source. Figures that local rules
set differently are settings (consult/settings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from consult.i18n import N_
from consult.settings import Settings
from consult.workdays.calc import WorkCalendar, working_days_between


@dataclass(frozen=True)
class ReviewTime:
    """How long the legality review office had: working days after the material was sent, up to and
    including the day the opinion came back."""

    working_days: int
    minimum: int
    provisional: bool

    @property
    def short(self) -> bool:
        return self.working_days < self.minimum


def legality_review_time(calendar: WorkCalendar, sent_on: date, returned_on: date, settings: Settings) -> ReviewTime:
    """国务院令第713号 第二十七条: 送请合法性审查，应当保证必要的审查时间，一般不少于7个工作日. Counted on
    the working-day calendar (weekends, holidays and make-up workdays); a shorter review is allowed
    ("一般") but needs a recorded reason."""
    days, provisional = working_days_between(calendar, sent_on, returned_on)
    return ReviewTime(days, settings.legality_review_min_working_days, provisional)


@dataclass(frozen=True)
class HearingSchedule:
    notice_on: date
    applications_close_on: date
    materials_on: date
    held_on: date


def latest_notice_day(held_on: date, settings: Settings) -> date:
    return held_on - timedelta(days=settings.hearing_notice_days)


def latest_materials_day(held_on: date, settings: Settings) -> date:
    return held_on - timedelta(days=settings.hearing_materials_days)


def hearing_schedule_errors(schedule: HearingSchedule, settings: Settings) -> dict[str, str]:
    """713号令 第十七条–第十八条 (the hearing's materials are published and reach the participants in
    advance) and the provincial rules that set the figures: the notice is public at
    least `hearing_notice_days` before the hearing (default 10), and the representatives receive the
    draft and its explanation at least `hearing_materials_days` before it (default 5). Applications
    open with the notice and close before the materials go out, so the representatives are chosen in
    time to receive them. Messages name the latest allowed day (parameters notice_by, materials_by,
    close_by)."""
    errors: dict[str, str] = {}
    if schedule.notice_on > latest_notice_day(schedule.held_on, settings):
        errors["notice_on"] = N_(
            "The notice must be public at least %(notice_days)s days before the hearing: by %(notice_by)s."
        )
    if schedule.materials_on > latest_materials_day(schedule.held_on, settings):
        errors["materials_on"] = N_(
            "Representatives must receive the draft and its explanation at least %(materials_days)s days "
            "before the hearing: by %(materials_by)s."
        )
    if schedule.applications_close_on < schedule.notice_on:
        errors["applications_close_on"] = N_("Applications cannot close before the notice is public.")
    elif schedule.applications_close_on >= schedule.materials_on:
        errors["applications_close_on"] = N_(
            "Applications must close before the materials are sent, so representatives are chosen in "
            "time: by %(close_by)s."
        )
    return errors


def schedule_params(schedule: HearingSchedule, settings: Settings) -> dict[str, object]:
    """The figures and dates the schedule's messages name."""
    return {
        "notice_days": settings.hearing_notice_days,
        "materials_days": settings.hearing_materials_days,
        "notice_by": latest_notice_day(schedule.held_on, settings).isoformat(),
        "materials_by": latest_materials_day(schedule.held_on, settings).isoformat(),
        "close_by": (schedule.materials_on - timedelta(days=1)).isoformat(),
    }


LEGALITY_REVIEW_MISSING = N_(
    "No legality review is recorded: a decision is not taken without one (国务院令第713号 第二十五条). "
    "Record the legality review first."
)
HEARING_REPORT_MISSING = N_(
    "This decision needs a hearing, and no hearing report is published. Publish the hearing report first."
)


def missing_before_result(legality_reviewed: bool, needs_hearing: bool, hearing_reported: bool) -> list[str]:
    """What must exist before a decision's result is recorded, as messages naming what is missing.

    713号令 第二十五条: 决策草案未经合法性审查或者经审查不合法的，不得提交决策机关讨论 — so no decision
    without a recorded legality review. 第十七条–第十八条: a decision that needs a hearing is taken with
    the hearing's record and report before it — so the report must be published first."""
    missing = []
    if not legality_reviewed:
        missing.append(LEGALITY_REVIEW_MISSING)
    if needs_hearing and not hearing_reported:
        missing.append(HEARING_REPORT_MISSING)
    return missing


def may_discuss(legality_reviewed: bool) -> bool:
    """713号令 第二十五条: no collective discussion of a draft the legality review has not seen."""
    return legality_reviewed
