"""Expert review, risk assessment, legality review and collective discussion as records of a decision
(国务院令第713号 第十九条–第三十一条): recorded by the department, public ones published by a reviewer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.clock import local_date
from consult.decisions.models import Decision
from consult.deliberation.models import Hearing, ProcedureStep, RiskLevel, StepDocument, StepKind
from consult.deliberation.rules import legality_review_time, may_discuss, missing_before_result
from consult.deliberation.search import index_step
from consult.drafts.uploads import Upload
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_
from consult.settings import Settings
from consult.workdays.calc import WorkCalendar

MAX_TEXT = 20_000


@dataclass(frozen=True)
class StepInput:
    kind: str
    unit: str
    started_on: date | None
    finished_on: date | None
    outcome: str
    risk_level: str = ""
    short_period_reason: str = ""
    meeting_id: int | None = None
    public: bool = True


def _require_department(actor: User, decision: Decision) -> None:
    if not can_edit_department_content(actor, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")


async def legality_reviewed(decision_id: int) -> bool:
    return await ProcedureStep.filter(decision_id=decision_id, kind=StepKind.LEGALITY_REVIEW).exists()


async def hearing_reported(decision_id: int) -> bool:
    return await Hearing.filter(decision_id=decision_id, report_published_at__isnull=False).exists()


async def check_result_allowed(decision: Decision) -> None:
    """Refuses, naming what is missing, to record the result of a decision whose procedure lacks a
    required step (rules.missing_before_result)."""
    missing = missing_before_result(
        await legality_reviewed(decision.id), decision.needs_hearing, await hearing_reported(decision.id)
    )
    if missing:
        keys = ["legality_review", "hearing_report"] if len(missing) == 2 else ["__all__"]
        raise ValidationError(dict(zip(keys, missing, strict=True)))


def _checked(data: StepInput, today: date) -> tuple[StepKind, dict[str, object]]:
    errors: dict[str, str] = {}
    kind = StepKind(data.kind) if data.kind in StepKind._value2member_map_ else None
    if kind is None:
        errors["kind"] = N_("Choose one of the options.")
    unit, outcome = data.unit.strip(), data.outcome.strip()
    if not unit:
        errors["unit"] = N_("Name the responsible unit.")
    elif len(unit) > 200:
        errors["unit"] = N_("Keep the name within 200 characters.")
    if not outcome:
        errors["outcome"] = N_("Summarise the outcome (the conclusions, the opinion, the decision taken).")
    elif len(outcome) > MAX_TEXT:
        errors["outcome"] = N_("Keep the text within 20,000 characters.")
    if data.started_on is None:
        errors["started_on"] = N_("This field is required.")
    if data.finished_on is None:
        errors["finished_on"] = N_("This field is required.")
    elif data.finished_on > today:
        errors["finished_on"] = N_("Record a step once it has taken place: the date cannot be in the future.")
    elif data.started_on is not None and data.finished_on < data.started_on:
        errors["finished_on"] = N_("The end date cannot be before the start date.")
    risk = data.risk_level.strip()
    if risk and (kind is not StepKind.RISK_ASSESSMENT or risk not in RiskLevel._value2member_map_):
        errors["risk_level"] = N_("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    assert kind is not None
    return kind, {
        "kind": kind,
        "unit": unit,
        "outcome": outcome,
        "started_on": data.started_on,
        "finished_on": data.finished_on,
        "risk_level": RiskLevel(risk) if risk else None,
        "public": data.public,
    }


async def _meeting_for(decision: Decision, meeting_id: int | None) -> int | None:
    """A collective discussion names the standing meeting at which the decision was on the agenda."""
    if meeting_id is None:
        return None
    # Through the decision's agenda items (meetings sit above this area, so their models are not imported).
    if not await Decision.filter(id=decision.id, meeting_topics__meeting_id=meeting_id).exists():
        raise ValidationError({"meeting_id": N_("Choose a standing meeting that had this decision on its agenda.")})
    return meeting_id


async def record_step(
    decision: Decision, data: StepInput, actor: User, now: datetime, calendar: WorkCalendar, settings: Settings
) -> ProcedureStep:
    _require_department(actor, decision)
    if decision.removed_at is not None:
        raise Conflict("This decision was removed from the catalog.")
    kind, fields = _checked(data, local_date(now))
    reason = ""
    if kind is StepKind.LEGALITY_REVIEW:
        assert data.started_on is not None and data.finished_on is not None
        time = legality_review_time(calendar, data.started_on, data.finished_on, settings)
        if time.short:
            reason = data.short_period_reason.strip()
            if not reason:
                raise ValidationError(
                    {
                        "short_period_reason": N_(
                            "The review had %(days)s working days, fewer than %(n)s: record why it was shorter."
                        )
                    },
                    days=time.working_days,
                    n=time.minimum,
                )
    meeting_id = None
    if kind is StepKind.COLLECTIVE_DISCUSSION:
        if not may_discuss(await legality_reviewed(decision.id)):
            raise ValidationError(
                {"kind": N_("Record the legality review first: a draft it has not seen is not discussed.")}
            )
        meeting_id = await _meeting_for(decision, data.meeting_id)
    return await ProcedureStep.create(
        decision=decision,
        **fields,
        short_period_reason=reason,
        meeting_id=meeting_id,
        created_by=actor,
        created_at=now,
    )


async def add_step_document(step: ProcedureStep, upload: Upload, actor: User, now: datetime) -> StepDocument:
    """论证报告、评估报告、审查意见书: PDF, Word or images, checked by their bytes."""
    _require_department(actor, await Decision.get(id=step.decision_id))
    name, content_type = upload.checked()
    return await StepDocument.create(
        step=step,
        filename=name,
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        data=upload.data,
        created_at=now,
    )


async def publish_step(step: ProcedureStep, actor: User, now: datetime) -> None:
    """视情公开: a step the department marked public is published by its reviewer (先审查后公开)."""
    decision = await Decision.get(id=step.decision_id)
    if not can_review(actor, decision.department_id):
        raise PermissionDenied("Only a reviewer of the department can publish.")
    if not step.public:
        raise Conflict("This record is kept internal.")
    if step.published_at is not None:
        raise Conflict("This record is already published.")
    async with in_transaction("default"):
        step.published_by = actor
        step.published_at = now
        await step.save(update_fields=["published_by_id", "published_at"])
        await index_step(step)
