"""Read-side of decisions: the stage shown in the catalog and the topic page's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tortoise.expressions import Q

from consult import clock
from consult.comments.tally import figures_of
from consult.decisions.models import Catalog, CatalogAdjustment, Decision, DecisionResult
from consult.decisions.services import DOCUMENT_KINDS
from consult.decisions.visibility import public_catalogs, public_decisions
from consult.deliberation.queries import procedure_before
from consult.deliberation.visibility import public_hearings, public_steps
from consult.drafts.models import Attachment, Consultation, ConsultationEvent, ConsultationEventKind, Draft
from consult.drafts.services import (
    ConsultationState,
    closed_consultations,
    consultation_state,
    days_left,
    open_consultations,
)
from consult.drafts.visibility import public_consultations
from consult.evaluations.queries import evaluations_of_decision
from consult.implementation.queries import after_issue, execution_states
from consult.implementation.visibility import (
    public_execution_updates,
    public_interpretations,
    public_status_changes,
)
from consult.meetings.models import Attendee, MeetingTopic, public_attendees
from consult.reports.deadline import ReportRule, Timeliness, timeliness
from consult.reports.models import AdoptionReport
from consult.settings import Settings
from consult.workdays.calc import WorkCalendar


class Stage(StrEnum):
    PLANNED = "planned"
    DRAFTING = "drafting"
    CONSULTING = "consulting"
    DELIBERATING = "deliberating"
    DECIDED = "decided"
    REMOVED = "removed"


def decision_stage(
    decision: Decision, consultations: list[Consultation], has_draft: bool, today: date, decided: bool = False
) -> Stage:
    """Derived from the records, never stored: what the public would call the decision's stage now."""
    if decision.removed_at is not None:
        return Stage.REMOVED
    if decided:
        return Stage.DECIDED
    states = [consultation_state(c, today) for c in consultations]
    if ConsultationState.OPEN in states:
        return Stage.CONSULTING
    if ConsultationState.CLOSED in states:
        return Stage.DELIBERATING
    if has_draft or states:
        return Stage.DRAFTING
    return Stage.PLANNED


async def stages(decisions: list[Decision], today: date) -> dict[int, Stage]:
    ids = [d.id for d in decisions]
    consultations = await Consultation.filter(decision_id__in=ids, published_at__isnull=False)
    drafted = set(await Draft.filter(decision_id__in=ids).values_list("decision_id", flat=True))
    decided = set(await DecisionResult.filter(decision_id__in=ids).values_list("decision_id", flat=True))
    by_decision: dict[int, list[Consultation]] = {}
    for c in consultations:
        by_decision.setdefault(c.decision_id, []).append(c)
    return {
        d.id: decision_stage(d, by_decision.get(d.id, []), d.id in drafted, today, d.id in decided) for d in decisions
    }


async def comment_counts(consultation_ids: list[int]) -> dict[int, int]:
    """Comments received per consultation, every moderation state included (withheld ones count too)."""
    if not consultation_ids:
        return {}
    return {cid: tally.received for cid, tally in (await figures_of(consultation_ids)).items()}


@dataclass
class TimelineEntry:
    on: date | datetime | None
    kind: str
    title: str
    link: str = ""
    detail: str = ""


async def public_catalog(year: int) -> Catalog | None:
    return await public_catalogs().get_or_none(year=year)


async def public_attachments(decision: Decision) -> list[Attachment]:
    """Material becomes public with the consultation of its draft (先审查后公开)."""
    published = await public_consultations().filter(decision_id=decision.id).values_list("draft_id", flat=True)
    if not published:
        return []
    return await Attachment.filter(Q(draft_id__in=list(published)) | Q(draft_id__isnull=True), decision_id=decision.id)


