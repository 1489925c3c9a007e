"""Read-side of the procedure before the decision: the topic page's steps, the hearing pages, and the
department's forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consult.answers.models import Answer
from consult.clock import local_date
from consult.decisions.models import Decision
from consult.deliberation.hearings import OBSERVER, call_of, representative_groups, unanswered_opinions
from consult.deliberation.models import (
    Hearing,
    HearingDraw,
    HearingOpinion,
    HearingParticipant,
    ProcedureStep,
    RiskLevel,
    StepDocument,
    StepKind,
)
from consult.deliberation.rules import missing_before_result
from consult.deliberation.steps import hearing_reported, legality_reviewed
from consult.deliberation.visibility import public_hearings, public_steps
from consult.drafts.models import Consultation
from consult.participation.calls import LOTTERY_METHOD, seats_left
from consult.participation.models import ApplicationStatus, Attendance
from consult.review.models import AnswerStatus
from consult.settings import Settings

SEATED = (ApplicationStatus.SELECTED, ApplicationStatus.INVITED)


@dataclass
class StepView:
    """One step of the procedure on the topic page: its public records, and whether an internal one
    exists (done, content not public: 视情公开)."""

    kind: StepKind
    records: list[ProcedureStep] = field(default_factory=list)
    internal_on: date | None = None

    @property
    def done(self) -> bool:
        return bool(self.records) or self.internal_on is not None


async def _documents(step_ids: list[int]) -> dict[int, list[StepDocument]]:
    by_step: dict[int, list[StepDocument]] = {}
    for doc in await StepDocument.filter(step_id__in=step_ids).only(
        "id", "step_id", "filename", "content_type", "size"
    ):
        by_step.setdefault(doc.step_id, []).append(doc)
    return by_step


async def procedure_before(decision: Decision, today: date) -> dict[str, Any]:
    """The topic page's steps before the decision, in the order of 国务院令第713号."""
    published = await public_steps().filter(decision_id=decision.id).prefetch_related("meeting")
    internal = await ProcedureStep.filter(decision_id=decision.id, public=False).values_list("kind", "finished_on")
    views = {kind: StepView(kind) for kind in StepKind}
    for step in published:
        views[step.kind].records.append(step)
    for kind, finished_on in internal:
        view = views[StepKind(kind)]
        view.internal_on = max(view.internal_on or finished_on, finished_on)
    return {
        "steps": list(views.values()),
        "step_documents": await _documents([s.id for s in published]),
        "hearings": await public_hearings(today).filter(decision_id=decision.id),
    }


async def hearing_list(today: date) -> dict[str, Any]:
    hearings = await public_hearings(today).order_by("-held_at").prefetch_related("decision__department")
    return {
        "upcoming": [h for h in hearings if local_date(h.held_at) >= today][::-1],
        "past": [h for h in hearings if local_date(h.held_at) < today],
    }


def _seated(participants: list[HearingParticipant]) -> list[HearingParticipant]:
    return [p for p in participants if p.status in SEATED and p.attendance is not Attendance.ABSENT]


async def _opinions(hearing: Hearing, public: bool) -> tuple[list[HearingOpinion], dict[int, Answer]]:
    opinions = await HearingOpinion.filter(participant__hearing_id=hearing.id).prefetch_related(
        "comment__article", "participant"
    )
    answers = Answer.filter(comment_id__in=[o.comment_id for o in opinions])
    if public:
        answers = answers.filter(published_at__isnull=False)
    return opinions, {a.comment_id: a for a in await answers}


async def public_hearing(hearing: Hearing, today: date, settings: Settings) -> dict[str, Any]:
    """The hearing page: the notice, the seats and the form while applications are open, the list of
    participants once published, then the record, the report and each opinion's public answer."""
    call = call_of(hearing)
    participants = await HearingParticipant.filter(hearing_id=hearing.id)
    listed = _seated(participants) if hearing.participants_published_at else []
    reported = hearing.report_published_at is not None
    opinions, answers = await _opinions(hearing, public=True) if reported else ([], {})
    return {
        "hearing": hearing,
        "decision": await Decision.get(id=hearing.decision_id).prefetch_related("department"),
        "consultation": await Consultation.get(id=hearing.consultation_id).prefetch_related("draft"),
        "groups": representative_groups(hearing),
        "seats": {k: await seats_left(call, k) for k in call.quotas},
        "observer": OBSERVER,
        "open": call.is_open(today),
        "held": today >= local_date(hearing.held_at),
        "participants": listed,
        "draws": await HearingDraw.filter(hearing_id=hearing.id),
        "lottery_method": LOTTERY_METHOD,
        "opinions": opinions,
        "answers": answers,
        "min_age": settings.attendee_min_age,
        "local_years": settings.attendee_local_years,
    }


async def hearing_to_manage(hearing: Hearing, today: date, settings: Settings) -> dict[str, Any]:
    """Everything the department manages for one hearing, applicants' contact details included."""
    opinions, answers = await _opinions(hearing, public=False)
    consultation = await Consultation.get(id=hearing.consultation_id).prefetch_related("draft")
    return {
        **(await public_hearing(hearing, today, settings)),
        "participants": await HearingParticipant.filter(hearing_id=hearing.id),
        "opinions": opinions,
        "answers": answers,
        "articles": await consultation.draft.articles.all(),
        "unanswered": await unanswered_opinions(hearing),
        "statuses": list(AnswerStatus),
    }


async def to_manage(decision: Decision, settings: Settings) -> dict[str, Any]:
    """The decision's staff page: its steps and hearings, the forms to add them, and what still stands
    in the way of recording the result."""
    steps = await ProcedureStep.filter(decision_id=decision.id).prefetch_related("meeting")
    return {
        "procedure_steps": steps,
        "step_documents": await _documents([s.id for s in steps]),
        "step_kinds": list(StepKind),
        "risk_levels": list(RiskLevel),
        "agenda_meetings": [t.meeting for t in await decision.meeting_topics.all().prefetch_related("meeting")],
        "hearings": await Hearing.filter(decision_id=decision.id),
        "hearing_consultations": await Consultation.filter(
            decision_id=decision.id, published_at__isnull=False
        ).prefetch_related("draft"),
        "missing_before_result": missing_before_result(
            await legality_reviewed(decision.id), decision.needs_hearing, await hearing_reported(decision.id)
        ),
        "legality_minimum": settings.legality_review_min_working_days,
        "hearing_notice_days": settings.hearing_notice_days,
        "hearing_materials_days": settings.hearing_materials_days,
    }
