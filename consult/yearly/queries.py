"""The year in figures, per department and in total, counted from public records only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.functions import Count

from consult.accounts.models import Department
from consult.answers.models import Answer
from consult.clock import local_date
from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Decision
from consult.decisions.visibility import public_decisions, public_results
from consult.drafts.periods import is_short
from consult.drafts.services import period_rule, requested_end
from consult.drafts.visibility import public_consultations
from consult.evaluations.queries import targets_by_unit
from consult.groups.rules import ConcentratedRule
from consult.groups.services import concentrated_groups
from consult.i18n import gettext
from consult.implementation.models import Interpretation
from consult.implementation.rules import interpretation_target
from consult.meetings.services import meetings_with_public_held
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from consult.settings import Settings
from consult.surveys.models import SurveyResponse
from consult.surveys.visibility import public_surveys
from consult.workdays.calc import WorkCalendar

ADOPTING = (AnswerStatus.ADOPTED.value, AnswerStatus.PARTLY_ADOPTED.value)


@dataclass
class Row:
    """One department's year, or the total."""

    name: str
    listed: int = 0
    removed: int = 0
    issued: int = 0
    consultations: int = 0
    period_days: int = 0  # summed: the average is period_days / consultations
    short_periods: int = 0
    received: int = 0
    published: int = 0
    withheld: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    concentrated: int = 0
    concentrated_answers: Counter[str] = field(default_factory=Counter)
    reports_on_time: int = 0
    reports_late: int = 0
    reports_due: int = 0
    documents_interpreted: int = 0
    interpretation_short: int = 0
    surveys: int = 0
    responses: int = 0

    @property
    def answered(self) -> int:
        return sum(self.answers.values())

    @property
    def adoption_rate(self) -> float | None:
        """Adopted or partly adopted, of the answered comments."""
        return sum(self.answers[s] for s in ADOPTING) / self.answered if self.answered else None

    @property
    def average_period(self) -> float | None:
        return self.period_days / self.consultations if self.consultations else None

    def add(self, other: Row) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            elif isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)


async def _decisions(rows: dict[int, Row], year: int) -> None:
    for decision in await public_decisions().filter(catalog__year=year):
        rows[decision.department_id].listed += 1
        rows[decision.department_id].removed += decision.removed_at is not None


async def _results(
    rows: dict[int, Row], year: int, calendar: WorkCalendar, rule: ReportRule, now: datetime, settings: Settings
) -> None:
    results = await public_results().filter(issued_on__gte=date(year, 1, 1), issued_on__lte=date(year, 12, 31))
    department_of = dict(
        await Decision.filter(id__in=[r.decision_id for r in results]).values_list("id", "department_id")
    )
    interpreted: dict[int, set[str]] = {}
    for decision_id, form in await Interpretation.filter(
        decision_id__in=list(department_of), published_at__isnull=False
    ).values_list("decision_id", "form"):
        interpreted.setdefault(decision_id, set()).add(str(form))
    for result in results:
        row = rows[department_of[result.decision_id]]
        row.issued += 1
        if result.decision_id in interpreted:
            row.documents_interpreted += 1
        if len(interpreted.get(result.decision_id, ())) < interpretation_target(result.issuing_level, settings):
            row.interpretation_short += 1
    issued = {r.decision_id: r.issued_on for r in results}
    for report in await AdoptionReport.filter(decision_id__in=list(issued)):
        state = timeliness(calendar, issued[report.decision_id], rule, report.published_at, now)
        row = rows[department_of[report.decision_id]]
        if report.published_at is None:
            row.reports_due += 1
        elif state.on_time is False:
            row.reports_late += 1
        else:
            row.reports_on_time += 1


async def _consultations(rows: dict[int, Row], year: int, calendar: WorkCalendar, settings: Settings) -> list[int]:
    consultations = (
        await public_consultations()
        .filter(starts_on__gte=date(year, 1, 1), starts_on__lte=date(year, 12, 31))
        .prefetch_related("decision")
    )
    for c in consultations:
        row = rows[c.decision.department_id]
        row.consultations += 1
        row.period_days += (requested_end(c) - c.starts_on).days
        row.short_periods += is_short(calendar, c.starts_on, requested_end(c), period_rule(c.decision, settings))
    return [c.id for c in consultations]


async def _comments(
    rows: dict[int, Row], consultation_ids: list[int], department_of: dict[int, int], rule: ConcentratedRule
) -> None:
    counted = (
        await Comment.filter(consultation_id__in=consultation_ids)
        .annotate(n=Count("id"))
        .group_by("consultation_id", "state", "channel")
        .values_list("consultation_id", "state", "channel", "n")
    )
    for consultation_id, state, channel, n in counted:
        row = rows[department_of[consultation_id]]
        row.received += n
        row.by_channel[str(channel)] += n
        row.published += n if str(state) == ModerationState.PUBLISHED.value else 0
        row.withheld += n if str(state) == ModerationState.WITHHELD.value else 0
    answered = (
        await Answer.filter(
            comment__consultation_id__in=consultation_ids,
            comment__state=ModerationState.PUBLISHED,
            published_at__isnull=False,
        )
        .annotate(n=Count("id"))
        .group_by("comment__consultation_id", "public_status")
        .values_list("comment__consultation_id", "public_status", "n")
    )
    for consultation_id, status, n in answered:
        rows[department_of[consultation_id]].answers[str(status)] += n
    for consultation_id in consultation_ids:
        for group in await concentrated_groups(consultation_id, rule):
            row = rows[department_of[consultation_id]]
            row.concentrated += 1
            row.concentrated_answers[group["status"] or "unanswered"] += 1


async def _surveys(rows: dict[int, Row], year: int) -> None:
    surveys = await public_surveys().filter(opens_on__gte=date(year, 1, 1), opens_on__lte=date(year, 12, 31))
    counts = dict(
        await SurveyResponse.filter(survey_id__in=[s.id for s in surveys])
        .annotate(n=Count("id"))
        .group_by("survey_id")
        .values_list("survey_id", "n")
    )
    for survey in surveys:
        rows[survey.department_id].surveys += 1
        rows[survey.department_id].responses += counts.get(survey.id, 0)


async def year_in_figures(
    year: int, calendar: WorkCalendar, rule: ReportRule, now: datetime, settings: Settings
) -> dict[str, Any]:
    departments = await Department.all()
    rows = {d.id: Row(d.name) for d in departments}
    await _decisions(rows, year)
    await _results(rows, year, calendar, rule, now, settings)
    consultation_ids = await _consultations(rows, year, calendar, settings)
    department_of = dict(
        await public_consultations().filter(id__in=consultation_ids).values_list("id", "decision__department_id")
    )
    await _comments(rows, consultation_ids, department_of, ConcentratedRule.of(settings))
    await _surveys(rows, year)
    total = Row(gettext("Total"))
    for row in rows.values():
        total.add(row)
    today = local_date(now)
    return {
        "year": year,
        "rows": [r for r in rows.values() if r.listed or r.consultations or r.issued or r.surveys],
        "total": total,
        "meetings_held": await meetings_with_public_held(year, today),
        "meetings_target": settings.meetings_target,
        "evaluations": await targets_by_unit(year, settings, settings.government_name or gettext("The government")),
        "channels": sorted(total.by_channel, key=lambda c: -total.by_channel[c]),
        "statuses": [s.value for s in AnswerStatus],
    }
