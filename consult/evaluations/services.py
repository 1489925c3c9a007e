"""Opening an evaluation, its activities and the opinions heard (answered like comments), its
questionnaire, and its report (written by the unit, approved by another reviewer, then public)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from consult.accounts.models import User
from consult.accounts.permissions import can_approve_answer, can_edit_department_content, can_review, is_admin
from consult.clock import local_date
from consult.decisions.models import Decision, DecisionResult
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.evaluations.models import (
    OFFLINE_METHODS,
    REPORT_PARTS,
    Evaluation,
    EvaluationActivity,
    EvaluationMethod,
    EvaluationOpinion,
    EvaluationOpinionAnswer,
)
from consult.evaluations.search import index_evaluation
from consult.i18n import N_
from consult.review.models import AnswerStatus, ReviewState
from consult.review.services import ReviewKind, propose
from consult.surveys.models import Survey

NO_DEPARTMENT = -1  # the government's own evaluations: only the office qualifies


def unit_of(evaluation: Evaluation) -> int:
    return evaluation.department_id if evaluation.department_id is not None else NO_DEPARTMENT


def _require_unit(actor: User, evaluation: Evaluation) -> None:
    if not can_edit_department_content(actor, unit_of(evaluation)):
        raise PermissionDenied("This evaluation belongs to another unit.")


@dataclass(frozen=True)
class EvaluationInput:
    department_id: int | None  # None: the government's own (the office only)
    policy_title: str
    scope: str
    evaluator: str
    starts_on: date | None
    ends_on: date | None
    methods: list[str] = field(default_factory=list)
    decision_id: int | None = None


async def create_evaluation(data: EvaluationInput, actor: User, now: datetime) -> Evaluation:
    if data.department_id is None and not is_admin(actor):
        raise PermissionDenied("Only the government office opens the government's own evaluations.")
    if data.department_id is not None and not can_edit_department_content(actor, data.department_id):
        raise PermissionDenied("Department staff open evaluations of their own department.")
    errors: dict[str, str] = {}
    decision = await Decision.get_or_none(id=data.decision_id) if data.decision_id else None
    if data.decision_id and (
        decision is None
        or not await DecisionResult.filter(decision_id=decision.id).exists()
        or (data.department_id is not None and decision.department_id != data.department_id)
    ):
        errors["decision_id"] = N_("Choose an issued decision, or name another policy.")
    title = (decision.title if decision else data.policy_title).strip()
    if not title or len(title) > 200:
        errors["policy_title"] = N_("Name the policy evaluated.")
    for name in ("scope", "evaluator"):
        if not getattr(data, name).strip():
            errors[name] = N_("This field is required.")
    if len(data.evaluator) > 200:
        errors["evaluator"] = N_("Too long.")
    methods = [m for m in data.methods if m in EvaluationMethod._value2member_map_]
    if not methods or len(methods) != len(data.methods):
        errors["methods"] = N_("Choose at least one method.")
    if data.starts_on is None or data.ends_on is None:
        errors["starts_on"] = N_("Enter a date.")
    elif data.ends_on < data.starts_on:
        errors["ends_on"] = N_("The end date must be after the start date.")
    if errors:
        raise ValidationError(errors)
    return await Evaluation.create(
        department_id=data.department_id,
        decision=decision,
        policy_title=title,
        scope=data.scope.strip(),
        methods=methods,
        evaluator=data.evaluator.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor,
        created_at=now,
    )


async def publish_evaluation(evaluation: Evaluation, actor: User, now: datetime) -> None:
    """先审查后公开: a reviewer of the unit (or the office) makes the evaluation public."""
    if not can_review(actor, unit_of(evaluation)):
        raise PermissionDenied("Only a reviewer of the unit can publish.")
    if evaluation.published_at is not None:
        raise Conflict("The evaluation is already public.")
    evaluation.published_at = now
    await evaluation.save(update_fields=["published_at"])
    await index_evaluation(evaluation)


async def attach_survey(evaluation: Evaluation, survey_id: int, actor: User) -> None:
    """The questionnaire the evaluation asks the public through (a questionnaire of the same unit)."""
    _require_unit(actor, evaluation)
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None or (evaluation.department_id is not None and survey.department_id != evaluation.department_id):
        raise ValidationError({"survey_id": N_("Choose a questionnaire of this unit.")})
    evaluation.survey = survey
    if EvaluationMethod.QUESTIONNAIRE.value not in evaluation.methods:
        evaluation.methods = [*evaluation.methods, EvaluationMethod.QUESTIONNAIRE.value]
    await evaluation.save(update_fields=["survey_id", "methods"])


def _participants(raw: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for category, number in raw.items():
        category = category.strip()
        if not category and not number.strip():
            continue
        value = int(number) if number.strip().isdecimal() and len(number.strip()) <= 5 else -1
        if not category or len(category) > 30 or value < 1:
            raise ValidationError({"participants": N_("Give each group of participants a name and a number.")})
        counts[category] = counts.get(category, 0) + value
    if not counts:
        raise ValidationError({"participants": N_("Give each group of participants a name and a number.")})
    return counts


async def record_activity(
    evaluation: Evaluation, method: str, held_on: date | None, participants: dict[str, str], summary: str,
    actor: User, now: datetime,
) -> EvaluationActivity:  # fmt: skip
    """A symposium, an interview or an open day: participants by category and count, never by name."""
    _require_unit(actor, evaluation)
    if method not in {m.value for m in OFFLINE_METHODS}:
        raise ValidationError({"method": N_("Choose one of the options.")})
    if held_on is None or held_on > local_date(now):
        raise ValidationError({"held_on": N_("Record an activity once it has taken place.")})
    return await EvaluationActivity.create(
        evaluation=evaluation,
        method=EvaluationMethod(method),
        held_on=held_on,
        participants=_participants(participants),
        summary=summary.strip()[:5000],
        created_at=now,
    )


async def record_opinion(activity: EvaluationActivity, body: str, actor: User, now: datetime) -> EvaluationOpinion:
    _require_unit(actor, await Evaluation.get(id=activity.evaluation_id))
    if not body.strip() or len(body) > 5000:
        raise ValidationError({"body": N_("This field is required.")})
    return await EvaluationOpinion.create(activity=activity, body=body.strip(), recorded_at=now)


async def require_opinion_answerer(opinion: EvaluationOpinion, actor: User) -> Evaluation:
    """Checked before the form is read, so another unit learns nothing from validation."""
    evaluation = await Evaluation.get(activities__opinions__id=opinion.id)
    _require_unit(actor, evaluation)
    return evaluation


async def answer_opinion(
    opinion: EvaluationOpinion, status: AnswerStatus, reason: str, actor: User, now: datetime
) -> EvaluationOpinionAnswer:
    await require_opinion_answerer(opinion, actor)
    return await propose(EvaluationOpinionAnswer, {"opinion": opinion}, status, reason, actor, now)


EVALUATION_OPINION_ANSWER = ReviewKind(
    name="evaluation_opinion_answer",
    model=EvaluationOpinionAnswer,
    department_path="opinion__activity__evaluation__department_id",
    related=("opinion__activity__evaluation",),
)


def _require_report_editable(evaluation: Evaluation) -> None:
    if evaluation.report_published_at is not None or evaluation.report_state is ReviewState.PENDING:
        raise Conflict("The report is under review or published: it is no longer changed.")


async def save_report(evaluation: Evaluation, parts: dict[str, str], actor: User) -> None:
    _require_unit(actor, evaluation)
    _require_report_editable(evaluation)
    errors = {name: N_("Too long.") for name in REPORT_PARTS if len(parts.get(name, "")) > 20_000}
    if errors:
        raise ValidationError(errors)
    for name in REPORT_PARTS:
        setattr(evaluation, name, parts.get(name, "").strip())
    await evaluation.save(update_fields=list(REPORT_PARTS))


async def submit_report(evaluation: Evaluation, actor: User, now: datetime) -> None:
    """Every part written, every opinion heard answered in public, before a reviewer sees it."""
    _require_unit(actor, evaluation)
    _require_report_editable(evaluation)
    errors = {
        name: N_("This part of the report is required.") for name in REPORT_PARTS if not getattr(evaluation, name)
    }
    if errors:
        raise ValidationError(errors)
    unanswered = (
        await EvaluationOpinion.filter(activity__evaluation_id=evaluation.id)
        .exclude(answer__published_at__isnull=False)
        .count()
    )
    if unanswered:
        raise ValidationError({"__all__": N_("%(n)s opinions heard have no published answer yet.")}, n=unanswered)
    evaluation.report_state, evaluation.report_submitted_by, evaluation.report_note = ReviewState.PENDING, actor, ""
    await evaluation.save(update_fields=["report_state", "report_submitted_by_id", "report_note"])


async def review_report(evaluation: Evaluation, approve: bool, note: str, actor: User, now: datetime) -> None:
    unit = unit_of(evaluation)
    if not can_review(actor, unit):
        raise PermissionDenied("Only a reviewer of the unit can review.")
    if evaluation.report_state is not ReviewState.PENDING:
        raise Conflict("The report is not waiting for review.")
    if not can_approve_answer(actor, unit, evaluation.report_submitted_by_id):
        raise PermissionDenied("Another reviewer approves what you submitted.")
    if approve:
        evaluation.report_state, evaluation.report_published_at = ReviewState.APPROVED, now
        if evaluation.published_at is None:
            evaluation.published_at = now
    else:
        if not note.strip():
            raise ValidationError({"note": N_("Say what to change.")})
        evaluation.report_state = ReviewState.RETURNED
    evaluation.report_note = note.strip()
    await evaluation.save(update_fields=["report_state", "report_published_at", "published_at", "report_note"])
    await index_evaluation(evaluation)
