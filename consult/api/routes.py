"""The public JSON API, version 1: /api/v1/… . Read everything public; submit comments."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from consult import clock
from consult.answers.models import Answer
from consult.api import serializers as s
from consult.api.openapi import openapi
from consult.comments.models import Comment, ModerationState
from consult.comments.services import CommentInput, find_by_receipt, submit_comment
from consult.decisions.models import Catalog, Decision, DecisionResult
from consult.decisions.visibility import public_catalogs, public_decisions
from consult.deliberation.queries import procedure_before
from consult.drafts.models import Article, Consultation
from consult.drafts.services import closed_consultations, consultation_state, open_consultations
from consult.drafts.visibility import public_consultations
from consult.errors import Conflict, ValidationError
from consult.evaluations.visibility import public_evaluations
from consult.forms import UNSTORABLE, bounded_int, unstorable
from consult.groups.models import CommentGroup
from consult.i18n import N_
from consult.implementation.queries import after_issue, changes_view, execution_states
from consult.limits.counter import hit
from consult.meetings.models import AttendeeOpinion, Meeting, MeetingTopic, OpinionAnswer, public_attendees
from consult.procedure.queries import comment_counts, stages
from consult.reports.deadline import ReportRule, timeliness
from consult.reports.models import AdoptionReport, ReportVersion
from consult.reports.queries import latest_version
from consult.reports.visibility import public_reports
from consult.review.models import AnswerStatus
from consult.surveys.queries import survey_results as results_of
from consult.surveys.services import SurveyState, survey_state
from consult.surveys.visibility import public_surveys
from consult.web import MAX_ID, get_or_404, json_error, render, settings_of
from consult.workdays.calc import WorkCalendar
from consult.workdays.services import load_calendar

MAX_PER_PAGE = 100
MAX_COMMENTS = 200
RATE_LIMITED = N_("Too many comments from this client. Try again in %(seconds)s seconds.")


def _json(request: Request, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """JSON with a strong ETag; a client that sends it back gets 304 and no body."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    base = {"ETag": etag, "Cache-Control": "public, max-age=0, must-revalidate", **(headers or {})}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=base)
    return Response(body, media_type="application/json", headers=base)


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = bounded_int(raw, low, high)
    if value is None:
        raise ValidationError({name: N_("Enter a whole number from %(low)s to %(high)s.")}, low=low, high=high)
    return value


async def _page(request: Request, queryset: Any, serialize: Callable[[list[Any]], Any]) -> Response:
    page = _int(request, "page", 1, 1, 100_000)
    per_page = _int(request, "per_page", 20, 1, MAX_PER_PAGE)
    total = await queryset.count()
    items = await queryset.offset((page - 1) * per_page).limit(per_page)
    data = await serialize(list(items))
    headers = {}
    next_url = None
    if page * per_page < total:
        params = {**request.query_params, "page": str(page + 1)}
        next_url = f"{request.url.path}?{urlencode(params)}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    return _json(request, {"data": data, "page": page, "per_page": per_page, "total": total, "next": next_url}, headers)


async def _decision_rows(decisions: list[Decision]) -> list[dict[str, Any]]:
    stage = await stages(decisions, clock.today())
    results = {r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[d.id for d in decisions])}
    states = await execution_states([d.id for d in decisions])
    return [
        s.decision(d, stage[d.id].value, results.get(d.id), states[d.id].value if d.id in states else None)
        for d in decisions
    ]


async def catalogs(request: Request) -> Response:
    async def rows(items: list[Catalog]) -> list[dict[str, Any]]:
        return [s.catalog(c) for c in items]

    return await _page(request, public_catalogs().order_by("-year"), rows)


async def catalog(request: Request) -> Response:
    found = await get_or_404(public_catalogs(), year=request.path_params["year"])
    decisions = await Decision.filter(catalog_id=found.id).prefetch_related("catalog", "department")
    return _json(request, {"data": {**s.catalog(found), "decisions": await _decision_rows(decisions)}})


def _published_decisions(request: Request) -> Any:
    queryset = public_decisions().prefetch_related("catalog", "department")
    if request.query_params.get("department") is not None:
        queryset = queryset.filter(department_id=_int(request, "department", 0, 0, MAX_ID))
    if request.query_params.get("year") is not None:
        queryset = queryset.filter(catalog__year=_int(request, "year", 0, 2000, 2100))
    return queryset.order_by("-catalog__year", "seq", "id")


