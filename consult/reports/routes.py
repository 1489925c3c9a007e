"""Adoption reports (public: page, PDF, CSV, charts) and their staff page; recording the decision result."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.answers.queries import answers_for
from consult.decisions.guards import decision_for_staff
from consult.decisions.models import Decision, IssuingLevel
from consult.decisions.pages import DecisionAdminPage
from consult.drafts.models import Article
from consult.i18n import get_language
from consult.reports.charts import CHART_NAMES
from consult.reports.deadline import ReportRule
from consult.reports.models import AdoptionReport, ReportVersion
from consult.reports.pages import published_report, report_list, report_to_manage
from consult.reports.pdf import report_pdf
from consult.reports.queries import (
    UNANSWERED,
    chart_svg,
    csv_rows,
    public_reports,
    report_comments,
)
from consult.reports.services import (
    ResultInput,
    correct_report,
    publish_report_now,
    record_result,
    require_result_recorder,
    set_department_note,
)
from consult.review.models import AnswerStatus
from consult.web import (
    Action,
    ActionPage,
    form_text,
    get_or_404,
    int_param,
    page_number,
    paginate,
    redirect,
    render,
    require_user,
    settings_of,
)
from consult.workdays.services import load_calendar


async def _published_report(request: Request) -> tuple[AdoptionReport, ReportVersion, dict[str, Any]]:
    version = int_param(request, "version")
    settings, calendar = settings_of(request), await load_calendar()
    return await published_report(request.path_params["id"], version, settings, calendar, clock.now())


async def report_page(request: Request) -> Response:
    report, _version, context = await _published_report(request)
    status = request.query_params.get("answer", "")
    if status != UNANSWERED and status not in {s.value for s in AnswerStatus}:
        status = ""
    page = await paginate(report_comments(report.consultation_id, status or None), page_number(request), 50)
    articles = await Article.filter(draft_id=context["consultation"].draft_id)
    context |= {"page": page, "answers": await answers_for(page.items), "articles_by_id": {a.id: a for a in articles}}
    context |= {"status_filter": status, "answer_statuses": list(AnswerStatus)}
    return await render(request, "reports/report.html", context)


async def report_pdf_download(request: Request) -> Response:
    report, version, context = await _published_report(request)
    data = await report_pdf(report, version, context)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{report.id}-v{version.number}.pdf"'},
    )


async def report_csv(request: Request) -> Response:
    report, _, context = await _published_report(request)
    consultation = context["consultation"]
    return StreamingResponse(
        csv_rows(consultation.id, consultation.draft_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="report-{report.id}-comments.csv"'},
    )


async def report_chart(request: Request) -> Response:
    _report, version, _ = await _published_report(request)
    name = request.path_params["name"]
    if name not in CHART_NAMES:
        raise HTTPException(404)
    return Response(
        # In the language the page asked for (?lang= in the image's URL, read by the middleware).
        await chart_svg(version, name, get_language(), narrow=request.query_params.get("width") == "narrow"),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def report_index(request: Request) -> Response:
    year, department_id = int_param(request, "year", 2000, 2100), int_param(request, "department")
    page = await paginate(public_reports(year, department_id), page_number(request), 50)
    calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
    context = await report_list(page, year, department_id, calendar, rule, clock.now())
    return await render(request, "reports/index.html", context)


# ---- staff --------------------------------------------------------------------------------------


async def _report_for_staff(request: Request) -> tuple[Any, AdoptionReport, Decision]:
    user = await require_user(request)
    report = await get_or_404(AdoptionReport, id=request.path_params["id"])
    decision = await decision_for_staff(request, user, report.decision_id)
    return user, report, decision


async def _note(request: Request, target: tuple[User, AdoptionReport, Decision], form: FormData) -> None:
    user, report, _decision = target
    await set_department_note(report, form_text(form, "note"), user)


async def _publish(request: Request, target: tuple[User, AdoptionReport, Decision], form: FormData) -> None:
    user, report, _decision = target
    await publish_report_now(report, user, clock.now())


async def _correct(request: Request, target: tuple[User, AdoptionReport, Decision], form: FormData) -> None:
    user, report, _decision = target
    await correct_report(report, form_text(form, "note"), user, clock.now())


class ReportAdmin(ActionPage):
    """The department's page of a report; its forms post to /manage/reports/{id}/{action}."""

    template = "manage/report.html"
    actions: ClassVar[dict[str, Action]] = {"note": _note, "publish": _publish, "correct": _correct}

    async def load(self, request: Request) -> tuple[User, AdoptionReport, Decision]:
        return await _report_for_staff(request)

    async def context(self, request: Request, target: tuple[User, AdoptionReport, Decision]) -> dict[str, Any]:
        calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
        return await report_to_manage(*target, calendar, rule, clock.now())

    def done(self, target: tuple[User, AdoptionReport, Decision], result: None) -> str:
        return f"/manage/reports/{target[1].id}"


class RecordResult(DecisionAdminPage):
    """Record the decision result (决策结果) from the decision's staff page, shown again if refused."""

    async def load(self, request: Request) -> tuple[User, Decision]:
        user, decision = await super().load(request)
        require_result_recorder(decision, user)
        return user, decision

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
        await record_result(decision, result_input(form), user, clock.now(), calendar, rule)
        return redirect(f"/manage/decisions/{decision.id}")


def result_input(form: FormData) -> ResultInput:
    (issued_on,) = forms.dates(form, "issued_on")
    texts = {f: form_text(form, f) for f in ("document_number", "text", "link")}
    level = forms.one_of(form.get("issuing_level") or IssuingLevel.GOVERNMENT.value, IssuingLevel, "issuing_level")
    return ResultInput(issued_on=issued_on, issuing_level=level, **texts)


routes = [
    Route("/reports/", report_index),
    Route("/reports/{id:int}", report_page),
    Route("/reports/{id:int}.pdf", report_pdf_download),
    Route("/reports/{id:int}.csv", report_csv),
    Route("/reports/{id:int}/charts/{name:str}.svg", report_chart),
    *ReportAdmin.routes("/manage/reports/{id:int}"),
    Route("/manage/decisions/{id:int}/result", RecordResult, methods=["POST"]),
]