async def timeline(decision: Decision, catalog: Catalog | None) -> list[TimelineEntry]:
    """Every public step of the decision's procedure, in order (a document outside the catalog starts
    with its first consultation)."""
    entries: list[TimelineEntry] = []
    if catalog is not None and catalog.published_at:
        entries.append(
            TimelineEntry(catalog.published_at, "catalog", catalog.title, f"/catalogs/{catalog.year}#d-{decision.id}")
        )
    for adjustment in await CatalogAdjustment.filter(decision_id=decision.id):
        entries.append(TimelineEntry(adjustment.created_at, f"adjustment_{adjustment.kind.value}", adjustment.reason))
    consultations = await Consultation.filter(decision_id=decision.id, published_at__isnull=False).prefetch_related(
        "draft"
    )
    counts = await comment_counts([c.id for c in consultations])
    for c in consultations:
        entries.append(
            TimelineEntry(
                c.published_at,
                "consultation",
                f"{c.draft.title}（{c.draft.version_label}）",
                f"/consultations/{c.id}",
                str(counts.get(c.id, 0)),
            )
        )
    events = await ConsultationEvent.filter(consultation_id__in=[c.id for c in consultations]).exclude(
        kind=ConsultationEventKind.PUBLISHED
    )
    for event in events:
        link = f"/consultations/{event.consultation_id}"
        entries.append(TimelineEntry(event.created_at, f"event_{event.kind.value}", event.reason, link))
    for step in await public_steps().filter(decision_id=decision.id):
        link = f"/decisions/{decision.id}#step-{step.id}"
        entries.append(TimelineEntry(step.finished_on, f"step_{step.kind.value}", step.unit, link))
    for hearing in await public_hearings(clock.local_date(clock.now())).filter(decision_id=decision.id):
        entries.append(TimelineEntry(hearing.notice_on, "hearing_notice", hearing.matter, f"/hearings/{hearing.id}"))
        if hearing.report_published_at is not None:
            link = f"/hearings/{hearing.id}#report"
            entries.append(TimelineEntry(hearing.report_published_at, "hearing_report", "", link))
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    if result is not None:
        entries.append(
            TimelineEntry(result.issued_on, "result", result.document_number, f"/decisions/{decision.id}#result")
        )
    for report in await AdoptionReport.filter(decision_id=decision.id, published_at__isnull=False):
        entries.append(TimelineEntry(report.published_at, "report", "", f"/reports/{report.id}"))
    for item in await public_interpretations().filter(decision_id=decision.id):
        link = f"/decisions/{decision.id}/interpretations/{item.id}"
        entries.append(TimelineEntry(item.published_on, "interpretation", item.title, link, item.form.value))
    for update in await public_execution_updates().filter(decision_id=decision.id):
        entries.append(TimelineEntry(update.reported_on, "execution", "", f"/decisions/{decision.id}#execution"))
    for change in await public_status_changes().filter(decision_id=decision.id):
        entries.append(
            TimelineEntry(
                change.effective_on, f"status_{change.kind.value}", change.reason, f"/decisions/{decision.id}#status"
            )
        )
    entries.sort(key=_sort_key)
    return entries


# Steps of one day appear in the order of the procedure (国务院令第713号): the decision is issued
# before its report, and interpreted with it (三同步), whatever the clock time of each record.
PROCEDURE_ORDER = (
    "catalog",
    "adjustment",
    "consultation",
    "event",
    "hearing",
    "step",
    "result",
    "interpretation",
    "report",
    "execution",
    "status",
)


def _sort_key(entry: TimelineEntry) -> tuple[str, int, str]:
    # Dates and UTC moments sort together by their calendar day in Asia/Shanghai.
    value = entry.on
    rank = PROCEDURE_ORDER.index(entry.kind.split("_", 1)[0])
    if isinstance(value, datetime):
        return clock.local_date(value).isoformat(), rank, value.astimezone(clock.TZ).strftime("%H:%M:%S")
    return (value.isoformat() if value else ""), rank, ""


async def report_timeliness(
    reports: list[AdoptionReport], calendar: WorkCalendar, rule: ReportRule, now: datetime
) -> list[tuple[AdoptionReport, Timeliness]]:
    """Each report with its due day and whether it was (or is being) published on time."""
    issued = dict(
        await DecisionResult.filter(decision_id__in=[r.decision_id for r in reports]).values_list(
            "decision_id", "issued_on"
        )
    )
    return [(r, timeliness(calendar, issued[r.decision_id], rule, r.published_at, now)) for r in reports]