async def decisions(request: Request) -> Response:
    return await _page(request, _published_decisions(request), _decision_rows)


async def decision(request: Request) -> Response:
    found = await get_or_404(_published_decisions(request), id=request.path_params["id"])
    data = (await _decision_rows([found]))[0]
    data |= s.before_decision(await procedure_before(found, clock.today()))
    result = await DecisionResult.get_or_none(decision_id=found.id)
    if result is not None:
        data |= s.after_issue(await after_issue(found, result, settings_of(request)))
    return _json(request, {"data": data})


async def decision_changes(request: Request) -> Response:
    found = await get_or_404(_published_decisions(request), id=request.path_params["id"])
    view = await changes_view(found)
    if view is None:
        raise HTTPException(404)
    return _json(request, {"data": s.changes(view)})


async def _consultation_rows(items: list[Consultation]) -> list[dict[str, Any]]:
    today = clock.today()
    counts = await comment_counts([c.id for c in items])
    return [s.consultation(c, consultation_state(c, today).value, counts.get(c.id, 0)) for c in items]


def _listed_consultations(request: Request) -> Any:
    status = request.query_params.get("status", "all")
    if status not in ("open", "closed", "all"):
        raise ValidationError({"status": "Choose one of the options."})
    listing = {"open": open_consultations, "closed": closed_consultations}.get(status)
    queryset = listing(clock.today()) if listing else public_consultations()
    if request.query_params.get("department") is not None:
        queryset = queryset.filter(decision__department_id=_int(request, "department", 0, 0, MAX_ID))
    if request.query_params.get("year") is not None:
        year = _int(request, "year", 0, 2000, 2100)
        queryset = queryset.filter(starts_on__gte=f"{year}-01-01", starts_on__lte=f"{year}-12-31")
    return queryset.order_by("-starts_on", "-id").prefetch_related("draft", "decision__department")


async def consultations(request: Request) -> Response:
    return await _page(request, _listed_consultations(request), _consultation_rows)


async def _public_consultation(request: Request) -> Consultation:
    found = (
        await public_consultations()
        .get_or_none(id=request.path_params["id"])
        .prefetch_related("draft", "decision__department")
    )
    if found is None:
        raise HTTPException(404)
    return found


async def consultation(request: Request) -> Response:
    found = await _public_consultation(request)
    return _json(request, {"data": (await _consultation_rows([found]))[0]})


async def articles(request: Request) -> Response:
    found = await _public_consultation(request)
    return _json(request, {"data": [s.article(a) for a in await Article.filter(draft_id=found.draft_id)]})


def _published_comments(request: Request, consultation: Consultation) -> Any:
    after = _int(request, "after", 0, 0, MAX_ID)
    queryset = Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED, id__gt=after)
    if request.query_params.get("article") is not None:
        queryset = queryset.filter(article_id=_int(request, "article", 0, 0, MAX_ID))
    if (answer := request.query_params.get("answer")) is not None:
        try:
            queryset = queryset.filter(answer__public_status=AnswerStatus(answer))
        except ValueError as exc:
            raise ValidationError({"answer": "Choose one of the options."}) from exc
    return queryset.order_by("id")


async def _comment_rows(rows: list[Comment]) -> list[dict[str, Any]]:
    answers = {a.comment_id: a for a in await Answer.filter(comment_id__in=[c.id for c in rows])}
    group_ids = [c.group_id for c in rows if c.group_id]
    groups = dict(await CommentGroup.filter(id__in=group_ids).values_list("id", "summary"))
    return [s.comment(c, answers.get(c.id), groups.get(c.group_id)) for c in rows]


async def comments(request: Request) -> Response:
    """Published comments in id order: a cursor (`after`) stays stable while new comments arrive."""
    limit = _int(request, "limit", 50, 1, MAX_COMMENTS)
    rows = await _published_comments(request, await _public_consultation(request)).limit(limit)
    next_url = None
    if len(rows) == limit:
        next_url = f"{request.url.path}?{urlencode({**request.query_params, 'after': str(rows[-1].id)})}"
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return _json(request, {"data": await _comment_rows(rows), "next": next_url}, headers)


TEXT_FIELDS = ("body", "category", "name", "phone", "email", "display_mode", "proposed_text")


