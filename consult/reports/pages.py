"""The reports' pages: a published report (page, PDF, CSV and charts share it), the list of reports,
and the department's staff page of a report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.exceptions import HTTPException

from consult.accounts.models import Department, User
from consult.accounts.permissions import can_review
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.models import Consultation
from consult.procedure.queries import report_timeliness
from consult.reports.charts import CHART_NAMES
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport, ReportVersion
from consult.reports.queries import latest_version, public_reports, report_departments, report_years
from consult.reports.services import outstanding
from consult.settings import Settings
from consult.web import Page
from consult.workdays.calc import WorkCalendar


async def published_report(
    report_id: int, version_number: int | None, settings: Settings, calendar: WorkCalendar, now: datetime
) -> tuple[AdoptionReport, ReportVersion, dict[str, Any]]:
    """The report as published (the version asked for, else the latest), or 404."""
    report = await public_reports().get_or_none(id=report_id)
    version = await latest_version(report, version_number) if report is not None else None
    if report is None or version is None:
        raise HTTPException(404)
    decision = await Decision.get(id=report.decision_id).prefetch_related("department")
    result = await DecisionResult.get(decision_id=decision.id)
    rule = ReportRule.of(settings)
    return (
        report,
        version,
        {
            "report": report,
            "version": version,
            "versions": await report.versions.all(),
            "figures": version.figures,
            "consultation": await Consultation.get(id=report.consultation_id).prefetch_related("draft"),
            "decision": decision,
            "result": result,
            "timeliness": timeliness(calendar, result.issued_on, rule, report.published_at, now),
            "rule": rule,
            "government_name": settings.government_name,
            "chart_names": CHART_NAMES,
        },
    )


async def report_list(
    page: Page, year: int | None, department_id: int | None, calendar: WorkCalendar, rule: ReportRule, now: datetime
) -> dict[str, Any]:
    """Every published report, newest first, with its deadline and whether it was met."""
    results = {
        r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[p.decision_id for p in page.items])
    }
    timed = await report_timeliness(page.items, calendar, rule, now)
    return {
        "page": page,
        "rows": [(r, results[r.decision_id], t) for r, t in timed],
        "years": await report_years(),
        "departments": await Department.filter(id__in=await report_departments()),
        "year": year,
        "department_id": department_id,
        "rule_days": rule.working_days,
    }


async def report_to_manage(
    user: User, report: AdoptionReport, decision: Decision, calendar: WorkCalendar, rule: ReportRule, now: datetime
) -> dict[str, Any]:
    result = await DecisionResult.get(decision_id=decision.id)
    return {
        "report": report,
        "decision": decision,
        "consultation": await Consultation.get(id=report.consultation_id).prefetch_related("draft"),
        "result": result,
        "timeliness": timeliness(calendar, result.issued_on, rule, report.published_at, now),
        "rule": rule,
        "outstanding": await outstanding(report.consultation_id),
        "versions": await report.versions.all(),
        "can_publish": can_review(user, decision.department_id),
    }