async def home_view(today: date) -> dict[str, Any]:
    """The home page: consultations open now (ending soonest first), recently closed ones, this year's catalog."""
    related = ("draft", "decision__department")
    open_now = await open_consultations(today).order_by("ends_on", "id").limit(12).prefetch_related(*related)
    recent = await closed_consultations(today).order_by("-ends_on", "-id").limit(6).prefetch_related(*related)
    counts = await comment_counts([c.id for c in [*open_now, *recent]])
    catalog = await public_catalogs().filter(year__lte=today.year).order_by("-year").first()
    return {
        "open_consultations": [(c, days_left(c, today), counts.get(c.id, 0)) for c in open_now],
        "recent": [(c, counts.get(c.id, 0)) for c in recent],
        "catalog": catalog,
        "catalog_size": await catalog.decisions.filter(removed_at__isnull=True).count() if catalog else 0,
    }


async def catalog_view(catalog: Catalog, today: date) -> dict[str, Any]:
    decisions = await Decision.filter(catalog_id=catalog.id).prefetch_related("department")
    results = await DecisionResult.filter(decision_id__in=[d.id for d in decisions])
    return {
        "catalog": catalog,
        "decisions": decisions,
        "stages": await stages(decisions, today),
        "adjustments": await CatalogAdjustment.filter(catalog_id=catalog.id).prefetch_related("decision"),
        "results": {r.decision_id: r for r in results},
        "execution": await execution_states([d.id for d in decisions]),
    }


async def documents_view(today: date, settings: Settings) -> dict[str, Any]:
    """Government rules and normative documents consulted on outside the catalog, by kind, newest first,
    each with its latest consultation."""
    documents = (
        await public_decisions()
        .filter(catalog_id__isnull=True)
        .order_by("-public_from", "-id")
        .prefetch_related("department")
    )
    consultations = (
        await public_consultations().filter(decision_id__in=[d.id for d in documents]).order_by("starts_on", "id")
    )
    latest = {c.decision_id: c for c in consultations}
    rows = [
        (d, latest.get(d.id), consultation_state(latest[d.id], today) if d.id in latest else None) for d in documents
    ]
    return {
        "kinds": [(kind, [r for r in rows if r[0].kind is kind]) for kind in DOCUMENT_KINDS],
        "rule_days": settings.min_rule_consultation_days,
        "normative_days": settings.min_normative_working_days,
        "market_days": settings.min_market_normative_days,
    }


async def _public_attendees(decision_id: int) -> dict[int, list[Attendee]]:
    by_meeting: dict[int, list[Attendee]] = {}
    for attendee in await public_attendees().filter(meeting__topics__decision_id=decision_id).distinct():
        by_meeting.setdefault(attendee.meeting_id, []).append(attendee)
    return by_meeting


async def topic_view(
    decision: Decision, calendar: WorkCalendar, rule: ReportRule, now: datetime, settings: Settings
) -> dict[str, Any]:
    """The topic page (专题页): the decision's whole procedure, from the catalog to its execution."""
    today = clock.local_date(now)
    reports = await AdoptionReport.filter(decision_id=decision.id).prefetch_related("consultation__draft")
    consultations = await Consultation.filter(decision_id=decision.id, published_at__isnull=False).prefetch_related(
        "draft"
    )
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    return {
        "decision": decision,
        "after": await after_issue(decision, result, settings) if result else None,
        "stage": (await stages([decision], today))[decision.id],
        "timeline": await timeline(decision, decision.catalog),
        "consultations": [(c, consultation_state(c, today)) for c in consultations],
        "attachments": await public_attachments(decision),
        "adjustments": await CatalogAdjustment.filter(decision_id=decision.id),
        "result": result,
        "reports": await report_timeliness(reports, calendar, rule, now),
        **(await procedure_before(decision, today)),
        "evaluations": await evaluations_of_decision(decision.id),
        "meeting_topics": await MeetingTopic.filter(decision_id=decision.id).prefetch_related("meeting"),
        "attendees_by_meeting": await _public_attendees(decision.id),
    }
