"""The office's compliance dashboard: per department and in total, for one year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from consult.accounts.models import Department, User
from consult.accounts.permissions import is_admin
from consult.answers.models import Answer
from consult.clock import local_date
from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.models import Consultation
from consult.drafts.periods import is_short
from consult.drafts.services import ConsultationState, consultation_state, days_left, period_rule, requested_end
from consult.i18n import gettext
from consult.implementation.queries import interpretation_gaps
from consult.meetings.models import Attendee, AttendeeOpinion
from consult.meetings.services import meetings_with_public_held
from consult.participation.models import ApplicationStatus
from consult.reports.deadline import ReportRule, Timeliness, timeliness
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus, ReviewState
from consult.settings import Settings
from consult.workdays.calc import WorkCalendar, working_days_between
from consult.yearly.rules import annual_report_due


@dataclass
class DueReport:
    report: AdoptionReport
    title: str
    clock: Timeliness


@dataclass
class ResultToChase:
    decision: Decision
    closed_on: date
    working_days: int
    provisional: bool


def result_overdue_by(calendar: WorkCalendar, closed_on: date, today: date, limit: int) -> tuple[int, bool] | None:
    """政府信息公开条例 Art.26: information is made public within 20 working days (a setting) of being
    formed. A consultation closed this long ago whose decision still has no recorded result is chased:
    the working days since it closed, when they exceed the limit."""
    elapsed, provisional = working_days_between(calendar, closed_on, today)
    return (elapsed, provisional) if elapsed > limit else None


def closed_on(consultation: Consultation) -> date:
    return local_date(consultation.closed_early_at) if consultation.closed_early_at else consultation.ends_on


async def results_to_chase(
    department_ids: list[int], calendar: WorkCalendar, today: date, limit: int
) -> list[ResultToChase]:
    """Decisions whose every public consultation closed more than `limit` working days ago, with no result."""
    decided = DecisionResult.all().values_list("decision_id", flat=True)
    consultations = (
        await Consultation.filter(
            published_at__isnull=False,
            decision__department_id__in=department_ids,
            decision__removed_at__isnull=True,
        )
        .exclude(decision_id__in=await decided)
        .prefetch_related("decision__department")
    )
    by_decision: dict[int, list[Consultation]] = {}
    for consultation in consultations:
        by_decision.setdefault(consultation.decision_id, []).append(consultation)
    chase = []
    for group in by_decision.values():
        if any(consultation_state(c, today) is not ConsultationState.CLOSED for c in group):
            continue
        last = max(closed_on(c) for c in group)
        overdue = result_overdue_by(calendar, last, today, limit)
        if overdue is not None:
            chase.append(ResultToChase(group[0].decision, last, *overdue))
    return sorted(chase, key=lambda item: item.closed_on)


@dataclass
class Row:
    name: str
    open: int = 0
    pending: int = 0
    unanswered: int = 0
    due: list[DueReport] = field(default_factory=list)
    due_count: int = 0
    overdue: int = 0
    # Published at the deadline with comments still unanswered.
    incomplete: int = 0
    short: int = 0
    is_total: bool = False


async def _by_consultation(queryset: Any, key: str = "consultation_id") -> dict[int, int]:
    rows = await queryset.annotate(n=Count("id")).group_by(key).values(key, "n")
    return {row[key]: row["n"] for row in rows}


async def dashboard(user: User, year: int, calendar: WorkCalendar, now: datetime, settings: Settings) -> dict[str, Any]:
    """Rows per department (the office sees all; a department its own) plus a total row."""
    today = local_date(now)
    rule = ReportRule.of(settings)
    departments = await Department.all()
    if not is_admin(user):
        departments = [d for d in departments if d.id == user.department_id]
    department_ids = [d.id for d in departments]
    consultations = await Consultation.filter(
        published_at__isnull=False,
        decision__department_id__in=department_ids,
        starts_on__gte=date(year, 1, 1),
        starts_on__lte=date(year, 12, 31),
    ).prefetch_related("decision", "draft")
    department_of = {c.id: c.decision.department_id for c in consultations}
    ids = list(department_of)
    pending = await _by_consultation(Comment.filter(consultation_id__in=ids, state=ModerationState.PENDING))
    published = await _by_consultation(Comment.filter(consultation_id__in=ids, state=ModerationState.PUBLISHED))
    answered = await _by_consultation(
        Answer.filter(
            comment__consultation_id__in=ids, comment__state=ModerationState.PUBLISHED, published_at__isnull=False
        ),
        "comment__consultation_id",
    )
    rows = {d.id: Row(d.name) for d in departments}
    for c in consultations:
        row = rows[department_of[c.id]]
        row.open += consultation_state(c, today) is ConsultationState.OPEN
        row.pending += pending.get(c.id, 0)
        row.unanswered += published.get(c.id, 0) - answered.get(c.id, 0)
        row.short += is_short(calendar, c.starts_on, requested_end(c), period_rule(c.decision, settings))
    results = {
        r.decision_id: r
        for r in await DecisionResult.filter(
            issued_on__gte=date(year, 1, 1),
            issued_on__lte=date(year, 12, 31),
            decision__department_id__in=department_ids,
        )
    }
    missing: set[int] = set()
    reports = await AdoptionReport.filter(decision_id__in=list(results)).prefetch_related(
        "decision", "consultation__draft"
    )
    for report in reports:
        result = results[report.decision_id]
        row = rows[report.decision.department_id]
        clock = timeliness(calendar, result.issued_on, rule, report.published_at, now)
        if clock.provisional:
            missing.update(clock.deadline.due.missing_years)
        if report.published_at is not None:
            row.overdue += clock.on_time is False
            row.incomplete += report.overdue
        elif clock.overdue:
            row.overdue += 1
        else:
            row.due.append(DueReport(report, report.consultation.draft.title, clock))
            row.due_count += 1
    total = Row(gettext("Total"), is_total=True)
    for row in rows.values():
        for name in ("open", "pending", "unanswered", "due_count", "overdue", "incomplete", "short"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return {
        "is_office": is_admin(user),
        "rows": [*rows.values(), total] if len(rows) > 1 else list(rows.values()),
        "missing_years": sorted(missing),
        "results_to_chase": await results_to_chase(department_ids, calendar, today, settings.result_chase_working_days),
        "chase_limit": settings.result_chase_working_days,
        "interpretation_gaps": await interpretation_gaps(year, department_ids, settings),
        "consultation_ids": ids,
        "department_of": department_of,
        "names": {d.id: d.name for d in departments},
    }


async def monthly_counts(
    consultation_ids: list[int], department_of: dict[int, int], names: dict[int, str]
) -> dict[str, Any]:
    """Comments received per month and department (grouped by day in SQL, by month here: portable)."""
    rows = (
        await Comment.filter(consultation_id__in=consultation_ids)
        .annotate(n=Count("id"))
        .group_by("consultation_id", "received_on")
        .values("consultation_id", "received_on", "n")
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        name = names[department_of[row["consultation_id"]]]
        month = row["received_on"].strftime("%Y-%m")
        counts.setdefault(name, {})
        counts[name][month] = counts[name].get(month, 0) + row["n"]
    months = sorted({m for by in counts.values() for m in by})
    return {"departments": sorted(counts), "months": months, "counts": counts}


async def status_by_department(
    consultation_ids: list[int], department_of: dict[int, int], names: dict[int, str]
) -> dict[str, dict[str, int]]:
    rows = (
        await Answer.filter(comment__consultation_id__in=consultation_ids, published_at__isnull=False)
        .annotate(n=Count("id"))
        .group_by("comment__consultation_id", "public_status")
        .values("comment__consultation_id", "public_status", "n")
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        name = names[department_of[row["comment__consultation_id"]]]
        by = table.setdefault(name, {})
        status = str(row["public_status"])
        by[status] = by.get(status, 0) + row["n"]
    return table


async def meetings_panel(year: int, today: date) -> dict[str, int]:
    """Standing meetings with public attendees held against the yearly target, and what waits."""
    return {
        "held": await meetings_with_public_held(year, today),
        "applications_waiting": await Attendee.filter(
            status=ApplicationStatus.APPLIED, meeting__held_on__gte=today
        ).count(),
        "opinions_waiting": await AttendeeOpinion.filter(answer__published_at__isnull=True).count(),
    }


async def _count_by_consultation(queryset: QuerySet[Comment]) -> dict[int, int]:
    rows = await queryset.annotate(n=Count("id")).group_by("consultation_id").values("consultation_id", "n")
    return {row["consultation_id"]: row["n"] for row in rows}


async def workspace(user: User, calendar: WorkCalendar, rule: ReportRule, now: datetime) -> dict[str, Any]:
    """The staff home: what needs doing, for the user's department (the office sees every department):
    each consultation's comments to moderate and to answer, answers to review, reports still due."""
    today = local_date(now)
    decisions = Decision.filter(removed_at__isnull=True)
    if not is_admin(user):
        decisions = decisions.filter(department_id=user.department_id)
    decision_list = await decisions.order_by("-catalog__year", "seq").prefetch_related("department", "catalog")
    consultations = await Consultation.filter(decision_id__in=[d.id for d in decision_list]).prefetch_related(
        "draft", "decision"
    )
    ids = [c.id for c in consultations]
    pending = await _count_by_consultation(Comment.filter(consultation_id__in=ids, state=ModerationState.PENDING))
    unanswered = await _count_by_consultation(
        Comment.filter(consultation_id__in=ids, state=ModerationState.PUBLISHED, answer__id__isnull=True)
    )
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[d.id for d in decision_list])}
    waiting = await AdoptionReport.filter(decision_id__in=list(results), published_at__isnull=True).prefetch_related(
        "consultation__draft"
    )
    return {
        "decisions": decision_list,
        "rows": [
            (c, consultation_state(c, today), days_left(c, today), pending.get(c.id, 0), unanswered.get(c.id, 0))
            for c in consultations
        ],
        "reviews": await Answer.filter(comment__consultation_id__in=ids, review_state=ReviewState.PENDING).count(),
        "is_admin": is_admin(user),
        "waiting_reports": [
            (r, timeliness(calendar, results[r.decision_id].issued_on, rule, None, now)) for r in waiting
        ],
    }


async def dashboard_panels(data: dict[str, Any], year: int, today: date, settings: Settings) -> dict[str, Any]:
    """The dashboard's tables around `dashboard()`'s figures: by month, by status, the meetings."""
    ids, department_of, names = data["consultation_ids"], data["department_of"], data["names"]
    return {
        **data,
        "year": year,
        "year_options": list(range(today.year + 1, today.year - 6, -1)),
        "monthly": await monthly_counts(ids, department_of, names),
        "annual_reports_due": annual_report_due(today),
        "status_table": await status_by_department(ids, department_of, names),
        "statuses": list(AnswerStatus),
        "meetings": await meetings_panel(year, today) if data["is_office"] else None,
        "meetings_target": settings.meetings_target,
        "interpretation_targets": (settings.interpretation_forms_government, settings.interpretation_forms_department),
    }
