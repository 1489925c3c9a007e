"""Adoption reports (public: page, PDF, CSV, charts) and their staff page; recording the decision result."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import Department
from consult.accounts.permissions import can_review
from consult.answers.queries import answers_for
from consult.decisions.guards import decision_for_staff
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.models import Article, Consultation
from consult.errors import ValidationError
from consult.reports.charts import CHART_NAMES
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport
from consult.reports.pdf import report_pdf
from consult.reports.queries import (
    UNANSWERED,
    chart_svg,
    csv_rows,
    latest_version,
    public_reports,
    report_comments,
    report_departments,
    report_years,
)
from consult.reports.services import (
    ResultInput,
    correct_report,
    outstanding,
    publish_report_now,
    record_result,
    require_result_recorder,
    set_department_note,
)
from consult.review.models import AnswerStatus
from consult.web import (
    int_param,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    require_user,
    settings_of,
    translated_errors,
)
from consult.workdays.services import load_calendar


async def _published_report(request: Request) -> tuple[AdoptionReport, Any, dict[str, Any]]:
    report = await public_reports().get_or_none(id=request.path_params["id"])
    if report is None:
        raise HTTPException(404)
    version = await latest_version(report, int_param(request, "version"))
    if version is None:
        raise HTTPException(404)
    consultation = await Consultation.get(id=report.consultation_id).prefetch_related("draft")
    decision = await Decision.get(id=report.decision_id).prefetch_related("department")
    result = await DecisionResult.get(decision_id=decision.id)
    rule = ReportRule.of(settings_of(request))
    context = {
        "report": report,
        "version": version,
        "versions": await report.versions.all(),
        "figures": version.figures,
        "consultation": consultation,
        "decision": decision,
        "result": result,
        "timeliness": timeliness(await load_calendar(), result.issued_on, rule, report.published_at, clock.now()),
        "rule": rule,
        "min_days": settings_of(request).min_consultation_days,
        "government_name": settings_of(request).government_name,
        "chart_names": CHART_NAMES,
    }
    return report, version, context


async def report_page(request: Request) -> Response:
    report, _version, context = await _published_report(request)
    status = request.query_params.get("answer", "")
    if status != UNANSWERED and status not in {s.value for s in AnswerStatus}:
        status = ""
    page = await paginate(report_comments(report.consultation_id, status or None), page_number(request), 50)
    articles = await Article.filter(draft_id=context["consultation"].draft_id)
    return await render(
        request,
        "reports/report.html",
        {
            **context,
            "page": page,
            "answers": await answers_for(page.items),
            "articles_by_id": {a.id: a for a in articles},
            "status_filter": status,
            "answer_statuses": list(AnswerStatus),
        },
    )


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
        await chart_svg(version, name),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def report_index(request: Request) -> Response:
    """Every published report, newest first, with its deadline and whether it was met."""
    year, department_id = int_param(request, "year", 2000, 2100), int_param(request, "department")
    queryset = public_reports(year, department_id)
    page = await paginate(queryset, page_number(request), 50)
    calendar, rule, now = await load_calendar(), ReportRule.of(settings_of(request)), clock.now()
    results = {
        r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[p.decision_id for p in page.items])
    }
    return await render(
        request,
        "reports/index.html",
        {
            "page": page,
            "rows": [
                (
                    r,
                    results[r.decision_id],
                    timeliness(calendar, results[r.decision_id].issued_on, rule, r.published_at, now),
                )
                for r in page.items
            ],
            "years": await report_years(),
            "departments": await Department.filter(id__in=await report_departments()),
            "year": year,
            "department_id": department_id,
            "rule_days": rule.working_days,
        },
    )


# ---- staff --------------------------------------------------------------------------------------


async def _report_for_staff(request: Request) -> tuple[Any, AdoptionReport, Decision]:
    user = await require_user(request)
    report = await AdoptionReport.get_or_none(id=request.path_params["id"])
    if report is None:
        raise HTTPException(404)
    decision = await decision_for_staff(request, user, report.decision_id)
    return user, report, decision


async def _render_manage_report(
    request: Request, user: Any, report: AdoptionReport, decision: Decision, errors: dict[str, str], status: int
) -> Response:
    settings = settings_of(request)
    result = await DecisionResult.get(decision_id=decision.id)
    calendar = await load_calendar()
    rule = ReportRule.of(settings)
    return await render(
        request,
        "manage/report.html",
        {
            "report": report,
            "decision": decision,
            "consultation": await Consultation.get(id=report.consultation_id).prefetch_related("draft"),
            "result": result,
            "timeliness": timeliness(calendar, result.issued_on, rule, report.published_at, clock.now()),
            "rule": rule,
            "outstanding": await outstanding(report.consultation_id),
            "versions": await report.versions.all(),
            "can_publish": can_review(user, decision.department_id),
            "errors": errors,
        },
        status_code=status,
    )


async def manage_report(request: Request) -> Response:
    user, report, decision = await _report_for_staff(request)
    return await _render_manage_report(request, user, report, decision, {}, 200)


async def manage_report_action(request: Request) -> Response:
    user, report, decision = await _report_for_staff(request)
    action = request.url.path.rsplit("/", 1)[-1]
    form = await read_form(request)
    now = clock.now()
    try:
        if action == "note":
            await set_department_note(report, str(form.get("note", "")), user)
        elif action == "publish":
            await publish_report_now(report, user, now)
        elif action == "correct":
            await correct_report(report, str(form.get("note", "")), user, now)
        else:
            raise HTTPException(404)
    except ValidationError as exc:
        return await _render_manage_report(request, user, report, decision, translated_errors(exc), 422)
    return redirect(f"/manage/reports/{report.id}")


async def manage_result(request: Request) -> Response:
    """Record the decision result (决策结果) from the decision's staff page."""
    from consult.decisions.pages import render_manage_decision

    user = await require_user(request)
    decision = await decision_for_staff(request, user, request.path_params["id"])
    require_result_recorder(decision, user)
    form = await read_form(request)
    errors = forms.Errors()
    issued_on = forms.parse_date(form.get("issued_on"), "issued_on", errors)
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        errors.raise_if_any()
        assert issued_on is not None
        await record_result(
            decision,
            ResultInput(
                document_number=values.get("document_number", ""),
                issued_on=issued_on,
                text=values.get("text", ""),
                link=values.get("link", ""),
                interpretation=values.get("interpretation", ""),
                interpretation_link=values.get("interpretation_link", ""),
            ),
            user,
            clock.now(),
            await load_calendar(),
            ReportRule.of(settings_of(request)),
        )
    except ValidationError as exc:
        return await render_manage_decision(request, user, decision, translated_errors(exc), values, 422)
    return redirect(f"/manage/decisions/{decision.id}")


routes = [
    Route("/reports/", report_index),
    Route("/reports/{id:int}", report_page),
    Route("/reports/{id:int}.pdf", report_pdf_download),
    Route("/reports/{id:int}.csv", report_csv),
    Route("/reports/{id:int}/charts/{name:str}.svg", report_chart),
    Route("/manage/reports/{id:int}", manage_report),
    *[
        Route(f"/manage/reports/{{id:int}}/{action}", manage_report_action, methods=["POST"])
        for action in ("note", "publish", "correct")
    ],
    Route("/manage/decisions/{id:int}/result", manage_result, methods=["POST"]),
]
