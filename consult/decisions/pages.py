"""The decisions' staff pages: the catalog being drawn up and a decision's own page. Other areas' forms
shown on the decision's page (recording the result) subclass `DecisionAdminPage`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.requests import Request

from consult import clock
from consult.accounts.models import Department, User
from consult.accounts.permissions import can_review, is_admin
from consult.decisions.guards import decision_for_request
from consult.decisions.models import Catalog, CatalogAdjustment, Decision, DecisionResult, IssuingLevel
from consult.decisions.services import DOCUMENT_KINDS
from consult.deliberation.queries import to_manage as procedure_to_manage
from consult.drafts.models import Attachment, Consultation, Draft
from consult.drafts.services import consultation_state
from consult.implementation.models import InterpretationForm, StatusChangeKind
from consult.implementation.queries import to_manage
from consult.procedure.queries import report_timeliness, stages
from consult.reports.deadline import ReportRule
from consult.reports.models import AdoptionReport
from consult.settings import Settings
from consult.web import FormPage, get_or_404, require_user, settings_of
from consult.workdays.calc import WorkCalendar
from consult.workdays.services import load_calendar


async def catalog_to_manage(user: User, catalog: Catalog, today: date) -> dict[str, Any]:
    decisions = await Decision.filter(catalog_id=catalog.id).prefetch_related("department")
    return {
        "catalog": catalog,
        "decisions": decisions,
        "stages": await stages(decisions, today),
        "departments": await Department.all(),
        "adjustments": await CatalogAdjustment.filter(catalog_id=catalog.id).prefetch_related("decision"),
        "is_admin": is_admin(user),
    }


async def decision_to_manage(
    user: User, decision: Decision, calendar: WorkCalendar, rule: ReportRule, now: datetime, settings: Settings
) -> dict[str, Any]:
    today = clock.local_date(now)
    consultations = await Consultation.filter(decision_id=decision.id).prefetch_related("draft")
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    reports = await AdoptionReport.filter(decision_id=decision.id).prefetch_related("consultation__draft")
    return {
        "decision": decision,
        "result": result,
        "reports": await report_timeliness(reports, calendar, rule, now) if result else [],
        "can_record_result": can_review(user, decision.department_id) and result is None,
        "can_review": can_review(user, decision.department_id),
        "user": user,
        "interpretation_forms": list(InterpretationForm),
        "status_kinds": list(StatusChangeKind),
        "issuing_levels": list(IssuingLevel),
        **(await to_manage(decision)),
        **(await procedure_to_manage(decision, settings)),
        "drafts": await Draft.filter(decision_id=decision.id),
        "consultations": [(c, consultation_state(c, today)) for c in consultations],
        "attachments": await Attachment.filter(decision_id=decision.id).prefetch_related("draft"),
        "departments": await Department.all(),
        "is_admin": is_admin(user),
    }


async def document_admin_view(user: User) -> dict[str, Any]:
    """Documents outside the catalog: the office sees every department's, staff their own."""
    documents = Decision.filter(catalog_id__isnull=True)
    if not is_admin(user):
        documents = documents.filter(department_id=user.department_id)
    departments = await Department.all()
    return {
        "documents": await documents.order_by("-id").prefetch_related("department"),
        "departments": departments if is_admin(user) else [d for d in departments if d.id == user.department_id],
        "kinds": list(DOCUMENT_KINDS),
        "is_admin": is_admin(user),
    }


async def catalog_or_404(year: int) -> Catalog:
    catalog = await get_or_404(Catalog, year=year)
    return catalog


class CatalogAdminPage(FormPage):
    template = "manage/catalog.html"

    async def load(self, request: Request) -> tuple[User, Catalog]:
        user = await require_user(request)
        return user, await catalog_or_404(request.path_params["year"])

    async def context(self, request: Request, target: tuple[User, Catalog]) -> dict[str, Any]:
        return await catalog_to_manage(*target, clock.today())


class DecisionAdminPage(FormPage):
    template = "manage/decision.html"

    async def load(self, request: Request) -> tuple[User, Decision]:
        return await decision_for_request(request)

    async def context(self, request: Request, target: tuple[User, Decision]) -> dict[str, Any]:
        rule = ReportRule.of(settings_of(request))
        return await decision_to_manage(*target, await load_calendar(), rule, clock.now(), settings_of(request))
