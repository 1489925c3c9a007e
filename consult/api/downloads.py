"""Bulk downloads (CSV for Excel, JSON) and Atom feeds of what is public."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from consult import clock
from consult.answers.models import Answer
from consult.api import serializers as s
from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Catalog, Decision, DecisionResult
from consult.decisions.visibility import public_catalogs, public_results
from consult.drafts.models import Consultation
from consult.drafts.services import open_consultations
from consult.drafts.visibility import public_consultations
from consult.evaluations.visibility import public_evaluations
from consult.forms import bounded_int
from consult.groups.models import CommentGroup
from consult.i18n import N_, gettext, language
from consult.implementation.models import ExecutionUpdate, StatusChange
from consult.implementation.visibility import (
    public_execution_updates,
    public_interpretations,
    public_status_changes,
)
from consult.labels import label
from consult.procedure.queries import stages
from consult.reports.models import AdoptionReport
from consult.reports.queries import csv_rows
from consult.reports.visibility import public_reports
from consult.surveys.visibility import public_surveys
from consult.web import get_or_404, relative_url, settings_of, templates


async def _consultation(request: Request) -> Consultation:
    found = await get_or_404(public_consultations(), id=request.path_params["id"])
    return found


async def comments_csv(request: Request) -> Response:
    """Every published comment with its answer, streamed: 100,000 rows never sit in memory at once."""
    consultation = await _consultation(request)
    return StreamingResponse(
        csv_rows(consultation.id, consultation.draft_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="consultation-{consultation.id}-comments.csv"'},
    )


async def _json_rows(consultation_id: int, chunk: int = 2000) -> AsyncIterator[bytes]:
    yield b'{"data":['
    last_id, first = 0, True
    while True:
        rows = (
            await Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED, id__gt=last_id)
            .order_by("id")
            .limit(chunk)
        )
        if not rows:
            break
        answers = {a.comment_id: a for a in await Answer.filter(comment_id__in=[c.id for c in rows])}
        groups = dict(
            await CommentGroup.filter(id__in=[c.group_id for c in rows if c.group_id]).values_list("id", "summary")
        )
        parts = [json.dumps(s.comment(c, answers.get(c.id), groups.get(c.group_id)), ensure_ascii=False) for c in rows]
        yield (("" if first else ",") + ",".join(parts)).encode()
        first, last_id = False, rows[-1].id
    yield b"]}"


async def comments_json(request: Request) -> Response:
    consultation = await _consultation(request)
    return StreamingResponse(
        _json_rows(consultation.id),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="consultation-{consultation.id}-comments.json"'},
    )


# Column names in Chinese, as in the report's CSV: an official record opened in Excel.
CATALOG_COLUMNS = ["序号", "决策事项", "决策承办单位", "计划完成时间", "是否听证", "进展", "文号", "调出目录时间"]


async def catalog_rows(catalog: Catalog, today: date) -> list[list[object]]:
    decisions = await Decision.filter(catalog_id=catalog.id).prefetch_related("department")
    stage = await stages(decisions, today)
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[d.id for d in decisions])}
    with language("zh"):
        return [
            [
                d.seq,
                d.title,
                d.department.name,
                d.planned_completion.isoformat(),
                "是" if d.needs_hearing else "否",
                label(stage[d.id]),
                results[d.id].document_number if d.id in results else "",
                d.removed_at.date().isoformat() if d.removed_at else "",
            ]
            for d in decisions
        ]


async def catalog_csv(request: Request) -> Response:
    catalog = await get_or_404(public_catalogs(), year=request.path_params["year"])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([CATALOG_COLUMNS, *await catalog_rows(catalog, clock.today())])
    return Response(
        ("\ufeff" + buffer.getvalue()).encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="catalog-{catalog.year}.csv"'},
    )


# ---- Atom feeds ------------------------------------------------------------------------------------


def _department(request: Request) -> int | None:
    raw = request.query_params.get("department", "")
    return bounded_int(raw)


async def _feed(request: Request, title: str, entries: list[dict[str, Any]]) -> Response:
    """Feeds are read by machines and other sites: always in the official language."""
    updated = max((e["updated"] for e in entries), default=clock.now())
    with language("zh"):
        body = templates.env.get_template("feeds/feed.xml").render(
            title=gettext(title),
            # Absolute links from the configured address, never from the request's Host header.
            self_url=settings_of(request).base_url + relative_url(request.url),
            base=settings_of(request).base_url,
            updated=updated,
            entries=entries,
        )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


async def _consultation_entries(queryset: Any, request: Request) -> list[dict[str, Any]]:
    if (department := _department(request)) is not None:
        queryset = queryset.filter(decision__department_id=department)
    items = await queryset.order_by("-published_at").limit(50).prefetch_related("draft", "decision__department")
    return [
        {
            "id": f"consultation-{c.id}",
            "title": f"{c.draft.title}（{c.draft.version_label}）",
            "link": f"/consultations/{c.id}",
            "updated": c.published_at,
            "summary": gettext(
                "%(department)s: open for comment from %(start)s to %(end)s",
                department=c.decision.department.name,
                start=c.starts_on.isoformat(),
                end=c.ends_on.isoformat(),
            ),
        }
        for c in items
    ]


async def feed_consultations(request: Request) -> Response:
    with language("zh"):
        entries = await _consultation_entries(public_consultations(), request)
    return await _feed(request, N_("New consultations"), entries)


async def feed_closing(request: Request) -> Response:
    today = clock.today()
    queryset = open_consultations(today).filter(ends_on__lte=today + timedelta(days=7))
    with language("zh"):
        entries = await _consultation_entries(queryset, request)
    return await _feed(request, N_("Consultations closing soon"), entries)


def _of_department(queryset: Any, request: Request) -> Any:
    department = _department(request)
    return queryset if department is None else queryset.filter(decision__department_id=department)


def _result_entry(result: DecisionResult) -> dict[str, Any]:
    summary = gettext(
        "%(department)s: %(number)s, issued on %(date)s",
        department=result.decision.department.name,
        number=result.document_number,
        date=result.issued_on.isoformat(),
    )
    link = f"/decisions/{result.decision_id}"
    return {
        "id": f"decision-{result.decision_id}",
        "title": result.decision.title,
        "link": link,
        "updated": result.recorded_at,
        "summary": summary,
    }


def _change_entry(change: StatusChange) -> dict[str, Any]:
    return {
        "id": f"decision-{change.decision_id}-change-{change.id}",
        "title": f"{change.decision.title}（{label('change_' + change.kind.value)}）",
        "link": f"/decisions/{change.decision_id}#status",
        "updated": change.recorded_at,
        "summary": change.reason,
    }


def _update_entry(update: ExecutionUpdate) -> dict[str, Any]:
    return {
        "id": f"decision-{update.decision_id}-update-{update.id}",
        "title": f"{update.decision.title}（{gettext('Execution update')}）",
        "link": f"/decisions/{update.decision_id}#update-{update.id}",
        "updated": update.published_at,
        "summary": update.body,
    }


async def feed_decisions(request: Request) -> Response:
    """Decisions issued, their execution updates, and issued decisions adjusted, suspended, resumed or
    terminated."""
    queryset = _of_department(public_results(), request).order_by("-recorded_at").limit(50)
    results = await queryset.prefetch_related("decision__department")
    changes = _of_department(public_status_changes(), request).order_by("-recorded_at").limit(50)
    updates = _of_department(public_execution_updates(), request).order_by("-published_at").limit(50)
    with language("zh"):
        entries = [_result_entry(r) for r in results]
        entries += [_change_entry(c) for c in await changes.prefetch_related("decision")]
        entries += [_update_entry(u) for u in await updates.prefetch_related("decision")]
    entries.sort(key=lambda e: e["updated"], reverse=True)
    return await _feed(request, N_("New decisions"), entries[:50])


async def feed_interpretations(request: Request) -> Response:
    queryset = _of_department(public_interpretations(), request).order_by("-published_at").limit(50)
    items = await queryset.prefetch_related("decision")
    with language("zh"):
        entries = [
            {
                "id": f"interpretation-{i.id}",
                "title": i.title,
                "link": f"/decisions/{i.decision_id}/interpretations/{i.id}",
                "updated": i.published_at,
                "summary": f"{label('form_' + i.form.value)} · {i.interpreter} · {i.decision.title}",
            }
            for i in items
        ]
    return await _feed(request, N_("New policy interpretations"), entries)


def _report_entry(report: AdoptionReport) -> dict[str, Any]:
    title = gettext(
        "How the public's comments on “%(title)s” were collected and adopted", title=report.consultation.draft.title
    )
    return {
        "id": f"report-{report.id}",
        "title": title,
        "link": f"/reports/{report.id}",
        "updated": report.published_at,
        "summary": report.decision.department.name,
    }


async def feed_reports(request: Request) -> Response:
    queryset = _of_department(public_reports(), request).order_by("-published_at").limit(50)
    reports = await queryset.prefetch_related("consultation__draft", "decision__department")
    return await _feed(request, N_("New adoption reports"), [_report_entry(r) for r in reports])


def _entry(key: str, title: str, link: str, updated: Any, summary: str) -> dict[str, Any]:
    return {"id": key, "title": title, "link": link, "updated": updated, "summary": summary}


async def _participation_entries(department: int | None) -> list[dict[str, Any]]:
    surveys = public_surveys().order_by("-published_at").limit(50)
    evaluations = public_evaluations().order_by("-published_at").limit(50)
    if department is not None:
        surveys, evaluations = surveys.filter(department_id=department), evaluations.filter(department_id=department)
    entries = []
    with language("zh"):
        for q in await surveys:
            start, end = q.opens_on.isoformat(), q.closes_on.isoformat()
            period = gettext("Open from %(start)s to %(end)s", start=start, end=end)
            title = gettext("Questionnaire: %(title)s", title=q.title)
            entries.append(_entry(f"survey-{q.id}", title, f"/surveys/{q.id}", q.published_at, period))
        for e in await evaluations:
            title = gettext("Policy evaluation: %(title)s", title=e.policy_title)
            entries.append(_entry(f"evaluation-{e.id}", title, f"/evaluations/{e.id}", e.published_at, e.scope[:200]))
            if e.report_published_at is not None:
                title = gettext("Evaluation report: %(title)s", title=e.policy_title)
                link = f"/evaluations/{e.id}#report"
                entries.append(_entry(f"evaluation-report-{e.id}", title, link, e.report_published_at, e.effects[:200]))
    return sorted(entries, key=lambda entry: entry["updated"], reverse=True)[:50]


async def feed_participation(request: Request) -> Response:
    """Questionnaires to answer and policy evaluations the public can follow: each when it is published,
    an evaluation again when its report is."""
    entries = await _participation_entries(_department(request))
    return await _feed(request, N_("Questionnaires and policy evaluations"), entries)


routes = [
    Route("/consultations/{id:int}/comments.csv", comments_csv),
    Route("/consultations/{id:int}/comments.json", comments_json),
    Route("/catalogs/{year:int}.csv", catalog_csv),
    Route("/feeds/consultations.atom", feed_consultations),
    Route("/feeds/closing.atom", feed_closing),
    Route("/feeds/decisions.atom", feed_decisions),
    Route("/feeds/reports.atom", feed_reports),
    Route("/feeds/interpretations.atom", feed_interpretations),
    Route("/feeds/participation.atom", feed_participation),
]
