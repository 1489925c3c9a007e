"""Questionnaires: the public page (form while open, results once closed), the receipt, the CSV; the
department's builder, review and moderation."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.comments.receipts import normalise_receipt_code
from consult.errors import DomainError, PermissionDenied
from consult.i18n import get_language
from consult.limits import check_form_limit
from consult.surveys import pages
from consult.surveys.forms import question_input, raw_answers, survey_input
from consult.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from consult.surveys.services import (
    add_question,
    create_survey,
    moderate_text,
    remove_question,
    respond,
    review_survey,
    submit_for_review,
    update_survey,
)
from consult.surveys.visibility import public_surveys
from consult.web import (
    ActionPage,
    FormPage,
    form_text,
    form_values,
    get_or_404,
    redirect,
    render,
    require_user,
)


async def survey_list(request: Request) -> Response:
    return await render(request, "surveys/list.html", await pages.survey_list(clock.today()))


class SurveyPage(FormPage):
    """The questionnaire while it is open (a form that works without JavaScript, with progress for a
    long one), its results once it has closed."""

    template = "surveys/survey.html"
    keep_on_expiry = True

    async def load(self, request: Request) -> Survey:
        self.picked: dict[str, list[str]] = {}
        return await get_or_404(public_surveys(), id=request.path_params["id"])

    async def context(self, request: Request, survey: Survey) -> dict[str, Any]:
        return await pages.public_survey(survey, clock.today())

    def error_context(self, error: DomainError) -> dict[str, Any]:
        return {"picked": self.picked}

    async def submit(self, request: Request, survey: Survey, form: FormData) -> Response:
        self.picked = {k: [str(v) for v in form.getlist(k)] for k in form if k.startswith("q")}
        values = form_values(form)
        await check_form_limit(request, "survey", values)
        questions = await SurveyQuestion.filter(survey_id=survey.id)
        phone, email = form_text(form, "phone"), form_text(form, "email")
        answers, token = raw_answers(form, questions), form_text(form, "form_token")
        response = await respond(survey, answers, phone, email, clock.today(), clock.now(), token)
        return redirect(f"/surveys/responses/{response.receipt_code}")


async def question_chart(request: Request) -> Response:
    """A closed questionnaire's chart of one question (its numbers are in the table beside it)."""
    survey = await get_or_404(public_surveys(), id=request.path_params["id"])
    svg = await pages.question_chart_svg(survey, request.path_params["qid"], get_language(), clock.today())
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


async def response_receipt(request: Request) -> Response:
    code = normalise_receipt_code(request.path_params["code"]) or ""
    response = await get_or_404(SurveyResponse.all().prefetch_related("survey"), receipt_code=code)
    return await render(request, "surveys/receipt.html", {"response": response, "survey": response.survey})


async def results_csv(request: Request) -> Response:
    survey = await get_or_404(public_surveys(), id=request.path_params["id"])
    return await pages.results_csv(survey, clock.today())


# ---- the department -------------------------------------------------------------------------------


class ManageSurveys(FormPage):
    template = "manage/surveys.html"

    async def load(self, request: Request) -> User:
        return await require_user(request)

    async def context(self, request: Request, user: User) -> dict[str, Any]:
        return await pages.surveys_to_manage(user)

    async def submit(self, request: Request, user: User, form: FormData) -> Response:
        department = user.department_id or forms.number(form, "department_id")
        survey = await create_survey(department, survey_input(form), user, clock.now())
        return redirect(f"/manage/surveys/{survey.id}")


Target = tuple[User, Survey]


async def _details(request: Request, target: Target, form: FormData) -> None:
    await update_survey(target[1], survey_input(form), target[0], clock.now())


async def _question(request: Request, target: Target, form: FormData) -> None:
    await add_question(target[1], question_input(form), target[0])


async def _remove(request: Request, target: Target, form: FormData) -> None:
    question = await get_or_404(SurveyQuestion, id=forms.number(form, "question_id"), survey_id=target[1].id)
    await remove_question(question, target[0])


async def _submit(request: Request, target: Target, form: FormData) -> None:
    await submit_for_review(target[1], target[0], clock.now())


async def _review(request: Request, target: Target, form: FormData) -> None:
    approve = form_text(form, "decision") == "approve"
    await review_survey(target[1], approve, form_text(form, "note"), target[0], clock.now())


async def _moderate(request: Request, target: Target, form: FormData) -> None:
    answer = await get_or_404(SurveyAnswer, id=forms.number(form, "answer_id"), question__survey_id=target[1].id)
    await moderate_text(answer, form_text(form, "decision") == "publish", target[0])


class ManageSurvey(ActionPage):
    """The builder, with a preview of the form as citizens will see it; submission for review, the
    review, and the moderation of free text. Each form posts to /manage/surveys/{id}/{action}."""

    template = "manage/survey.html"
    actions: ClassVar[dict[str, Any]] = {
        "details": _details,
        "question": _question,
        "remove": _remove,
        "submit": _submit,
        "review": _review,
        "moderate": _moderate,
    }

    async def load(self, request: Request) -> Target:
        user = await require_user(request)
        survey = await get_or_404(Survey, id=request.path_params["id"])
        if not can_edit_department_content(user, survey.department_id):
            raise PermissionDenied("This questionnaire belongs to another department.")
        return user, survey

    async def context(self, request: Request, target: Target) -> dict[str, Any]:
        user, survey = target
        context = await pages.survey_to_manage(survey, clock.today())
        return {**context, "user": user, "can_review_it": pages.reviewer_may_act(user, survey)}

    def done(self, target: Target, result: None) -> str:
        return f"/manage/surveys/{target[1].id}"


routes = [
    Route("/surveys/", survey_list),
    Route("/surveys/{id:int}", SurveyPage, methods=["GET"]),
    Route("/surveys/{id:int}/responses", SurveyPage, methods=["POST"]),
    Route("/surveys/{id:int}/results.csv", results_csv),
    Route("/surveys/{id:int}/charts/{qid:int}.svg", question_chart),
    Route("/surveys/responses/{code:str}", response_receipt),
    Route("/manage/surveys", ManageSurveys, methods=["GET", "POST"]),
    *ManageSurvey.routes("/manage/surveys/{id:int}"),
]