def new_comment_input(payload: dict[str, Any]) -> CommentInput:
    """The JSON body as the form's fields, with their types checked: a number where text belongs is an
    error, never silently turned into text."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = payload.get(name)
        values[name] = ""
        if value is None:
            continue
        if not isinstance(value, str):
            errors[name] = N_("Must be text.")
        elif unstorable(value):
            errors[name] = UNSTORABLE
        else:
            values[name] = value
    article_id = payload.get("article_id")
    if article_id is not None and (
        isinstance(article_id, bool) or not isinstance(article_id, int) or not 0 < article_id <= MAX_ID
    ):
        errors["article_id"] = N_("Must be the id of an article of this draft, or null.")
    notify = payload.get("notify_by_email", False)
    if not isinstance(notify, bool):
        errors["notify_by_email"] = N_("Must be true or false.")
    if errors:
        raise ValidationError(errors)
    return CommentInput(
        body=values["body"],
        category=values["category"],
        name=values["name"],
        phone=values["phone"],
        email=values["email"],
        display_mode=values["display_mode"] or "masked",
        article_id=article_id,
        proposed_text=values["proposed_text"],
        notify_by_email=notify,
    )


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        payload = json.loads(await request.body() or b"null")
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser's stack
        raise InvalidJSON from exc
    if not isinstance(payload, dict):
        raise InvalidJSON
    return payload


class InvalidJSON(ValidationError):
    def __init__(self) -> None:
        super().__init__(N_("The request body is not valid JSON."))


async def _rate_limited(request: Request) -> Response | None:
    client = request.client.host if request.client else "unknown"
    per_minute = settings_of(request).api_comments_per_minute
    if (retry := await hit("comment", client, clock.now(), per_minute, 60)) is None:
        return None
    return json_error(429, "rate_limited", RATE_LIMITED, {"seconds": retry}, headers={"Retry-After": str(retry)})


async def submit(request: Request) -> Response:
    """The form's rules, duplicate handling and receipt, as JSON, with a per-client rate limit."""
    found = await _public_consultation(request)
    if (refused := await _rate_limited(request)) is not None:
        return refused
    try:
        data = new_comment_input(await _json_object(request))
        data.form_token = request.headers.get("idempotency-key", "")
        comment, created = await submit_comment(found, data, clock.now(), clock.today())
    except InvalidJSON as exc:
        return json_error(400, "invalid_json", exc.message)
    except ValidationError as exc:
        return json_error(422, "invalid", exc.message, exc.params, fields=exc.errors)
    except Conflict as exc:
        return json_error(409, "closed", exc.message, exc.params)
    data = {"receipt_code": comment.receipt_code, "created": created, "url": f"/receipts/{comment.receipt_code}"}
    return JSONResponse({"data": data}, status_code=201 if created else 200)


async def receipt(request: Request) -> Response:
    found = await find_by_receipt(request.path_params["code"])
    if found is None:
        raise HTTPException(404)
    return _json(request, {"data": s.receipt(found, await Answer.get_or_none(comment_id=found.id))})


async def reports(request: Request) -> Response:
    async def rows(items: list[AdoptionReport]) -> list[dict[str, Any]]:
        # A few queries for the page, not two a report.
        calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
        results = {
            r.decision_id: r for r in await DecisionResult.filter(decision_id__in=[i.decision_id for i in items])
        }
        latest: dict[int, ReportVersion] = {}
        for version in await ReportVersion.filter(report_id__in=[i.id for i in items]).order_by("number"):
            latest[version.report_id] = version
        return [_report(r, latest[r.id], results[r.decision_id], calendar, rule) for r in items]

    return await _page(request, public_reports().order_by("-published_at", "-id"), rows)


def _report(
    report: AdoptionReport, version: ReportVersion, result: DecisionResult, calendar: WorkCalendar, rule: ReportRule
) -> dict[str, Any]:
    mark = timeliness(calendar, result.issued_on, rule, report.published_at, clock.now())
    return {
        "id": report.id,
        "decision_id": report.decision_id,
        "consultation_id": report.consultation_id,
        "issued_on": result.issued_on.isoformat(),
        "due_on": mark.deadline.due.on.isoformat(),
        "due_provisional": mark.deadline.due.provisional,
        "published_at": s.iso(report.published_at),
        "on_time": mark.on_time,
        "working_days_late": mark.working_days_late,
        "publication_kind": report.publication_kind.value if report.publication_kind else None,
        "overdue": report.overdue,
        "department_note": report.department_note,
        "version": version.number,
        "correction_note": version.note,
        "figures": version.figures,
        "url": f"/reports/{report.id}",
        "csv": f"/reports/{report.id}.csv",
        "pdf": f"/reports/{report.id}.pdf",
    }


