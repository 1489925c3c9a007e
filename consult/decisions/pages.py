"""The decision's management page, rendered for its own handlers and for the result form (reports)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from consult import clock
from consult.accounts.models import Department, User
from consult.accounts.permissions import can_review, is_admin
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.models import Attachment, Consultation, Draft
from consult.drafts.services import consultation_state
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport
from consult.web import render, settings_of
from consult.workdays.services import load_calendar


async def render_manage_decision(
    request: Request,
    user: User,
    decision: Decision,
    errors: dict[str, str],
    values: dict[str, str],
    status: int,
) -> Response:
    today = clock.today()
    consultations = await Consultation.filter(decision_id=decision.id).prefetch_related("draft")
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    reports = []
    if result is not None:
        calendar = await load_calendar()
        rule = ReportRule.of(settings_of(request))
        for report in await AdoptionReport.filter(decision_id=decision.id).prefetch_related("consultation__draft"):
            reports.append((report, timeliness(calendar, result.issued_on, rule, report.published_at, clock.now())))
    return await render(
        request,
        "manage/decision.html",
        {
            "decision": decision,
            "result": result,
            "reports": reports,
            "can_record_result": can_review(user, decision.department_id) and result is None,
            "drafts": await Draft.filter(decision_id=decision.id),
            "consultations": [(c, consultation_state(c, today)) for c in consultations],
            "attachments": await Attachment.filter(decision_id=decision.id).prefetch_related("draft"),
            "departments": await Department.all(),
            "is_admin": is_admin(user),
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )
