"""Policy evaluations: the public list (by year, with each unit's count against its target) and page;
the unit's staff page (activities, opinions and their answers, questionnaire, report, review)."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content, can_review
from consult.errors import PermissionDenied
from consult.evaluations import queries
from consult.evaluations.models import (
    OFFLINE_METHODS,
    REPORT_PARTS,
    Evaluation,
    EvaluationActivity,
    EvaluationOpinion,
)
from consult.evaluations.services import (
    EvaluationInput,
    answer_opinion,
    attach_survey,
    create_evaluation,
    publish_evaluation,
    record_activity,
    record_opinion,
    review_report,
    save_report,
    submit_report,
    unit_of,
)
from consult.evaluations.visibility import public_evaluations
from consult.i18n import gettext
from consult.review.models import AnswerStatus
from consult.surveys.models import Survey
from consult.web import (
    ActionPage,
    FormPage,
    form_text,
    get_or_404,
    int_param,
    redirect,
    render,
    require_user,
    settings_of,
)


async def evaluation_list(request: Request) -> Response:
    year = int_param(request, "year", 2000, 2100) or clock.today().year
    settings = settings_of(request)
    context = await queries.evaluation_list(year, settings, settings.government_name or gettext("The government"))
    return await render(request, "evaluations/list.html", context)


async def evaluation_page(request: Request) -> Response:
    evaluation = await get_or_404(public_evaluations(), id=request.path_params["id"])
    return await render(
        request, "evaluations/evaluation.html", await queries.evaluation_view(evaluation, clock.today())
    )


def evaluation_input(form: FormData, user: User) -> EvaluationInput:
    errors = forms.Errors()
    starts_on = forms.parse_date(form.get("starts_on"), "starts_on", errors)
    ends_on = forms.parse_date(form.get("ends_on"), "ends_on", errors)
    errors.raise_if_any()
    department = user.department_id or (forms.number(form, "department_id") or None)
    return EvaluationInput(
        department_id=department,
        policy_title=form_text(form, "policy_title"),
        scope=form_text(form, "scope"),
        evaluator=form_text(form, "evaluator"),
        starts_on=starts_on,
        ends_on=ends_on,
        methods=[str(m) for m in form.getlist("methods")],
        decision_id=forms.number(form, "decision_id") or None,
    )


class ManageEvaluations(FormPage):
    template = "manage/evaluations.html"

    async def load(self, request: Request) -> User:
        return await require_user(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return await queries.evaluations_to_manage(user)

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        evaluation = await create_evaluation(evaluation_input(form, user), user, clock.now())
        return redirect(f"/manage/evaluations/{evaluation.id}")


Target = tuple[User, Evaluation]


async def _publish(request: Request, target: Target, form: FormData) -> None:
    await publish_evaluation(target[1], target[0], clock.now())


async def _survey(request: Request, target: Target, form: FormData) -> None:
    await attach_survey(target[1], forms.number(form, "survey_id"), target[0])


async def _activity(request: Request, target: Target, form: FormData) -> None:
    errors = forms.Errors()
    held_on = forms.parse_date(form.get("held_on"), "held_on", errors)
    errors.raise_if_any()
    groups = {form_text(form, f"group_{i}"): form_text(form, f"count_{i}") for i in range(1, 5)}
    method, summary = form_text(form, "method"), form_text(form, "summary")
    await record_activity(target[1], method, held_on, groups, summary, target[0], clock.now())


async def _opinion(request: Request, target: Target, form: FormData) -> None:
    activity = await get_or_404(EvaluationActivity, id=forms.number(form, "activity_id"), evaluation_id=target[1].id)
    await record_opinion(activity, form_text(form, "body"), target[0], clock.now())


async def _answer(request: Request, target: Target, form: FormData) -> None:
    opinion = await get_or_404(
        EvaluationOpinion, id=forms.number(form, "opinion_id"), activity__evaluation_id=target[1].id
    )
    status = forms.one_of(form.get("status"), AnswerStatus, "status")
    await answer_opinion(opinion, status, form_text(form, "reason"), target[0], clock.now())


async def _report(request: Request, target: Target, form: FormData) -> None:
    await save_report(target[1], {name: form_text(form, name) for name in REPORT_PARTS}, target[0])


async def _submit(request: Request, target: Target, form: FormData) -> None:
    await submit_report(target[1], target[0], clock.now())


async def _review(request: Request, target: Target, form: FormData) -> None:
    approve = form_text(form, "decision") == "approve"
    await review_report(target[1], approve, form_text(form, "note"), target[0], clock.now())


class ManageEvaluation(ActionPage):
    template = "manage/evaluation.html"
    actions: ClassVar[dict[str, Any]] = {
        "publish": _publish,
        "survey": _survey,
        "activity": _activity,
        "opinion": _opinion,
        "answer": _answer,
        "report": _report,
        "submit": _submit,
        "review": _review,
    }

    async def load(self, request: Request) -> Target:
        user = await require_user(request)
        evaluation = await get_or_404(Evaluation, id=request.path_params["id"])
        if not can_edit_department_content(user, unit_of(evaluation)):
            raise PermissionDenied("This evaluation belongs to another unit.")
        return user, evaluation

    async def context(self, request: Request, target: Target) -> dict[str, Any]:
        user, evaluation = target
        view = await queries.evaluation_view(evaluation, clock.today(), public=False)
        surveys = (
            Survey.all() if evaluation.department_id is None else Survey.filter(department_id=evaluation.department_id)
        )
        return {
            **view,
            "user": user,
            "surveys": await surveys,
            "offline_methods": OFFLINE_METHODS,
            "statuses": list(AnswerStatus),
            "can_review_it": can_review(user, unit_of(evaluation)) and evaluation.report_submitted_by_id != user.id,
        }

    def done(self, target: Target, result: None) -> str:
        return f"/manage/evaluations/{target[1].id}"


routes = [
    Route("/evaluations/", evaluation_list),
    Route("/evaluations/{id:int}", evaluation_page),
    Route("/manage/evaluations", ManageEvaluations, methods=["GET", "POST"]),
    *ManageEvaluation.routes("/manage/evaluations/{id:int}"),
]