async def report(request: Request) -> Response:
    found = await get_or_404(public_reports(), id=request.path_params["id"])
    calendar, rule = await load_calendar(), ReportRule.of(settings_of(request))
    version = await latest_version(found)
    assert version is not None  # a published report has its version 0
    result = await DecisionResult.get(decision_id=found.decision_id)
    return _json(request, {"data": _report(found, version, result, calendar, rule)})


async def _meeting_rows(items: list[Meeting]) -> list[dict[str, Any]]:
    ids = [m.id for m in items]
    topics = await MeetingTopic.filter(meeting_id__in=ids)
    attendees = await public_attendees().filter(meeting_id__in=ids)
    opinions = await AttendeeOpinion.filter(attendee_id__in=[a.id for a in attendees])
    answers = {a.opinion_id: a for a in await OpinionAnswer.filter(opinion_id__in=[o.id for o in opinions])}
    return [
        s.meeting(
            m,
            [t for t in topics if t.meeting_id == m.id],
            [a for a in attendees if a.meeting_id == m.id],
            opinions,
            answers,
        )
        for m in items
    ]


async def meetings(request: Request) -> Response:
    queryset = Meeting.all()
    if request.query_params.get("year") is not None:
        year = _int(request, "year", 0, 2000, 2100)
        queryset = queryset.filter(held_on__gte=f"{year}-01-01", held_on__lte=f"{year}-12-31")
    return await _page(request, queryset.order_by("-held_on", "-id"), _meeting_rows)


async def meeting(request: Request) -> Response:
    found = await get_or_404(Meeting, id=request.path_params["id"])
    return _json(request, {"data": (await _meeting_rows([found]))[0]})


async def evaluations(request: Request) -> Response:
    """Public policy evaluations, newest first; `year` (the year they started) narrows them."""
    queryset = public_evaluations().prefetch_related("department").order_by("-starts_on", "-id")
    if request.query_params.get("year") is not None:
        year = _int(request, "year", 0, 2000, 2100)
        queryset = queryset.filter(starts_on__gte=f"{year}-01-01", starts_on__lte=f"{year}-12-31")

    async def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [s.evaluation(e) for e in items]

    return await _page(request, queryset, rows)


async def survey_results(request: Request) -> Response:
    """A questionnaire's results, public once it has closed (as on its page): 404 before."""
    found = await get_or_404(public_surveys(), id=request.path_params["id"])
    if survey_state(found, clock.today()) is not SurveyState.CLOSED:
        raise HTTPException(404)
    return _json(request, {"data": s.survey_results(await results_of(found))})


async def openapi_document(request: Request) -> Response:
    return _json(request, openapi())


async def docs(request: Request) -> Response:
    return await render(request, "api/docs.html", {"spec": openapi()})


routes = [
    Route("/api/", docs),
    Route("/api/v1/openapi.json", openapi_document),
    Route("/api/v1/catalogs", catalogs),
    Route("/api/v1/catalogs/{year:int}", catalog),
    Route("/api/v1/decisions", decisions),
    Route("/api/v1/decisions/{id:int}", decision),
    Route("/api/v1/decisions/{id:int}/changes", decision_changes),
    Route("/api/v1/consultations", consultations),
    Route("/api/v1/consultations/{id:int}", consultation),
    Route("/api/v1/consultations/{id:int}/articles", articles),
    Route("/api/v1/consultations/{id:int}/comments", comments, methods=["GET"]),
    Route("/api/v1/consultations/{id:int}/comments", submit, methods=["POST"]),
    Route("/api/v1/receipts/{code:str}", receipt),
    Route("/api/v1/reports", reports),
    Route("/api/v1/reports/{id:int}", report),
    Route("/api/v1/meetings", meetings),
    Route("/api/v1/meetings/{id:int}", meeting),
    Route("/api/v1/surveys/{id:int}/results", survey_results),
    Route("/api/v1/evaluations", evaluations),
]
