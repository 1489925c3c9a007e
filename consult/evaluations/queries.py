"""Read-side of evaluations: the list by year and unit against the targets, an evaluation's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from consult.accounts.models import Department, User
from consult.accounts.permissions import can_review, is_admin
from consult.clock import TZ
from consult.decisions.models import DecisionResult
from consult.evaluations.models import (
    OFFLINE_METHODS,
    REPORT_PARTS,
    Evaluation,
    EvaluationActivity,
    EvaluationMethod,
    EvaluationOpinion,
    EvaluationOpinionAnswer,
)
from consult.evaluations.rules import evaluation_target
from consult.evaluations.services import unit_of
from consult.evaluations.visibility import public_evaluations
from consult.review.models import AnswerStatus
from consult.settings import Settings
from consult.surveys.models import Survey
from consult.surveys.queries import survey_results
from consult.surveys.services import SurveyState, survey_state


@dataclass
class UnitRow:
    name: str
    target: int
    reported: int  # reports published in the year: what counts
    running: int  # public, report not yet published

    @property
    def short(self) -> int:
        return max(self.target - self.reported, 0)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime.combine(date(year, 1, 1), time(0), TZ), datetime.combine(date(year + 1, 1, 1), time(0), TZ)


async def targets_by_unit(year: int, settings: Settings, government_name: str) -> list[UnitRow]:
    """The county first, then each department: reports published in the year against the target."""
    start, end = _year_bounds(year)
    reported: dict[int | None, int] = {}
    running: dict[int | None, int] = {}
    for department_id, published in await public_evaluations().values_list("department_id", "report_published_at"):
        if published is None:
            running[department_id] = running.get(department_id, 0) + 1
        elif start <= published < end:
            reported[department_id] = reported.get(department_id, 0) + 1
    rows = [UnitRow(government_name, evaluation_target(True, settings), reported.get(None, 0), running.get(None, 0))]
    for department in await Department.all():
        rows.append(
            UnitRow(
                department.name,
                evaluation_target(False, settings),
                reported.get(department.id, 0),
                running.get(department.id, 0),
            )
        )
    return rows


async def evaluation_list(year: int, settings: Settings, government_name: str) -> dict[str, Any]:
    start, end = _year_bounds(year)
    evaluations = await public_evaluations().prefetch_related("department")
    shown = [
        e
        for e in evaluations
        if e.starts_on.year == year or (e.report_published_at is not None and start <= e.report_published_at < end)
    ]
    return {
        "year": year,
        "evaluations": shown,
        "units": await targets_by_unit(year, settings, government_name),
        "years": sorted({e.starts_on.year for e in evaluations} | {year}, reverse=True),
    }


async def opinions_with_answers(evaluation: Evaluation, public: bool) -> dict[int, list[tuple[EvaluationOpinion, Any]]]:
    """By activity: each opinion heard with its answer (the approved copy only, for the public)."""
    opinions = await EvaluationOpinion.filter(activity__evaluation_id=evaluation.id)
    answers = EvaluationOpinionAnswer.filter(opinion_id__in=[o.id for o in opinions])
    if public:
        answers = answers.filter(published_at__isnull=False)
    by_opinion = {a.opinion_id: a for a in await answers}
    grouped: dict[int, list[tuple[EvaluationOpinion, Any]]] = {}
    for opinion in opinions:
        grouped.setdefault(opinion.activity_id, []).append((opinion, by_opinion.get(opinion.id)))
    return grouped


async def evaluation_view(evaluation: Evaluation, today: date, public: bool = True) -> dict[str, Any]:
    survey = await evaluation.survey if evaluation.survey_id else None
    state = survey_state(survey, today) if survey else None
    return {
        "evaluation": evaluation,
        "department": await Department.get_or_none(id=evaluation.department_id) if evaluation.department_id else None,
        "decision": await evaluation.decision if evaluation.decision_id else None,
        "activities": await EvaluationActivity.filter(evaluation_id=evaluation.id),
        "opinions": await opinions_with_answers(evaluation, public),
        "survey": survey,
        "survey_state": state,
        "results": await survey_results(survey) if survey and state is SurveyState.CLOSED else None,
        "report_parts": REPORT_PARTS,
        "report_public": evaluation.report_published_at is not None,
    }


async def evaluations_of_decision(decision_id: int) -> list[Evaluation]:
    return await public_evaluations().filter(decision_id=decision_id)


async def evaluations_to_manage(user: User) -> dict[str, Any]:
    office = is_admin(user)
    evaluations = Evaluation.all() if office else Evaluation.filter(department_id=user.department_id)
    decided = DecisionResult.all() if office else DecisionResult.filter(decision__department_id=user.department_id)
    return {
        "evaluations": await evaluations.prefetch_related("department"),
        "decisions": [r.decision for r in await decided.prefetch_related("decision")],
        "departments": await Department.all() if office else [],
        "methods": list(EvaluationMethod),
        "is_admin": office,
    }


async def evaluation_to_manage(user: User, evaluation: Evaluation, today: date) -> dict[str, Any]:
    unit = evaluation.department_id
    surveys = Survey.all() if unit is None else Survey.filter(department_id=unit)
    return {
        **(await evaluation_view(evaluation, today, public=False)),
        "user": user,
        "surveys": await surveys,
        "offline_methods": OFFLINE_METHODS,
        "statuses": list(AnswerStatus),
        "can_review_it": can_review(user, unit_of(evaluation)) and evaluation.report_submitted_by_id != user.id,
    }
